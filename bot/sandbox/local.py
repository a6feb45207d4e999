"""The real bot wired to the local Bot API emulator: used by `chibo try` and the end-to-end tests.

`LocalBot` owns an emulator and a real PTB Application built by `bot.app.build_application`,
talking to each other over HTTP on 127.0.0.1. It can be restarted over the same database (to
prove that conversations survive), and its clock can be set (to test dates and idle timeouts).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.app import build_application, start_polling, stop
from bot.config import Settings
from bot.handlers.runtime import ChiboApplication, Runtime
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.records import SentMessage
from bot.store.db import Database

LOCAL_TOKEN = "123456789:LOCAL-emulator-token-not-secret"


@dataclass
class ManualClock:
    """A clock tests can set and move; `chibo try` uses the real one."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now


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


class LocalBot:
    channel = "telegram"
    def __init__(
        self, settings: Settings, db: Database, *, clock: Callable[[], datetime] | None = None,
        token: str = LOCAL_TOKEN, bot_username: str = "chibo_demo_bot",
        idle_seconds: float | None = None, schedule_jobs: bool = False,
    ) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock or (lambda: datetime.now(UTC))
        self.token = token
        self.idle_seconds = idle_seconds
        # Scheduled reminders run on wall-clock time; tests drive them explicitly instead.
        self.schedule_jobs = schedule_jobs
        self.emulator = BotApiEmulator(token=token, bot_username=bot_username)
        self.app: ChiboApplication | None = None

    async def start(self) -> LocalBot:
        await self.emulator.start()
        await self._start_app()
        return self

    async def _start_app(self) -> None:
        self.app = build_application(
            Runtime(self.settings, self.db, self.clock, self.idle_seconds), self.token,
            base_url=self.emulator.base_url, base_file_url=self.emulator.base_file_url,
            schedule_jobs=self.schedule_jobs,
        )
        await start_polling(self.app, poll_interval=0.0)

    async def restart(self) -> None:
        """Stop the Application (flushing its persistence) and start a fresh one on the same DB."""
        assert self.app is not None
        await stop(self.app)
        await self._start_app()

    async def stop(self) -> None:
        if self.app is not None:
            await stop(self.app)
            self.app = None
        await self.emulator.stop()

    async def __aenter__(self) -> LocalBot:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def add_user(self, user_id: int, name: str) -> None:
        first, _, last = name.rpartition(" ")
        self.emulator.add_user(user_id, first_name=last or name, last_name=first or None)

    async def settle(self, timeout: float = 15.0) -> None:
        """Wait until every update was fetched *and handled* and the bot went quiet.

        HTTP silence alone is not enough: a handler may be busy with the database between two
        requests, which on a loaded machine takes longer than any fixed quiet period.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            await self.emulator.wait_idle(quiet=0.1, timeout=max(remaining, 0.1))
            if self.app is None or not self.app.busy:
                await asyncio.sleep(0.05)  # a handler's last request may still be on its way
                if (self.app is None or not self.app.busy) and self.emulator.idle:
                    return
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"bot still busy after {timeout}s")
            await asyncio.sleep(0.02)

    async def say(self, user_id: int, text: str) -> list[SentMessage]:
        """Send `text` as the user; return what the bot sent back once it went quiet."""
        self.emulator.mark_seen(user_id)
        self.emulator.send_text(user_id, text)
        await self.settle()
        return self.emulator.new_messages(user_id)

    async def expire_idle_flows(self) -> int:
        """The idle limit passed: fire the conversations' idle timers now (see run_idle_timers)."""
        fired = await run_idle_timers(self.app)
        await self.settle()
        return fired

    async def press(self, user_id: int, label: str, message: SentMessage | None = None) -> list[SentMessage]:
        """Press the button labelled `label` on `message` (default: the newest message with buttons)."""
        target = message or self.last_with_buttons(user_id)
        target = self.emulator.message(user_id, target.message_id)
        self.emulator.mark_seen(user_id)
        self.emulator.press_button(user_id, target.message_id, target.button_data(label))
        await self.settle()
        return self.emulator.new_messages(user_id)

    async def double_tap(self, user_id: int, label: str, message: SentMessage) -> list[SentMessage]:
        """Press `label` twice in quick succession: both taps queued before the bot answers."""
        data = message.button_data(label)
        self.emulator.mark_seen(user_id)
        self.emulator.press_button(user_id, message.message_id, data)
        self.emulator.press_button(user_id, message.message_id, data, forged=True)
        await self.settle()
        return self.emulator.new_messages(user_id)

    async def press_data(self, user_id: int, data: str, message_id: int | None = None) -> list[SentMessage]:
        """Press a button with arbitrary data (forged or stale), as a modified client could."""
        self.emulator.mark_seen(user_id)
        mid = message_id if message_id is not None else self.emulator.last_message(user_id).message_id
        self.emulator.press_button(user_id, mid, data, forged=True)
        await self.settle()
        return self.emulator.new_messages(user_id)

    def last_with_buttons(self, user_id: int) -> SentMessage:
        for message in reversed(self.emulator.messages(user_id)):
            if message.buttons and not message.deleted:
                return message
        raise LookupError(f"no message with buttons in chat {user_id}")

    def current(self, message: SentMessage) -> SentMessage:
        """The message as the user sees it now (after edits)."""
        return self.emulator.message(message.chat_id, message.message_id)
