"""`kill -9` in the middle of a conversation: `chibo run` as a real process, killed the moment a
reply reaches the (local) Bot API, then started again. Whatever question a reply showed, the flow
resumes at it; a save either happened once or not at all, and the user can tell which."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.domain.roles import Role
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.records import SentMessage
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import Candidate, Cell
from bot.store.users import upsert_user
from bot.texts import t

TOKEN = "424242:KILL-test-token"
SECRETARY = 5001
NAME = "Nguyễn Thị Mai"


def q_name() -> str:
    return t("uv.ask.name", "vi", cell="Chi bộ tổ 16")


def q_birth() -> str:
    return t("uv.ask.birth", "vi", name=NAME)


def q_gender() -> str:
    return t("uv.ask.gender", "vi", name=NAME)


def q_background() -> str:
    return t("uv.ask.background", "vi", name=NAME)


def q_spotted() -> str:
    return t("uv.ask.spotted", "vi", name=NAME)


class Bot:
    """`chibo run` in a child process, killed and started again at will."""

    def __init__(self, emu: BotApiEmulator, config: Path, log: Path) -> None:
        self.emu, self.config, self.log = emu, config, log
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        polls = len(self.emu.calls("getUpdates"))
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--config", str(self.config), "--log-level", "INFO",
                env={**os.environ, "CHIBO_TELEGRAM_TOKEN": TOKEN}, stdout=out, stderr=out)
        await self.emu.wait_until(lambda: len(self.emu.calls("getUpdates")) > polls, timeout=60,
                                  what="the bot polling")

    async def kill(self, after: float = 0.0) -> None:
        """SIGKILL, `after` seconds from now: no shutdown, no flush, nothing."""
        if after:
            await asyncio.sleep(after)
        assert self.proc is not None
        self.proc.kill()
        await self.proc.wait()

    async def restart(self, after: float = 0.0) -> None:
        await self.kill(after)
        await self.start()


async def reply_then_kill(bot: Bot, expected: str, *, after: float = 0.0) -> SentMessage:
    """Waits for the bot's reply `expected` and kills the bot as soon as it is there (or `after`
    seconds later), then starts it again."""
    [message] = await bot.emu.wait_for_messages(SECRETARY, timeout=30)
    assert message.text == expected
    await bot.restart(after)
    bot.emu.mark_seen(SECRETARY)
    return message


def say(bot: Bot, text: str) -> None:
    bot.emu.mark_seen(SECRETARY)
    bot.emu.send_text(SECRETARY, text)


def press(bot: Bot, label: str) -> None:
    for message in reversed(bot.emu.messages(SECRETARY)):
        if message.buttons and not message.deleted:
            bot.emu.mark_seen(SECRETARY)
            current = bot.emu.message(SECRETARY, message.message_id)
            bot.emu.press_button(SECRETARY, message.message_id, current.button_data(label))
            return
    raise LookupError("no message with buttons")


async def candidates(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Candidate)) or 0)


@pytest.fixture
async def killable(tmp_path: Path) -> AsyncIterator[tuple[Bot, Database]]:
    """A ward with one registered secretary, and the bot running against the emulator."""
    path = tmp_path / "ward.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    from bot.store.schema import upgrade_schema

    await upgrade_schema(db)
    async with db.write() as session:
        committee_id, _ = await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ", "")
        cell = Cell(committee_id=committee_id, name="Chi bộ tổ 16", kind="residential")
        session.add(cell)
        await session.flush()
        await upsert_user(session, channel="telegram", external_id=str(SECRETARY), chat_id=SECRETARY,
                          display_name="Trần Văn Bình", role=Role.SECRETARY, cell_id=cell.id,
                          cell_ids=frozenset())
    async with BotApiEmulator(token=TOKEN) as emu:
        emu.add_user(SECRETARY, "Trần Văn Bình")
        config = tmp_path / "chibo.toml"
        config.write_text(
            f'[database]\nurl = "{path}"\n[telegram]\nbase_url = "{emu.base_url}"\n'
            f'base_file_url = "{emu.base_file_url}"\n[reminders]\nenabled = false\n', encoding="utf-8")
        bot = Bot(emu, config, tmp_path / "bot.log")
        await bot.start()
        try:
            yield bot, db
        finally:
            if bot.proc is not None and bot.proc.returncode is None:
                await bot.kill()
            await db.dispose()


async def test_killed_right_after_each_reply_the_flow_resumes_at_the_step_shown(
    killable: tuple[Bot, Database],
) -> None:
    bot, db = killable
    say(bot, "/ungvien")
    await reply_then_kill(bot, q_name())  # step 1 shown, then killed at once
    say(bot, NAME)
    await reply_then_kill(bot, q_birth())
    say(bot, "12/3/1998")  # taken as the birth date: the flow was at step 2, not back at 1
    await reply_then_kill(bot, q_gender(), after=0.05)
    press(bot, t("gender.female", "vi"))
    await reply_then_kill(bot, q_background())
    press(bot, t("background.youth_union", "vi"))
    await reply_then_kill(bot, q_spotted(), after=0.15)
    press(bot, t("button.today", "vi"))
    [helper] = await bot.emu.wait_for_messages(SECRETARY, timeout=30)
    await bot.restart()
    assert helper.button_data(t("button.skip", "vi"))
    press(bot, t("button.skip", "vi"))
    [summary] = await bot.emu.wait_for_messages(SECRETARY, timeout=30)
    assert summary.button_data(t("button.save", "vi"))  # the summary, "✅ Lưu" on it
    await bot.restart()
    press(bot, t("button.save", "vi"))
    [saved] = await bot.emu.wait_for_messages(SECRETARY, timeout=30)
    assert NAME in (saved.text or "") and saved.text != summary.text
    await bot.restart()
    assert await candidates(db) == 1
    say(bot, "/ungvien")  # the flow is over: a new one starts at step 1 (not "busy", not step 6)
    [again] = await bot.emu.wait_for_messages(SECRETARY, timeout=30)
    assert again.text == q_name()
    assert await candidates(db) == 1


@pytest.mark.parametrize("after", [0.0, 0.02, 0.05, 0.15])
async def test_killed_just_after_save_is_pressed_nothing_is_half_saved(
    killable: tuple[Bot, Database], after: float,
) -> None:
    """Between "✅ Lưu" and its confirmation: either the save and the flow's end are both there,
    or neither is and the summary can be saved again; never back at step 6 or step 1."""
    bot, db = killable
    say(bot, "/ungvien")
    for answer, question in ((None, q_name()), (NAME, q_birth()), ("12/3/1998", q_gender())):
        if answer:
            say(bot, answer)
        [message] = await bot.emu.wait_for_messages(SECRETARY, timeout=30)
        assert message.text == question
    for label in (t("gender.female", "vi"), t("background.youth_union", "vi"), t("button.today", "vi"),
                  t("button.skip", "vi")):
        press(bot, label)
        [summary] = await bot.emu.wait_for_messages(SECRETARY, timeout=30)
    assert summary.button_data(t("button.save", "vi"))
    press(bot, t("button.save", "vi"))
    await bot.restart(after)
    shown = [m.text or "" for m in bot.emu.new_messages(SECRETARY)]
    summary = bot.emu.message(SECRETARY, summary.message_id)  # as the user sees it now
    if shown or not summary.buttons:
        # The confirmation went out, or at least the buttons came off the summary (that edit
        # follows the save's commit): it was saved once, and the flow is over.
        assert await candidates(db) == 1 and all(NAME in text for text in shown)
        say(bot, "xin chào")  # no flow waits for an answer: plain text gets the hint
        [answer] = await bot.emu.wait_for_messages(SECRETARY, timeout=30)
        assert answer.text == t("free_text_hint", "vi")
    else:  # nothing happened that the user can see: "✅ Lưu" is still there, press it again
        press(bot, t("button.save", "vi"))
        [answer] = await bot.emu.wait_for_messages(SECRETARY, timeout=30)
        assert NAME in (answer.text or "")  # saved now, or "already reported" naming the person
    assert await candidates(db) == 1
