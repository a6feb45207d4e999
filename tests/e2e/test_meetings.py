"""/sinhhoat end to end: a secretary reports (or corrects) a cell meeting through the real bot."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.channels.zalo_render import typed_label
from bot.config import Settings
from bot.demo.ward import DEMO_USERS, TO16
from bot.domain.cells import fold_name
from bot.domain.errors import InvalidInput
from bot.domain.meetings import MeetingDraft, MeetingInfo, MeetingKind
from bot.domain.members import MemberInfo
from bot.domain.roles import Role
from bot.handlers.common import error_text
from bot.handlers.keyboards import page_count
from bot.sandbox.local import LocalBot, ManualClock
from bot.services.meetings import record_meeting
from bot.services.onboarding import create_invite, identify
from bot.store.meetings import get_meeting_on, list_active_members
from bot.store.models import AuditLog, Cell, Meeting, MeetingAbsence
from bot.texts import t
from bot.texts.picker import search_first_text
from tests.e2e.conftest import IDLE, second_tap_refused

SECRETARY = DEMO_USERS["secretary"]
TODAY = date(2026, 11, 28)  # the demo's today (tests/e2e/conftest.py START, in Hà Nội)
REPORTED = date(2026, 11, 12)  # tổ 16's last meeting in the demo
NEW_SECRETARY = 730001


def _ask_date(cell: str = TO16) -> str:
    return t("meeting.ask_date", "vi", cell=cell, example="28/11/2026")


def _ask_kind(on: str = "28/11/2026") -> str:
    return t("meeting.ask_kind", "vi", date=on)


def _ask_present(expected: int) -> str:
    return t("meeting.ask_present", "vi", expected=expected, example=expected - expected // 10)


async def _cell_id(bot: LocalBot, name: str = TO16) -> int:
    async with bot.db.read() as session:
        return int((await session.scalars(select(Cell.id).where(Cell.name == name))).one())


async def _members(bot: LocalBot, cell_id: int) -> list[MemberInfo]:
    async with bot.db.read() as session:
        return await list_active_members(session, cell_id)


async def _meetings_on(bot: LocalBot, cell_id: int, held_on: date) -> list[Meeting]:
    async with bot.db.read() as session:
        return list((await session.scalars(
            select(Meeting).where(Meeting.cell_id == cell_id, Meeting.held_on == held_on))).all())


async def _absences(bot: LocalBot, meeting_id: int) -> dict[int, bool]:
    async with bot.db.read() as session:
        rows = await session.execute(select(MeetingAbsence.member_id, MeetingAbsence.excused)
                                     .where(MeetingAbsence.meeting_id == meeting_id))
        return {member: excused for member, excused in rows.all()}


async def _audits(bot: LocalBot, meeting_id: int) -> list[AuditLog]:
    async with bot.db.read() as session:
        return list((await session.scalars(select(AuditLog).where(
            AuditLog.entity == "meeting", AuditLog.entity_id == meeting_id).order_by(AuditLog.id))).all())


async def _meeting_count(bot: LocalBot) -> int:
    async with bot.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Meeting)) or 0)


def _texts(replies: list) -> list[str | None]:  # type: ignore[type-arg]
    return [m.text for m in replies]


async def _to_present(bot: LocalBot, expected: int) -> None:
    """/sinhhoat for today, a regular meeting, the cell's member count as expected."""
    assert _texts(await bot.say(SECRETARY, "/sinhhoat")) == [_ask_date()]
    assert _texts(await bot.press(SECRETARY, t("button.today", "vi"))) == [_ask_kind()]
    await bot.press(SECRETARY, t("meeting_kind.regular", "vi"))
    replies = await bot.press(SECRETARY, t("meeting.button.expected", "vi", count=expected))
    assert _texts(replies) == [_ask_present(expected)]


def _report(*, on: str = "28/11/2026", kind: str = "regular", expected: int, present: int,
            excused: str, unexcused: str, committee: bool, cell: str = TO16) -> str:
    return t("meeting.report", "vi", cell=cell, date=on, kind=t(f"meeting_kind.{kind}", "vi"),
             expected=expected, present=present, excused=excused, unexcused=unexcused,
             committee=t("button.yes" if committee else "button.no", "vi"))


