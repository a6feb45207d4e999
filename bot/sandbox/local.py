"""The real bot wired to the local Bot API emulator: used by `chibo try` and the end-to-end tests.

`LocalBot` owns an emulator and a real PTB Application built by `bot.app.build_application`,
talking to each other over HTTP on 127.0.0.1. It can be restarted over the same database (to
prove that conversations survive), and its clock can be set (to test dates and idle timeouts).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.config import Settings
from bot.domain.channels import TELEGRAM
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.harness import LocalChannelBot, ManualClock, run_idle_timers
from bot.sandbox.records import SentMessage
from bot.store.db import Database

LOCAL_TOKEN = "123456789:LOCAL-emulator-token-not-secret"
__all__ = ["LOCAL_TOKEN", "LocalBot", "ManualClock", "run_idle_timers"]


class LocalBot(LocalChannelBot):
    """The Telegram Application against the local Bot API emulator."""

    channel = TELEGRAM

    def __init__(
        self, settings: Settings, db: Database, *, clock: Callable[[], datetime] | None = None,
        token: str = LOCAL_TOKEN, bot_username: str = "chibo_demo_bot",
        idle_seconds: float | None = None, schedule_jobs: bool = False,
    ) -> None:
        self.emulator = BotApiEmulator(token=token, bot_username=bot_username)
        super().__init__(settings, db, self.emulator, token=token, clock=clock,
                         idle_seconds=idle_seconds, schedule_jobs=schedule_jobs)

    def _base_urls(self) -> dict[str, str]:
        return {"base_url": self.emulator.base_url, "base_file_url": self.emulator.base_file_url}

    def add_user(self, user_id: int, name: str) -> None:
        first, _, last = name.rpartition(" ")
        self.emulator.add_user(user_id, first_name=last or name, last_name=first or None)

    async def say(self, user_id: int, text: str) -> list[SentMessage]:
        """Send `text` as the user; return what the bot sent back once it went quiet."""
        self.emulator.mark_seen(user_id)
        self.emulator.send_text(user_id, text)
        await self.settle()
        return self.emulator.new_messages(user_id)

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
