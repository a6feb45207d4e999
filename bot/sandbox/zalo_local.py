"""The real bot's Zalo Application wired to the local Zalo emulator: `chibo try --channel zalo` and
the Zalo half of the end-to-end tests.

`ZaloLocalBot` offers what `LocalBot` offers (say, press, restart, settle …) so one test drives
either channel. What a Zalo user reads is plain text; `ZaloShown` reads it back the way a person
does: the text, and the numbered choices (or the words to type) under it. Pressing a "button"
types its number, exactly as a secretary would.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.channels.zalo_render import typed_label
from bot.channels.zalo_request import synthetic_message_id
from bot.config import Settings
from bot.domain.channels import ZALO, sample_external_id
from bot.sandbox.harness import LocalChannelBot
from bot.sandbox.records import Button
from bot.sandbox.zalo_emulator import ZaloEmulator, ZaloSent
from bot.store.db import Database
from bot.texts import t

LOCAL_ZALO_TOKEN = "1234567890:LOCAL-zalo-token-not-secret"
_NUMBERED = re.compile(r"^(\d+)\. (.+)$")


def zalo_id(user_id: int) -> str:
    """The Zalo id of test or demo user `user_id` (tests name people by number on both channels)."""
    return sample_external_id(ZALO, user_id)


@dataclass
class ZaloShown:
    """One Zalo message as its reader understands it: the text and the choices under it."""

    message_id: str
    chat_id: int  # the test's number for the person (their Zalo id is zalo_id(chat_id))
    text: str | None
    raw_text: str
    buttons: list[list[Button]]  # one choice a row; data is what to type to choose it
    photo: str | None = None
    deleted: bool = False
    kind: str = "text"
    edits: list[object] = field(default_factory=list)  # Zalo cannot edit: always empty

    @property
    def button_texts(self) -> list[str]:
        return [b.text for row in self.buttons for b in row]

    def button_data(self, label: str) -> str:
        """What to type to press `label`: its number, or its words (shown without decorations)."""
        for row in self.buttons:
            for button in row:
                if typed_label(button.text) == typed_label(label) and button.data is not None:
                    return button.data
        raise KeyError(f"no choice {label!r} under message {self.message_id}: {self.button_texts}")


def read_message(sent: ZaloSent, chat_number: int, lang: str = "vi") -> ZaloShown:
    """Split a Zalo text into what it says and the choices it offers."""
    raw = sent.text
    body, buttons = raw, []
    number_hint = t("zalo.choose_by_number", lang)
    prefix, _, suffix = t("zalo.type_words", lang, words="\0").partition("\0")
    head, sep, tail = raw.rpartition("\n\n")
    if raw.endswith("\n" + number_hint) and sep:
        lines = tail.split("\n")[:-1]
        matches = [_NUMBERED.match(line) for line in lines]
        if lines and all(matches):
            body = head
            buttons = [[Button(m.group(2), m.group(1))] for m in matches if m]
    elif sep and tail.startswith(prefix) and tail.endswith(suffix):
        body = head
        buttons = [[Button(word, word)] for word in re.findall(r"«([^»]+)»", tail)]
    return ZaloShown(sent.message_id, chat_number, body if body or not sent.photo else None, raw,
                     buttons, photo=sent.photo, kind="photo" if sent.photo else "text")


class ZaloUserSide:
    """The Zalo emulator's user side, addressed by the tests' numbers for people (as LocalBot's
    emulator is), reading messages back as `ZaloShown`. Anything else goes to the emulator."""

    def __init__(self, bot: ZaloLocalBot) -> None:
        self._bot = bot
        self.raw = bot.zalo

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)

    def _id(self, user_id: int) -> str:
        return self._bot.zalo_id(user_id)

    def send_text(self, user_id: int, text: str, chat_id: int | None = None) -> dict[str, Any]:
        group = self._id(chat_id) if chat_id is not None and chat_id != user_id else None
        return self.raw.send_text(self._id(user_id), text, group)

    def add_group(self, chat_id: int, title: str) -> None:
        self.raw.add_group(self._id(chat_id), title)

    def send_sticker(self, user_id: int) -> dict[str, Any]:
        return self.raw.send_sticker(self._id(user_id))

    def send_photo(self, user_id: int) -> dict[str, Any]:
        return self.raw.send_image(self._id(user_id))

    def block_user(self, user_id: int, blocked: bool = True) -> None:
        self.raw.block_user(self._id(user_id), blocked)

    def add_user(self, user_id: int, first_name: str = "", last_name: str | None = None) -> None:
        self.raw.add_user(self._id(user_id), " ".join(p for p in (last_name, first_name) if p))

    @property
    def users(self) -> list[int]:
        return [self._bot.number_of(zid) for zid in self.raw.users]

    def mark_seen(self, user_id: int | None = None) -> None:
        for zid in [self._id(user_id)] if user_id is not None else list(self.raw.users):
            self.raw.mark_seen(zid)

    def messages(self, user_id: int) -> list[ZaloShown]:
        return self._bot.messages(user_id)

    def new_messages(self, user_id: int) -> list[ZaloShown]:
        return self._bot.new_messages(user_id)

    def last_message(self, user_id: int) -> ZaloShown:
        sent = self.messages(user_id)
        if not sent:
            raise LookupError(f"the bot sent nothing to {user_id}")
        return sent[-1]

    def calls(self, method: str) -> list[Any]:
        return self.raw.calls_of(method)


class ZaloLocalBot(LocalChannelBot):
    """The Zalo Application against the local Zalo emulator."""

    channel = ZALO
    poll_timeout = 10

    def __init__(
        self, settings: Settings, db: Database, *, clock: Callable[[], datetime] | None = None,
        token: str = LOCAL_ZALO_TOKEN, idle_seconds: float | None = None, schedule_jobs: bool = False,
    ) -> None:
        self.zalo = ZaloEmulator(token=token)
        super().__init__(settings, db, self.zalo, token=token, clock=clock, idle_seconds=idle_seconds,
                         schedule_jobs=schedule_jobs)
        self.emulator = ZaloUserSide(self)
        self._numbers: dict[str, int] = {}
        self._named: dict[int, str] = {}

    def _base_urls(self) -> dict[str, str]:
        return {"base_url": self.zalo.base_url}

    # ── people ──────────────────────────────────────────────────────────────────────────
    def zalo_id(self, user_id: int) -> str:
        zid = self._named.get(user_id) or zalo_id(user_id)
        self._numbers[zid] = user_id
        return zid

    def name_as(self, user_id: int, zid: str) -> None:
        """Let number `user_id` stand for the Zalo id `zid` (a person found in the database)."""
        self._named[user_id] = zid

    def number_of(self, zid: str) -> int:
        """The test's number for a Zalo id (ids the tests never named keep a number of their own)."""
        return self._numbers.setdefault(zid, -len(self._numbers) - 1)

    def add_user(self, user_id: int, name: str) -> None:
        self.zalo.add_user(self.zalo_id(user_id), name)

    # ── talking ─────────────────────────────────────────────────────────────────────────
    def shown(self, user_id: int, sent: list[ZaloSent]) -> list[ZaloShown]:
        return [read_message(m, user_id, self.settings.general.language) for m in sent]

    async def say(self, user_id: int, text: str) -> list[ZaloShown]:
        """Send `text` as the user; what the bot sent back once it went quiet."""
        zid = self.zalo_id(user_id)
        self.zalo.mark_seen(zid)
        self.zalo.send_text(zid, text)
        await self.settle()
        return self.new_messages(user_id)

    def new_messages(self, user_id: int) -> list[ZaloShown]:
        return self.shown(user_id, self.zalo.new_messages(self.zalo_id(user_id)))

    def messages(self, user_id: int) -> list[ZaloShown]:
        return self.shown(user_id, self.zalo.messages(self.zalo_id(user_id)))

    async def press(self, user_id: int, label: str, message: ZaloShown | None = None) -> list[ZaloShown]:
        """Choose `label` under `message` (default: the newest message with choices) by typing it."""
        target = message or self.last_with_buttons(user_id)
        return await self.say(user_id, target.button_data(label))

    async def double_tap(self, user_id: int, label: str, message: ZaloShown) -> list[ZaloShown]:
        """Type the choice twice in quick succession: both queued before the bot answers."""
        zid = self.zalo_id(user_id)
        self.zalo.mark_seen(zid)
        typed = message.button_data(label)
        self.zalo.send_text(zid, typed)
        self.zalo.send_text(zid, typed)
        await self.settle()
        return self.new_messages(user_id)

    def last_with_buttons(self, user_id: int) -> ZaloShown:
        for message in reversed(self.messages(user_id)):
            if message.buttons:
                return message
        raise LookupError(f"no message with choices in chat {user_id}")

    def current(self, message: ZaloShown) -> ZaloShown:
        """The message as its reader sees it now. Where Telegram edits a message, Zalo sends a
        new one: the newest such version. Its choices still press only while they are the
        chat's live ones (no later message took over, the keyboard was not withdrawn)."""
        assert self.app is not None
        request = self.app.bot.request
        versions: dict[int, int] = getattr(request, "newest_version", {})
        own = synthetic_message_id(message.message_id)
        newest_id = versions.get(own, own)
        newest = next((m for m in self.messages(message.chat_id)
                       if synthetic_message_id(m.message_id) == newest_id), message)
        live = getattr(request, "live_choices", {}).get(self.zalo_id(message.chat_id))
        return newest if live == newest_id else dataclasses.replace(newest, buttons=[])