async def _browse(bot: LocalBot, offered: int) -> None:
    """Presses "Xem cả danh sách": a long list first asks for part of a name."""
    await bot.press(SECRETARY, t("picker.button.browse", "vi", pages=page_count(offered)))


def _named(members: list[MemberInfo]) -> str:
    return t("meeting.count_names", "vi", count=len(members), names=", ".join(m.full_name for m in members))


async def test_secretary_reports_named_absentees_and_a_double_tap_saves_once(demo_bot: LocalBot) -> None:
    bot = demo_bot
    cell_id = await _cell_id(bot)
    members = await _members(bot, cell_id)
    n = len(members)
    assert n >= 119
    await _to_present(bot, n)
    picker = (await bot.say(SECRETARY, str(n - 5)))[-1]
    assert (picker.text or "").startswith(t("meeting.pick_excused", "vi", absent=5))
    assert t("meeting.picked_none", "vi") in (picker.text or "")
    # 120-odd members: part of a name is asked for first, paging is one button away.
    assert search_first_text(n, "Hùng", "vi") in (picker.text or "")
    assert picker.button_texts[0] == t("picker.button.browse", "vi", pages=page_count(n))
    assert not {m.full_name for m in members} & set(picker.button_texts)

    # Typing part of a name, without accents, narrows the list.
    first = members[0]
    fragment = fold_name(" ".join(first.full_name.split()[-2:]))  # "bich hoa" finds "Đặng Bích Hoa"
    found = (await bot.say(SECRETARY, fragment))[-1]
    filtered = t("meeting.filtered", "vi", query=fragment, count=len(found.button_texts) - 4)
    assert filtered in (found.text or "")
    assert first.full_name in found.button_texts
    assert len([b for b in found.button_texts if b in {m.full_name for m in members}]) < 8
    await bot.press(SECRETARY, first.full_name)
    assert "✅ " + first.full_name in bot.current(found).button_texts
    await bot.press(SECRETARY, t("meeting.button.show_all", "vi"))
    await bot.press(SECRETARY, members[1].full_name)
    await bot.press(SECRETARY, t("button.next", "vi"))
    await bot.press(SECRETARY, members[9].full_name)
    excused = [first, members[1], members[9]]
    assert t("meeting.picked", "vi", count=3, names=", ".join(m.full_name for m in excused)) in (
        bot.current(found).text or "")

    unexcused_picker = (await bot.press(SECRETARY, t("button.done", "vi")))[-1]
    assert (unexcused_picker.text or "").startswith(
        t("meeting.pick_unexcused", "vi", absent=5, excused=3, left=2))
    await _browse(bot, n - 3)
    offered = bot.current(unexcused_picker).button_texts
    assert first.full_name not in offered and members[1].full_name not in offered
    await bot.press(SECRETARY, members[2].full_name)
    await bot.press(SECRETARY, members[3].full_name)
    unexcused = [members[2], members[3]]
    assert _texts(await bot.press(SECRETARY, t("button.done", "vi"))) == [t("meeting.ask_committee", "vi")]
    summary = (await bot.press(SECRETARY, t("button.yes", "vi")))[-1]
    report = _report(expected=n, present=n - 5, excused=_named(excused), unexcused=_named(unexcused),
                     committee=True)
    assert summary.text == t("meeting.summary", "vi", report=report)

    # Two quick taps on Lưu, both queued before the bot answers the first.
    replies = _texts(await bot.double_tap(SECRETARY, t("button.save", "vi"), summary))
    assert replies[0] == t("meeting.saved", "vi", report=report)
    assert bot.current(summary).buttons == []
    assert second_tap_refused(bot, replies[1:])

    saved = await _meetings_on(bot, cell_id, TODAY)
    assert len(saved) == 1
    m = saved[0]
    assert (m.kind, m.expected, m.present, m.absent_excused, m.absent_unexcused,
            m.committee_member_attended) == ("regular", n, n - 5, 3, 2, True)
    assert await _absences(bot, m.id) == {**{x.id: True for x in excused}, **{x.id: False for x in unexcused}}
    assert [a.action for a in await _audits(bot, m.id)] == ["report_meeting"]


