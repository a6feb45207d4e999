"""What a real phone, a flaky network and a curious user do to the bot: edits, late answers,
buttons from elsewhere, odd digits, forged ids, a lost confirmation, a blocked-then-unblocked bot."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.demo.ward import DEMO_USERS
from bot.domain.channels import sample_external_id
from bot.jobs.sender import Sender
from bot.sandbox.local import LocalBot
from bot.sandbox.records import SentMessage
from bot.services.reminders import run_due_sweeps
from bot.store.models import Candidate, Meeting, User
from bot.texts import t
from tests.e2e.conftest import IDLE

SECRETARY = DEMO_USERS["secretary"]


def _lose_the_next_confirmation(bot: LocalBot) -> None:
    """The network fails right after "Lưu": the keyboard is not taken off, the answer not sent."""
    if bot.channel == "telegram":
        bot.emulator.inject_fault("editMessageReplyMarkup", 502, times=1)
        bot.emulator.inject_fault("sendMessage", 502, times=1)
    else:  # Zalo has no keyboard to take off: its one call, the answer, fails
        bot.emulator.inject_fault("sendMessage", 502, times=1)


async def _tap_again(bot: LocalBot, summary: SentMessage, data: str) -> None:
    """The person, seeing no answer, taps "Lưu" again (on Zalo: types its number again)."""
    if bot.channel == "telegram":
        await bot.press_data(SECRETARY, data, message_id=summary.message_id)
    else:
        await bot.say(SECRETARY, summary.button_data(t("button.save", "vi")))


async def _count(bot: LocalBot, model: type) -> int:
    async with bot.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.telegram_only  # Zalo has no message edits
async def test_an_edited_message_is_not_taken_as_an_answer(demo_bot: LocalBot) -> None:
    first = await demo_bot.say(SECRETARY, "/ungvien")
    assert first
    sent = demo_bot.emulator.send_text(SECRETARY, "Nguyễn Thị Ma")
    await demo_bot.settle()
    demo_bot.emulator.mark_seen(SECRETARY)
    edited = dict(sent["message"], text="Nguyễn Thị Mai", edit_date=int(time.time()))
    demo_bot.emulator.send_update({"edited_message": edited})
    await demo_bot.settle()
    replies = demo_bot.emulator.new_messages(SECRETARY)
    assert [m.text for m in replies] == [t("edited_ignored", "vi")]
    # The flow goes on at the birth question, with the name as first typed.
    birth = await demo_bot.say(SECRETARY, "1/1/2000")
    assert "Nguyễn Thị Ma?" in (birth[-1].text or "")


@pytest.mark.telegram_only  # an old message's button: on Zalo only the newest choices press
async def test_a_reminder_button_cannot_start_a_second_flow_over_the_first(demo_bot: LocalBot) -> None:
    await demo_bot.say(SECRETARY, "/sinhhoat")
    replies = await demo_bot.press_data(SECRETARY, "go:capnhat")
    assert replies[0].text == t("flow.busy", "vi", flow=t("flow.name.sinhhoat", "vi"),
                                command=t("flow.that_button", "vi"))
    assert (replies[1].text or "").startswith(t("meeting.ask_date", "vi", cell="Chi bộ tổ 16",
                                                example="28/11/2026")[:25])


async def test_answers_keep_a_flow_alive_past_the_idle_limit_in_total(demo_bot: LocalBot) -> None:
    """Idle means no answer for the limit, not a flow longer than it."""
    step = timedelta(seconds=IDLE * 0.75)
    await demo_bot.say(SECRETARY, "/ungvien")
    for answer in ("Nguyễn Thị Mai", "1/1/2000"):
        demo_bot.clock.now += step  # type: ignore[attr-defined]
        await demo_bot.say(SECRETARY, answer)
    demo_bot.clock.now += step  # type: ignore[attr-defined]  # 2¼ times the limit in all
    gender = await demo_bot.press(SECRETARY, t("gender.female", "vi"))
    assert gender[-1].text is not None and "Bước 4/6" in gender[-1].text


async def test_odd_digits_and_forged_huge_ids_get_a_clear_answer(demo_bot: LocalBot) -> None:
    replies = await demo_bot.say(SECRETARY, "/tiendo ²")
    assert replies[0].text == t("status.bad_year", "vi", value="²", command="tiendo", example=2025)
    if demo_bot.channel != "telegram":
        return  # the rest forges button data, which a Zalo user cannot send
    await demo_bot.say(SECRETARY, "/capnhat")
    forged = await demo_bot.press_data(SECRETARY, "cn:c:999999999999")
    assert forged and t("error.unexpected", "vi") not in [m.text for m in forged]
    snooze = await demo_bot.press_data(SECRETARY, "rm:snz:99999999999")
    assert t("error.unexpected", "vi") not in [m.text for m in snooze]
    assert demo_bot.emulator.unanswered_callbacks() == []


async def test_a_lost_confirmation_after_save_does_not_let_lưu_save_twice(demo_bot: LocalBot) -> None:
    await demo_bot.say(SECRETARY, "/ungvien")
    await demo_bot.say(SECRETARY, "Trần Văn Khải")
    await demo_bot.say(SECRETARY, "1998")
    await demo_bot.press(SECRETARY, t("gender.male", "vi"))
    await demo_bot.press(SECRETARY, t("background.worker", "vi"))
    await demo_bot.press(SECRETARY, t("button.today", "vi"))
    summary = (await demo_bot.press(SECRETARY, t("button.skip", "vi")))[-1]
    before = await _count(demo_bot, Candidate)
    _lose_the_next_confirmation(demo_bot)
    await demo_bot.press(SECRETARY, t("button.save", "vi"), summary)
    assert await _count(demo_bot, Candidate) == before + 1
    await _tap_again(demo_bot, summary, "uv:save")
    assert await _count(demo_bot, Candidate) == before + 1
    # Reporting the same person again is caught too, however the first report went.
    await demo_bot.say(SECRETARY, "/ungvien")
    for answer in ("Trần Văn Khải", "1998"):
        await demo_bot.say(SECRETARY, answer)
    await demo_bot.press(SECRETARY, t("gender.male", "vi"))
    await demo_bot.press(SECRETARY, t("background.worker", "vi"))
    await demo_bot.press(SECRETARY, t("button.today", "vi"))
    await demo_bot.press(SECRETARY, t("button.skip", "vi"))
    again = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert again[0].text == t("uv.error.duplicate_candidate", "vi", name="Trần Văn Khải", year=1998)
    assert await _count(demo_bot, Candidate) == before + 1


async def test_a_person_who_unblocks_the_bot_gets_reminders_again(demo_bot: LocalBot) -> None:
    settings = Settings()
    demo_bot.emulator.block_user(SECRETARY)
    demo_bot.clock.now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    await run_due_sweeps(demo_bot.db, settings, demo_bot.clock())
    await Sender(demo_bot.db, settings, demo_bot.clock).drain({demo_bot.channel: demo_bot.app.bot})  # type: ignore[union-attr]
    async with demo_bot.db.read() as session:
        assert await session.scalar(select(User.unreachable_since).where(
            User.external_id == sample_external_id(demo_bot.channel, SECRETARY))) is not None
    demo_bot.emulator.block_user(SECRETARY, blocked=False)
    await demo_bot.say(SECRETARY, "/tiendo")  # writing to the bot shows it is not blocked any more
    async with demo_bot.db.read() as session:
        assert await session.scalar(select(User.unreachable_since).where(
            User.external_id == sample_external_id(demo_bot.channel, SECRETARY))) is None
    demo_bot.clock.now = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # type: ignore[attr-defined]  # Monday
    results = await run_due_sweeps(demo_bot.db, settings, demo_bot.clock())
    mine = [p for r in results for p in r.planned
            if p.recipient and p.recipient.display_name == "Trần Văn Bình"]
    assert mine and not any(p.skipped for p in mine)


async def test_meeting_counts_stay_single_after_a_lost_confirmation(demo_bot: LocalBot) -> None:
    before = await _count(demo_bot, Meeting)
    await demo_bot.say(SECRETARY, "/sinhhoat")
    await demo_bot.press(SECRETARY, t("button.today", "vi"))
    await demo_bot.press(SECRETARY, t("meeting_kind.regular", "vi"))
    default = demo_bot.last_with_buttons(SECRETARY).button_texts[0]  # "121 đảng viên"
    expected = int(default.split()[0])
    await demo_bot.press(SECRETARY, default)
    await demo_bot.say(SECRETARY, str(expected))  # everybody came: no absentee questions
    summary = (await demo_bot.press(SECRETARY, t("button.yes", "vi")))[-1]
    assert t("button.save", "vi") in summary.button_texts
    _lose_the_next_confirmation(demo_bot)
    await demo_bot.press(SECRETARY, t("button.save", "vi"), summary)
    await _tap_again(demo_bot, summary, "sh:save")
    assert await _count(demo_bot, Meeting) == before + 1
