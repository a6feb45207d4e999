"""`chibo run` start-up that waits out an unreachable Bot API instead of dying with a traceback.

After a power cut the machine often boots before its network (or before Telegram is reachable
through it). Giving up would leave the ward without its bot until someone notices; so start-up is
retried with a growing pause (1 s, 2 s, 4 s … up to a minute), each failure one log line, until it
works or the process is asked to stop. A rejected token is not retried: waiting will not fix it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import InvalidToken, NetworkError

from bot.texts import t

log = logging.getLogger("chibo")

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 60.0

T = TypeVar("T")


async def start_when_reachable(
    start: Callable[[], Awaitable[T]], stopping: asyncio.Event, lang: str,
) -> T | None:
    """Runs `start` until it succeeds (its result) or `stopping` is set while waiting (None)."""
    pause = FIRST_PAUSE
    while not stopping.is_set():
        try:
            return await start()
        except InvalidToken:
            raise
        except NetworkError as exc:  # TimedOut is one too
            reason = str(exc).splitlines()[0][:120] or type(exc).__name__
            log.warning(t("cli.trouble.bot_api_unreachable", lang, reason=reason, seconds=round(pause)))
        with contextlib.suppress(TimeoutError):  # the pause is over: try again
            await asyncio.wait_for(stopping.wait(), timeout=pause)
        pause = min(pause * 2, LONGEST_PAUSE)
    return None