async def test_a_date_already_reported_is_shown_and_corrected_never_doubled(demo_bot: LocalBot) -> None:
    bot = demo_bot
    cell_id = await _cell_id(bot)
    names = {m.id: m.full_name for m in await _members(bot, cell_id)}
    async with bot.db.read() as session:
        old = await get_meeting_on(session, cell_id, REPORTED)
    assert isinstance(old, MeetingInfo)
    before_count = await _meeting_count(bot)

    await bot.say(SECRETARY, "/sinhhoat")
    shown = await bot.say(SECRETARY, "12/11/2026")

    def listed(ids: tuple[int, ...]) -> str:
        return t("meeting.count_names", "vi", count=len(ids), names=", ".join(names[i] for i in ids))

    old_report = _report(on="12/11/2026", kind=old.kind.value, expected=old.expected, present=old.present,
                         excused=listed(old.excused_member_ids), unexcused=listed(old.unexcused_member_ids),
                         committee=old.committee_member_attended)
    assert _texts(shown) == [t("meeting.already_reported", "vi", date="12/11/2026", report=old_report)]
    assert shown[0].button_texts == [t("meeting.button.correct", "vi"), t("button.back", "vi"),
                                     t("button.cancel", "vi")]
    assert _texts(await bot.press(SECRETARY, t("meeting.button.correct", "vi"))) == [
        t("meeting.correcting", "vi", date="12/11/2026"), _ask_kind("12/11/2026")]
    await bot.press(SECRETARY, t("meeting_kind.thematic", "vi"))
    await bot.say(SECRETARY, str(old.expected))
    # Everyone present: no absentee question.
    assert _texts(await bot.say(SECRETARY, str(old.expected))) == [t("meeting.ask_committee", "vi")]
    summary = (await bot.press(SECRETARY, t("button.no", "vi")))[-1]
    report = _report(on="12/11/2026", kind="thematic", expected=old.expected, present=old.expected,
                     excused="0", unexcused="0", committee=False)
    assert summary.text == t("meeting.summary_correction", "vi", report=report)
    assert _texts(await bot.press(SECRETARY, t("button.save", "vi"))) == [
        t("meeting.corrected", "vi", report=report)]

    saved = await _meetings_on(bot, cell_id, REPORTED)
    assert len(saved) == 1 and saved[0].id == old.id
    assert (saved[0].kind, saved[0].present, saved[0].committee_member_attended) == (
        "thematic", old.expected, False)
    assert await _absences(bot, old.id) == {}
    assert await _meeting_count(bot) == before_count
    audits = await _audits(bot, old.id)
    assert [a.action for a in audits] == ["correct_meeting"]
    assert audits[0].before is not None and audits[0].after is not None
    assert audits[0].before["present"] == old.present and audits[0].after["present"] == old.expected
    assert audits[0].before["excused_member_ids"] == list(old.excused_member_ids)


async def test_back_returns_to_each_previous_question(demo_bot: LocalBot) -> None:
    bot = demo_bot
    members = await _members(bot, await _cell_id(bot))
    n = len(members)
    back = t("button.back", "vi")
    await bot.say(SECRETARY, "/sinhhoat")
    await bot.press(SECRETARY, t("button.today", "vi"))
    await bot.press(SECRETARY, t("meeting_kind.both", "vi"))
    assert _texts(await bot.press(SECRETARY, back)) == [_ask_kind()]
    assert _texts(await bot.press(SECRETARY, back)) == [_ask_date()]
    await bot.press(SECRETARY, t("button.today", "vi"))
    await bot.press(SECRETARY, t("meeting_kind.regular", "vi"))
    await bot.press(SECRETARY, t("meeting.button.expected", "vi", count=n))
    assert _texts(await bot.press(SECRETARY, back)) == [t("meeting.ask_expected", "vi", default=n)]
    await bot.say(SECRETARY, str(n))
    await bot.say(SECRETARY, str(n - 1))
    await bot.press(SECRETARY, t("button.done", "vi"))  # nobody excused
    await _browse(bot, n)
    await bot.press(SECRETARY, members[4].full_name)
    assert _texts(await bot.press(SECRETARY, t("button.done", "vi"))) == [t("meeting.ask_committee", "vi")]
    again = await bot.press(SECRETARY, back)  # to the "without reason" list, the choice kept
    assert (again[-1].text or "").startswith(t("meeting.pick_unexcused", "vi", absent=1, excused=0, left=1))
    assert "✅ " + members[4].full_name in again[-1].button_texts
    excused_again = await bot.press(SECRETARY, back)
    assert (excused_again[-1].text or "").startswith(t("meeting.pick_excused", "vi", absent=1))
    assert _texts(await bot.press(SECRETARY, back)) == [_ask_present(n)]
    await bot.say(SECRETARY, str(n))
    await bot.press(SECRETARY, t("button.yes", "vi"))
    assert _texts(await bot.press(SECRETARY, back)) == [t("meeting.ask_committee", "vi")]


