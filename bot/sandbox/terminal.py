"""`chibo try`: chat with the real bot in a terminal, as a demo user, with no Telegram and no token.

Telegram (default): bot messages are printed as they arrive; inline buttons appear as numbered
choices ([1] Lưu …) and typing the number presses the button. Zalo (`--channel zalo`): exactly
the plain text a Zalo user reads, numbered choices included, and every typed line goes to the bot
as a Zalo message (typing "1" is what chooses, as on a phone). With stdin not a terminal, each
input line is one message and the program ends after the bot's last reply, so sessions can be
scripted.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.domain.cells import fold_name
from bot.domain.channels import TELEGRAM, sample_external_id
from bot.sandbox.local import LocalBot
from bot.sandbox.records import SentMessage
from bot.sandbox.zalo_local import ZaloLocalBot, ZaloShown
from bot.store.db import Database
from bot.store.schema import upgrade_schema
from bot.store.users import UserInfo
from bot.texts import t

QUIT_WORDS = {"/thoat", "/quit", "/exit"}
LITERAL_PREFIX = "="  # "=12" sends the text "12" even while buttons are numbered


class UnknownDemoUser(Exception):
    """`--as` named nobody in the demo database."""


async def _ensure_demo(db: Database, settings: Settings, out: TextIO, channel: str,
                       today: date) -> None:
    from bot.demo.write import write_demo_ward
    from bot.store.committees import list_wards

    await upgrade_schema(db)
    async with db.read() as session:
        if await list_wards(session):
            return
    print(t("try.creating_demo", settings.general.language), file=out, flush=True)
    await write_demo_ward(db, today=today, channel=channel)


async def resolve_user(db: Database, who: str, channel: str = TELEGRAM) -> tuple[int, str, str]:
    """A demo user by role word, number or (part of) display name → (number, external id, name)."""
    from bot.demo.ward import DEMO_USERS
    from bot.store.users import list_active_users

    users = [u for u in await _users(db, list_active_users) if u.channel == channel]
    by_external = {u.external_id: u.display_name for u in users}
    key = who.strip().lower()
    number = DEMO_USERS.get(key) or (int(key) if key.isdigit() else None)
    if number is not None and sample_external_id(channel, number) in by_external:
        external = sample_external_id(channel, number)
        return number, external, by_external[external]
    matches = [(e, n) for e, n in by_external.items() if fold_name(who) in fold_name(n)]
    if len(matches) == 1:
        external, name = matches[0]
        return (int(external) if external.isdigit() else 1), external, name
    raise UnknownDemoUser(who)


async def _users(db: Database, lister: Callable[[AsyncSession], Awaitable[list[UserInfo]]]) -> list[UserInfo]:
    async with db.read() as session:
        return await lister(session)


class TerminalChat:
    """Prints what the bot sends to one chat and turns typed numbers into button presses."""

    def __init__(self, bot: LocalBot, user_id: int, out: TextIO) -> None:
        self.bot = bot
        self.user_id = user_id
        self.out = out
        self.buttons: list[tuple[int, str]] = []  # (message id, label) of the newest keyboard
        self.closed = False  # the reader went away (`chibo try … | head`): stop quietly
        bot.emulator.add_listener(self._on_event)

    def _on_event(self, event: str, message: SentMessage) -> None:
        if message.chat_id != self.user_id or event == "deleted" or self.closed:
            return
        try:
            self._show(event, message)
        except BrokenPipeError:
            self.closed = True
            # Python's recipe: point stdout at /dev/null so the final flush cannot fail too.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.out.fileno())

    def _show(self, event: str, message: SentMessage) -> None:
        same_text = event == "edited" and bool(message.edits) and message.edits[-1].text == message.text
        if not same_text:  # an edit that only took the buttons away is not worth repeating
            prefix = "🤖 " if event == "sent" else "🤖 (sửa) "
            print(prefix + (message.text or f"[{message.kind}]").replace("\n", "\n   "), file=self.out)
        if message.file is not None:
            print(f"   📎 {message.file.filename} ({message.file.size} bytes)", file=self.out)
        if message.buttons:  # new keyboard, or the same text with a ✅ toggled: number the choices
            self.buttons = [(message.message_id, b.text) for row in message.buttons for b in row]
            choices = "  ".join(f"[{i}] {label}" for i, (_, label) in enumerate(self.buttons, 1))
            print("   " + choices, file=self.out)
        elif self.buttons and self.buttons[0][0] == message.message_id:
            self.buttons = []  # that keyboard was edited away
        self.out.flush()

    async def handle(self, line: str) -> None:
        text = line.strip()
        if not text:
            return
        if text.isdigit() and 1 <= int(text) <= len(self.buttons):
            message_id, label = self.buttons[int(text) - 1]
            print(f"   (bấm: {label})", file=self.out, flush=True)
            message = self.bot.emulator.message(self.user_id, message_id)
            await self.bot.press(self.user_id, label, message)
            return
        if text.startswith(LITERAL_PREFIX) and text[1:].strip():
            text = text[1:].strip()
        await self.bot.say(self.user_id, text)


class ZaloTerminalChat:
    """Prints what a Zalo user reads, as they read it; every line typed is a Zalo message."""

    def __init__(self, bot: ZaloLocalBot, user_id: int, out: TextIO) -> None:
        self.bot = bot
        self.user_id = user_id
        self.out = out
        self.closed = False

    def _print(self, messages: list[ZaloShown]) -> None:
        try:
            for message in messages:
                shown = message.raw_text or (f"[ảnh] {message.photo}" if message.photo else "")
                print("🤖 " + shown.replace("\n", "\n   "), file=self.out)
            self.out.flush()
        except BrokenPipeError:
            self.closed = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.out.fileno())

    async def handle(self, line: str) -> None:
        self._print(self.bot.new_messages(self.user_id))  # pushed meanwhile (an idle flow ending)
        text = line.strip()
        if text:
            self._print(await self.bot.say(self.user_id, text))


async def run_terminal_chat(settings: Settings, *, as_user: str, fresh: bool = False,
                            stdin: TextIO | None = None, out: TextIO | None = None,
                            channel: str = TELEGRAM, today: date | None = None) -> int:
    """Chat as a demo user; `today` pins the clock (9:00 local that day) for replayable scripts."""
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    lang = settings.general.language
    db = Database(settings.database_url)
    try:
        clock = None if today is None else _pinned_clock(today, settings)
        await _ensure_demo(db, settings, out, channel,
                           today or datetime.now(settings.tz).date())
        try:
            user_id, external_id, name = await resolve_user(db, as_user, channel)
        except UnknownDemoUser:
            print(t("try.unknown_user", lang, who=as_user, channel=channel), file=sys.stderr)
            return 2
        if fresh:
            from bot.store.persistence import DatabasePersistence

            await DatabasePersistence(db, channel=channel).drop_all()
        bot: LocalBot | ZaloLocalBot = (LocalBot(settings, db, clock=clock) if channel == TELEGRAM
                                        else ZaloLocalBot(settings, db, clock=clock))
        async with bot:
            chat: TerminalChat | ZaloTerminalChat
            if isinstance(bot, ZaloLocalBot):
                bot.name_as(user_id, external_id)
                bot.add_user(user_id, name)
                chat = ZaloTerminalChat(bot, user_id, out)
            else:
                bot.add_user(user_id, name)
                chat = TerminalChat(bot, user_id, out)
            interactive = stdin.isatty()
            if interactive:
                print(t("try.banner", lang, name=name), file=out, flush=True)
            loop = asyncio.get_running_loop()
            while True:
                if interactive:
                    line = await loop.run_in_executor(None, _prompt)
                else:
                    line = await loop.run_in_executor(None, stdin.readline)
                    if line and not chat.closed:
                        try:
                            print(f"> {line.rstrip()}", file=out, flush=True)
                        except BrokenPipeError:
                            break
                if line is None or line == "" or line.strip() in QUIT_WORDS or chat.closed:
                    break
                await chat.handle(line)
    finally:
        await db.dispose()
    return 0


def _pinned_clock(today: date, settings: Settings) -> Callable[[], datetime]:
    """A clock that always reads 9:00 local time on `today`: inside working hours, never "now"."""
    pinned = datetime.combine(today, time(9, 0), settings.tz).astimezone(UTC)
    return lambda: pinned


def _prompt() -> str | None:
    try:
        return input("> ") + "\n"
    except EOFError:
        return None
