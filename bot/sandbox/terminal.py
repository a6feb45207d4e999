"""`chibo try`: chat with the real bot in a terminal, as a demo user, with no Telegram and no token.

Bot messages are printed as they arrive; inline buttons appear as numbered choices ([1] Lưu …)
and typing the number presses the button. With stdin not a terminal, each input line is one
message and the program ends after the bot's last reply, so sessions can be scripted.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.domain.cells import fold_name
from bot.sandbox.local import LocalBot
from bot.sandbox.records import SentMessage
from bot.store.db import Database
from bot.store.schema import upgrade_schema
from bot.store.users import UserInfo
from bot.texts import t

QUIT_WORDS = {"/thoat", "/quit", "/exit"}
LITERAL_PREFIX = "="  # "=12" sends the text "12" even while buttons are numbered


class UnknownDemoUser(Exception):
    """`--as` named nobody in the demo database."""


async def _ensure_demo(db: Database, settings: Settings, out: TextIO) -> None:
    from bot.store.committees import get_committee
    from bot.store.demo import write_demo_ward

    await upgrade_schema(db)
    async with db.read() as session:
        if await get_committee(session) is not None:
            return
    print(t("try.creating_demo", settings.general.language), file=out, flush=True)
    await write_demo_ward(db, today=datetime.now(settings.tz).date())


async def resolve_user(db: Database, who: str) -> tuple[int, str]:
    """A demo user by role word, Telegram id or (part of) display name → (telegram id, name)."""
    from bot.store.demo import DEMO_USERS
    from bot.store.users import list_active_users

    users = [u for u in await _users(db, list_active_users) if u.channel == "telegram"]
    by_id = {int(u.external_id): u.display_name for u in users if u.external_id.isdigit()}
    key = who.strip().lower()
    if key in DEMO_USERS and DEMO_USERS[key] in by_id:
        return DEMO_USERS[key], by_id[DEMO_USERS[key]]
    if key.isdigit() and int(key) in by_id:
        return int(key), by_id[int(key)]
    matches = [(i, n) for i, n in by_id.items() if fold_name(who) in fold_name(n)]
    if len(matches) == 1:
        return matches[0]
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


async def run_terminal_chat(settings: Settings, *, as_user: str, fresh: bool = False,
                            stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    lang = settings.general.language
    db = Database(settings.database_url)
    try:
        await _ensure_demo(db, settings, out)
        try:
            user_id, name = await resolve_user(db, as_user)
        except UnknownDemoUser:
            print(t("try.unknown_user", lang, who=as_user), file=sys.stderr)
            return 2
        if fresh:
            from bot.store.persistence import DatabasePersistence

            await DatabasePersistence(db).drop_all()
        async with LocalBot(settings, db) as bot:
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


def _prompt() -> str | None:
    try:
        return input("> ") + "\n"
    except EOFError:
        return None