async def test_bad_dates_and_other_input_get_an_example_and_the_question_again(
    demo_bot: LocalBot,
) -> None:
    bot = demo_bot
    example = "28/11/2026"
    before = await _meeting_count(bot)
    await bot.say(SECRETARY, "/sinhhoat")
    cases = {
        "29/11/2026": t("meeting.error.future", "vi", date="29/11/2026", example=example),
        "20/10/2026": t("meeting.error.too_old", "vi", days=31, earliest="28/10/2026", example=example),
        "31/02/2026": t("meeting.error.impossible", "vi", value="31/02/2026", example=example),
        "hôm kia": t("meeting.error.format", "vi", value="hôm kia", example=example),
        "/ungvien": t("flow.busy", "vi", flow=t("flow.name.sinhhoat", "vi"), command="/ungvien"),
    }
    for typed, problem in cases.items():
        assert _texts(await bot.say(SECRETARY, typed)) == [problem, _ask_date()], typed
    bot.emulator.mark_seen(SECRETARY)
    bot.emulator.send_sticker(SECRETARY)
    await bot.settle()
    sticker_answer, question = _texts(bot.emulator.new_messages(SECRETARY))
    assert sticker_answer == t("flow.not_text", "vi") and question == _ask_date()
    # The oldest date allowed is fine, and so is a loosely typed one.
    assert _texts(await bot.say(SECRETARY, "28-10-26")) == [_ask_kind("28/10/2026")]
    assert _texts(await bot.press(SECRETARY, t("button.cancel", "vi"))) == [t("cancelled", "vi")]
    assert await _meeting_count(bot) == before


async def test_numbers_must_be_digits_present_cannot_exceed_expected_and_huy_stops(
    demo_bot: LocalBot,
) -> None:
    bot = demo_bot
    await bot.say(SECRETARY, "/sinhhoat")
    await bot.press(SECRETARY, t("button.today", "vi"))
    await bot.press(SECRETARY, t("meeting_kind.regular", "vi"))
    n = len(await _members(bot, await _cell_id(bot)))
    ask_expected = t("meeting.ask_expected", "vi", default=n)
    assert _texts(await bot.say(SECRETARY, "mười")) == [t("meeting.not_a_number", "vi", example=n),
                                                        ask_expected]
    assert _texts(await bot.say(SECRETARY, "0")) == [t("meeting.error.count_range", "vi", limit=5000),
                                                     ask_expected]
    assert _texts(await bot.say(SECRETARY, "30 đảng viên")) == [_ask_present(30)]
    assert _texts(await bot.say(SECRETARY, "mười")) == [t("meeting.not_a_number", "vi", example=27),
                                                        _ask_present(30)]
    assert _texts(await bot.say(SECRETARY, "31")) == [
        t("meeting.error.present_exceeds_expected", "vi", present=31, expected=30), _ask_present(30)]
    assert _texts(await bot.say(SECRETARY, "30 người")) == [t("meeting.ask_committee", "vi")]
    assert _texts(await bot.say(SECRETARY, "/huy")) == [t("cancelled", "vi")]
    assert _texts(await bot.say(SECRETARY, "30")) == [t("free_text_hint", "vi")]  # the flow is over


