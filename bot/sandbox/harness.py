"""What the local bots of both channels share: the real Application started against a local
emulator, restarted over the same database, settled, and its idle timers fired on demand.

`LocalBot` (Telegram) and `ZaloLocalBot` (Zalo) add the user side of their own emulator.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, Self

from bot.app import build_application, share_bots, start_polling, stop
from bot.config import Settings
from bot.handlers.runtime import ChiboApplication
from bot.runtime import Runtime
from bot.store.db import Database


@dataclass
class ManualClock:
    """A clock tests can set and move; `chibo try` uses the real one."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now


class Emulator(Protocol):
    async def start(self) -> Any: ...
    async def stop(self) -> None: ...
    async def wait_idle(self, quiet: float = ..., timeout: float = ...) -> None: ...
    @property
    def idle(self) -> bool: ...


async def run_idle_timers(app: ChiboApplication | None) -> int:
    """Fire every conversation's idle timer now; how many fired.

    Tests move their clock past the idle limit and call this instead of sleeping through PTB's
    real-time timer, which a loaded machine can fire late, or in the middle of a test.
    """
    fired = 0
    if app is None or app.job_queue is None:
        return fired
    for job in app.job_queue.jobs():
        if getattr(job.callback, "__name__", "") == "_trigger_timeout":
            job.schedule_removal()
            await job.run(app)
            fired += 1
    return fired


class LocalChannelBot:
    """The real Application of `channel` against `server`, a local emulator of its platform."""

    channel: str
    poll_timeout: int | None = None  # None: the configured one

    def __init__(self, settings: Settings, db: Database, server: Emulator, *, token: str,
                 clock: Callable[[], datetime] | None, idle_seconds: float | None,
                 schedule_jobs: bool) -> None:
        self.settings = settings
        self.db = db
        self.server = server
        self.clock = clock or (lambda: datetime.now(UTC))
        self.token = token
        self.idle_seconds = idle_seconds
        # Scheduled reminders run on wall-clock time; tests drive them explicitly instead.
        self.schedule_jobs = schedule_jobs
        self.app: ChiboApplication | None = None

    def _base_urls(self) -> dict[str, str]:
        raise NotImplementedError

    async def start(self) -> Self:
        await self.server.start()
        await self._start_app()
        return self

    async def _start_app(self) -> None:
        self.app = build_application(
            Runtime(self.settings, self.db, self.clock, self.idle_seconds), self.token,
            channel=self.channel, schedule_jobs=self.schedule_jobs, **self._base_urls(),
        )
        share_bots(self.app, [self.app])
        await start_polling(self.app, poll_interval=0.0, timeout=self.poll_timeout)

    async def restart(self) -> None:
        """Stop the Application (flushing its persistence) and start a fresh one on the same DB."""
        assert self.app is not None
        await stop(self.app)
        await self._start_app()

    async def stop(self) -> None:
        if self.app is not None:
            await stop(self.app)
            self.app = None
        await self.server.stop()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def settle(self, timeout: float = 15.0) -> None:
        """Wait until every update was fetched *and handled* and the bot went quiet.

        HTTP silence alone is not enough: a handler may be busy with the database between two
        requests, which on a loaded machine takes longer than any fixed quiet period. So the
        emulator counts an update as handed over only once the bot polled again (PTB queues what
        it fetched before it polls), and the Application counts updates being handled; the short
        quiet period and the second look only bridge the step from PTB's queue to its handler.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            await self.server.wait_idle(quiet=0.02, timeout=max(deadline - loop.time(), 0.1))
            if self.app is None or not self.app.busy:
                await asyncio.sleep(0.02)  # an update just taken off PTB's queue starts its handler
                if (self.app is None or not self.app.busy) and self.server.idle:
                    return
            if loop.time() > deadline:
                raise TimeoutError(f"{self.channel} bot still busy after {timeout}s")
            await asyncio.sleep(0.02)

    async def expire_idle_flows(self) -> int:
        """The idle limit passed: fire the conversations' idle timers now (see run_idle_timers)."""
        fired = await run_idle_timers(self.app)
        await self.settle()
        return fired
