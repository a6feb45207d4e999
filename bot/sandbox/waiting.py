"""Waiting on an emulator until something holds, re-checked whenever the emulator changes."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable


async def wait_for_change(changed: Callable[[], asyncio.Event], predicate: Callable[[], bool], *,
                     timeout: float, what: str, recheck: float | None = None) -> None:
    """Wait until `predicate()` holds; it is re-checked each time the event `changed()` returns
    (the emulator swaps in a fresh one per change) is set, and every `recheck` seconds if given."""
    deadline = time.monotonic() + timeout
    while not predicate():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        event = changed()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), remaining if recheck is None else min(remaining, recheck))