async def test_absentees_must_add_up_to_expected_minus_present(demo_bot: LocalBot) -> None:
    bot = demo_bot
    members = await _members(bot, await _cell_id(bot))
    n = len(members)
    await _to_present(bot, n)
    await bot.say(SECRETARY, str(n - 2))
    await _browse(bot, n)
    for m in members[:3]:
        await bot.press(SECRETARY, m.full_name)
    refused = await bot.press(SECRETARY, t("button.done", "vi"))
    assert refused[0].text == t("meeting.too_many_excused", "vi", chosen=3, absent=2, extra=1)
    assert (refused[1].text or "").startswith(t("meeting.pick_excused", "vi", absent=2))
    await bot.press(SECRETARY, "✅ " + members[2].full_name)
    await bot.press(SECRETARY, "✅ " + members[1].full_name)
    unexcused = await bot.press(SECRETARY, t("button.done", "vi"))
    assert (unexcused[-1].text or "").startswith(
        t("meeting.pick_unexcused", "vi", absent=2, excused=1, left=1))
    values = {"expected": n, "present": n - 2, "absent": 2}
    await _browse(bot, n - 1)
    missing = await bot.press(SECRETARY, t("button.done", "vi"))
    assert missing[0].text == t("meeting.still_missing", "vi", chosen=1, missing=1, **values)
    assert (missing[1].text or "").startswith(t("meeting.pick_unexcused", "vi", absent=2, excused=1, left=1))
    await bot.press(SECRETARY, members[1].full_name)
    await bot.press(SECRETARY, members[2].full_name)
    extra = await bot.press(SECRETARY, t("button.done", "vi"))
    assert extra[0].text == t("meeting.too_many_absent", "vi", chosen=3, extra=1, **values)
    await bot.press(SECRETARY, "✅ " + members[2].full_name)
    assert _texts(await bot.press(SECRETARY, t("button.done", "vi"))) == [t("meeting.ask_committee", "vi")]


@pytest.mark.telegram_only  # a Zalo user can only type: there is no button data to forge
async def test_a_forged_member_button_changes_nothing(demo_bot: LocalBot) -> None:
    bot = demo_bot
    cell_id = await _cell_id(bot)
    members = await _members(bot, cell_id)
    other = (await _members(bot, await _cell_id(bot, "Chi bộ tổ 3")))[0]
    n = len(members)
    await _to_present(bot, n)
    picker = (await bot.say(SECRETARY, str(n - 2)))[-1]
    for forged in (f"sh:t:{other.id}", "sh:t:99999999"):
        replies = await bot.press_data(SECRETARY, forged, message_id=picker.message_id)
        assert bot.emulator.callback_answers(SECRETARY)[-1].text == t("error.stale_button", "vi")
        assert replies[-1].text == picker.text, forged  # the same question again, nothing chosen
    await _browse(bot, n)
    await bot.press(SECRETARY, members[0].full_name)
    unexcused = (await bot.press(SECRETARY, t("button.done", "vi")))[-1]
    await _browse(bot, n - 1)
    # The excused member is not offered in the "without reason" step, and forging it does nothing.
    await bot.press_data(SECRETARY, f"sh:t:{members[0].id}", message_id=unexcused.message_id)
    assert bot.emulator.callback_answers(SECRETARY)[-1].text == t("error.stale_button", "vi")
    await bot.press(SECRETARY, members[1].full_name)
    await bot.press(SECRETARY, t("button.done", "vi"))
    await bot.press(SECRETARY, t("button.yes", "vi"))
    await bot.press(SECRETARY, t("button.save", "vi"))
    (saved,) = await _meetings_on(bot, cell_id, TODAY)
    assert await _absences(bot, saved.id) == {members[0].id: True, members[1].id: False}

    # Should a forged id ever reach the service, it refuses it, in the flow's own words.
    user = await identify(bot.db, "telegram", str(SECRETARY))
    assert user is not None
    draft = MeetingDraft(cell_id, date(2026, 11, 27), MeetingKind.REGULAR, n, n - 1, 1, 0, True,
                         excused_member_ids=(other.id,))
    with pytest.raises(InvalidInput) as refused:
        await record_meeting(bot.db, user.actor(), draft, today=TODAY, rules=Settings().rules)
    assert error_text(refused.value, "vi", prefix="meeting.") == t("meeting.error.unknown_member", "vi")
    assert await _meetings_on(bot, cell_id, date(2026, 11, 27)) == []


async def test_a_restart_in_the_middle_keeps_the_answers(demo_bot: LocalBot) -> None:
    bot = demo_bot
    cell_id = await _cell_id(bot)
    members = await _members(bot, cell_id)
    n = len(members)
    await _to_present(bot, n)
    await bot.say(SECRETARY, str(n - 2))
    await _browse(bot, n)
    await bot.press(SECRETARY, members[5].full_name)
    await bot.restart()
    await bot.press(SECRETARY, t("button.done", "vi"))
    await _browse(bot, n - 1)
    await bot.press(SECRETARY, members[6].full_name)
    await bot.press(SECRETARY, t("button.done", "vi"))
    await bot.press(SECRETARY, t("button.no", "vi"))
    replies = await bot.press(SECRETARY, t("button.save", "vi"))
    report = _report(expected=n, present=n - 2, excused=_named([members[5]]), unexcused=_named([members[6]]),
                     committee=False)
    assert _texts(replies) == [t("meeting.saved", "vi", report=report)]
    (saved,) = await _meetings_on(bot, cell_id, TODAY)
    assert await _absences(bot, saved.id) == {members[5].id: True, members[6].id: False}


async def test_a_cell_without_a_member_list_reports_plain_counts(
    demo_bot: LocalBot, clock: ManualClock
) -> None:
    bot = demo_bot
    async with bot.db.write() as session:
        committee_id = (await session.scalars(select(Cell.committee_id).limit(1))).one()
        session.add(Cell(committee_id=committee_id, name="Chi bộ tổ 40", kind="residential"))
    created = await create_invite(bot.db, Settings(), role=Role.SECRETARY, cell_names_=["Chi bộ tổ 40"],
                                  now=clock(), actor_label="test")
    bot.add_user(NEW_SECRETARY, "Lê Thị Mai")
    await bot.say(NEW_SECRETARY, f"/start {created.code}")
    assert _texts(await bot.say(NEW_SECRETARY, "/sinhhoat")) == [_ask_date("Chi bộ tổ 40")]
    await bot.press(NEW_SECRETARY, t("button.today", "vi"))
    asked = await bot.press(NEW_SECRETARY, t("meeting_kind.regular", "vi"))
    assert _texts(asked) == [t("meeting.ask_expected_typed", "vi")]
    assert [typed_label(b) for b in asked[0].button_texts] == [
        typed_label(t("button.back", "vi")), typed_label(t("button.cancel", "vi"))]
    await bot.say(NEW_SECRETARY, "20")
    ask_count = t("meeting.ask_excused_count", "vi", absent=3, example=1)
    assert _texts(await bot.say(NEW_SECRETARY, "17")) == [ask_count]
    assert _texts(await bot.say(NEW_SECRETARY, "5")) == [
        t("meeting.excused_count_range", "vi", absent=3, example=1), ask_count]
    await bot.say(NEW_SECRETARY, "2")
    await bot.press(NEW_SECRETARY, t("button.no", "vi"))
    report = _report(expected=20, present=17, excused="2", unexcused="1", committee=False,
                     cell="Chi bộ tổ 40")
    assert _texts(await bot.press(NEW_SECRETARY, t("button.save", "vi"))) == [
        t("meeting.saved", "vi", report=report)]
    (saved,) = await _meetings_on(bot, await _cell_id(bot, "Chi bộ tổ 40"), TODAY)
    assert (saved.expected, saved.present, saved.absent_excused, saved.absent_unexcused) == (20, 17, 2, 1)
    assert await _absences(bot, saved.id) == {}


async def test_committee_members_and_the_admin_are_told_who_reports(demo_bot: LocalBot) -> None:
    bot = demo_bot
    committee = await bot.say(DEMO_USERS["committee"], "/sinhhoat")
    assert _texts(committee) == [t("meeting.not_for_committee", "vi")]
    assert _texts(await bot.say(DEMO_USERS["admin"], "/sinhhoat")) == [t("meeting.not_for_admin", "vi")]
    # No flow was started: the next message is not taken as a date.
    assert _texts(await bot.say(DEMO_USERS["admin"], "28/11/2026")) == [t("free_text_hint", "vi")]


async def test_an_idle_report_expires_with_a_message(demo_bot: LocalBot) -> None:
    bot = demo_bot
    await bot.say(SECRETARY, "/sinhhoat")
    await bot.press(SECRETARY, t("button.today", "vi"))
    bot.clock.now += timedelta(seconds=IDLE + 1)  # type: ignore[attr-defined]
    assert await bot.expire_idle_flows() == 1
    assert _texts(bot.emulator.new_messages(SECRETARY)) == [t("flow.expired", "vi", minutes=20)]
    assert _texts(await bot.say(SECRETARY, "116")) == [t("free_text_hint", "vi")]
