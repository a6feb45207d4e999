"""/ungvien end to end: a secretary reports a new candidate through the real bot on the demo ward."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.config import Settings
from bot.demo.ward import DEMO_USERS
from bot.domain.candidates import Background, CandidateDraft, Gender
from bot.domain.channels import sample_external_id
from bot.domain.dates import LooseDate
from bot.domain.errors import InvalidInput
from bot.domain.stages import Stage
from bot.handlers.keyboards import page_count
from bot.sandbox.local import LocalBot
from bot.sandbox.records import SentMessage
from bot.services.candidates import report_candidate
from bot.services.onboarding import identify
from bot.store.db import Database
from bot.store.models import AuditLog, Candidate, CandidateEvent, Cell, Member
from bot.texts import t
from bot.texts.formatting import format_date
from tests.e2e.conftest import IDLE, buttons_hint

SECRETARY, COMMITTEE, ADMIN = DEMO_USERS["secretary"], DEMO_USERS["committee"], DEMO_USERS["admin"]
TO16 = "Chi bộ tổ 16"
TODAY = date(2026, 11, 28)  # the demo clock's date in Hà Nội
NAME = "Nguyễn Thị Mai"
HELPER = "Trần Văn Bình"  # the demo secretary, also a member of tổ 16


def texts(messages: list[SentMessage]) -> list[str | None]:
    return [m.text for m in messages]


def q_name() -> str:
    return t("uv.ask.name", "vi", cell=TO16)


def q_birth(name: str = NAME) -> str:
    return t("uv.ask.birth", "vi", name=name)


def q_gender(name: str = NAME) -> str:
    return t("uv.ask.gender", "vi", name=name)


def q_background(name: str = NAME) -> str:
    return t("uv.ask.background", "vi", name=name)


def q_spotted(name: str = NAME) -> str:
    return t("uv.ask.spotted", "vi", name=name)


def details(*, name: str = NAME, birth: str = "• Ngày sinh: 12/03/1998", gender: str = "female",
            background: str = "youth_union", spotted: date = TODAY, helper: str = HELPER) -> str:
    return "\n".join([
        t("uv.line.name", "vi", value=name), birth,
        t("uv.line.gender", "vi", value=t(f"gender.{gender}", "vi")),
        t("uv.line.background", "vi", value=t(f"background.{background}", "vi")),
        t("uv.line.spotted", "vi", value=format_date(spotted)),
        t("uv.line.helper", "vi", value=helper),
    ])


async def cell_id(db: Database, name: str = TO16) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(Cell.id).where(Cell.name == name)) or 0)


async def candidate_count(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Candidate)) or 0)


async def reported(db: Database, name: str) -> list[Candidate]:
    async with db.read() as session:
        return list(await session.scalars(select(Candidate).where(Candidate.full_name == name)))


async def to_birth(bot: LocalBot, name: str = NAME) -> None:
    """/ungvien and the name: the bot now asks for the birth date."""
    await bot.say(SECRETARY, "/ungvien")
    assert texts(await bot.say(SECRETARY, name)) == [q_birth(name)]


async def to_helper(bot: LocalBot, birth: str = "12/3/1998") -> list[SentMessage]:
    """Answers everything up to the helper question (spotted today)."""
    await to_birth(bot)
    await bot.say(SECRETARY, birth)
    await bot.press(SECRETARY, t("gender.female", "vi"))
    await bot.press(SECRETARY, t("background.youth_union", "vi"))
    return await bot.press(SECRETARY, t("button.today", "vi"))


async def to_summary(bot: LocalBot, birth: str = "12/3/1998") -> list[SentMessage]:
    await to_helper(bot, birth)
    return await bot.press(SECRETARY, t("button.skip", "vi"))


async def test_secretary_reports_a_candidate_and_the_confirmation_repeats_it(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    before = await candidate_count(db)
    assert texts(await demo_bot.say(SECRETARY, "/ungvien")) == [q_name()]
    assert texts(await demo_bot.say(SECRETARY, "  Nguyễn   Thị Mai ")) == [q_birth()]
    assert texts(await demo_bot.say(SECRETARY, "12/3/1998")) == [q_gender()]
    assert texts(await demo_bot.press(SECRETARY, t("gender.female", "vi"))) == [q_background()]
    assert texts(await demo_bot.press(SECRETARY, t("background.youth_union", "vi"))) == [q_spotted()]
    helper_q = await demo_bot.say(SECRETARY, "15/10/2026")
    async with db.read() as session:
        members = int(await session.scalar(select(func.count()).select_from(Member).where(
            Member.cell_id == await cell_id(db), Member.active)) or 0)
    # Tổ 16's ~120 members: part of a name first, paging one button away (not 16 pages of 8)
    assert texts(helper_q) == [t("uv.ask.helper_search", "vi", name=NAME, count=members)]
    assert t("picker.button.browse", "vi", pages=page_count(members)) in helper_q[0].button_texts
    assert HELPER not in helper_q[0].button_texts
    found = await demo_bot.say(SECRETARY, "tran van binh")  # no accents: still found
    assert HELPER in [b.text for row in found[0].buttons for b in row]
    summary = await demo_bot.press(SECRETARY, HELPER)
    expected = details(spotted=date(2026, 10, 15))
    assert texts(summary) == [t("uv.summary", "vi", details=expected, warnings="")]

    saved = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert texts(saved) == [t("uv.saved", "vi", cell=TO16, details=expected, warnings="")]
    assert demo_bot.current(summary[0]).buttons == []  # the summary's buttons are gone

    assert await candidate_count(db) == before + 1
    [row] = await reported(db, NAME)
    async with db.read() as session:
        helper = await session.get(Member, row.helper_member_id)
        events = list(await session.scalars(
            select(CandidateEvent).where(CandidateEvent.candidate_id == row.id)))
        audit = list(await session.scalars(
            select(AuditLog.action).where(AuditLog.entity == "candidate", AuditLog.entity_id == row.id)))
    assert row.cell_id == await cell_id(db)
    assert (row.birth_year, row.birth_month, row.birth_day) == (1998, 3, 12)
    assert (row.gender, row.background, row.stage) == ("female", "youth_union", Stage.SPOTTED.value)
    assert helper is not None and helper.full_name == HELPER and helper.cell_id == row.cell_id
    assert row.helper_name == HELPER
    assert [(e.stage, e.happened_on) for e in events] == [(Stage.SPOTTED.value, date(2026, 10, 15))]
    assert audit == ["report_candidate"]
    # The flow is over: plain text is no longer an answer.
    assert texts(await demo_bot.say(SECRETARY, "1998")) == [t("free_text_hint", "vi")]


async def test_back_returns_to_the_previous_question_and_keeps_going(demo_bot: LocalBot) -> None:
    await to_birth(demo_bot)
    assert texts(await demo_bot.press(SECRETARY, t("button.back", "vi"))) == [q_name()]
    assert texts(await demo_bot.say(SECRETARY, "Lê Văn Hải")) == [q_birth("Lê Văn Hải")]
    await demo_bot.say(SECRETARY, "1990")
    await demo_bot.press(SECRETARY, t("gender.male", "vi"))
    assert texts(await demo_bot.press(SECRETARY, t("button.back", "vi"))) == [q_gender("Lê Văn Hải")]
    assert texts(await demo_bot.press(SECRETARY, t("button.back", "vi"))) == [q_birth("Lê Văn Hải")]
    await demo_bot.say(SECRETARY, "1991")
    await demo_bot.press(SECRETARY, t("gender.male", "vi"))
    await demo_bot.press(SECRETARY, t("background.worker", "vi"))
    await demo_bot.press(SECRETARY, t("button.today", "vi"))
    summary = await demo_bot.press(SECRETARY, t("button.skip", "vi"))
    helper_q = await demo_bot.press(SECRETARY, t("button.back", "vi"), summary[0])
    assert (helper_q[0].text or "").startswith("Bước 6/6")
    summary = await demo_bot.press(SECRETARY, t("button.skip", "vi"))
    assert texts(summary) == [t("uv.summary", "vi", warnings="", details=details(
        name="Lê Văn Hải", birth=t("uv.line.birth_year", "vi", value=1991), gender="male",
        background="worker", helper=t("uv.helper_none", "vi")))]
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    [row] = await reported(demo_bot.db, "Lê Văn Hải")
    assert (row.birth_year, row.birth_month, row.gender, row.helper_member_id) == (1991, None, "male", None)


async def test_edit_changes_one_item_and_returns_to_the_summary(demo_bot: LocalBot) -> None:
    await to_summary(demo_bot)
    picker = await demo_bot.press(SECRETARY, t("button.edit", "vi"))
    assert texts(picker) == [t("uv.ask.field", "vi")]
    # Back from the item list returns to the summary untouched.
    again = await demo_bot.press(SECRETARY, t("button.back", "vi"))
    assert (again[0].text or "").startswith(t("uv.summary", "vi", details="", warnings="")[:20])
    await demo_bot.press(SECRETARY, t("button.edit", "vi"))
    # Correcting one item asks about that item, with what is recorded, not the flow's first question.
    edit_name = f"✏️ Sửa họ và tên (đang ghi «{NAME}»). Gõ họ và tên đúng, ví dụ: Nguyễn Thị Mai."
    assert texts(await demo_bot.press(SECRETARY, t("uv.field.name", "vi"))) == [edit_name]
    assert texts(await demo_bot.press(SECRETARY, t("button.back", "vi"))) == [t("uv.ask.field", "vi")]
    await demo_bot.press(SECRETARY, t("uv.field.name", "vi"))
    summary = await demo_bot.say(SECRETARY, "Nguyễn Thị Mai Anh")
    assert texts(summary)[0].startswith(t("uv.summary", "vi", details="", warnings="")[:20])
    await demo_bot.press(SECRETARY, t("button.edit", "vi"))
    [question] = await demo_bot.press(SECRETARY, t("uv.field.background", "vi"))
    assert question.text == "✏️ Sửa đối tượng (đang ghi «Đoàn viên»). Chọn đúng đối tượng:"
    hint = await demo_bot.say(SECRETARY, "sinh viên năm hai")  # only the buttons make sense here
    assert texts(hint) == [buttons_hint(demo_bot, question), question.text]
    summary = await demo_bot.press(SECRETARY, t("background.student", "vi"))
    expected = details(name="Nguyễn Thị Mai Anh", background="student", helper=t("uv.helper_none", "vi"))
    assert texts(summary) == [t("uv.summary", "vi", details=expected, warnings="")]
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    [row] = await reported(demo_bot.db, "Nguyễn Thị Mai Anh")
    assert row.background == "student"
    assert await reported(demo_bot.db, NAME) == []


async def test_cancel_by_command_and_by_button_saves_nothing(demo_bot: LocalBot) -> None:
    before = await candidate_count(demo_bot.db)
    await to_birth(demo_bot)
    await demo_bot.say(SECRETARY, "1998")
    assert texts(await demo_bot.say(SECRETARY, "/huy")) == [t("cancelled", "vi")]
    assert texts(await demo_bot.say(SECRETARY, "Nữ")) == [t("free_text_hint", "vi")]
    await to_summary(demo_bot)
    assert texts(await demo_bot.press(SECRETARY, t("button.cancel", "vi"))) == [t("cancelled", "vi")]
    assert texts(await demo_bot.say(SECRETARY, "/huy")) == [t("flow.nothing_to_cancel", "vi")]
    assert await candidate_count(demo_bot.db) == before


async def test_an_idle_conversation_expires_with_a_message_and_saves_nothing(demo_bot: LocalBot) -> None:
    before = await candidate_count(demo_bot.db)
    await to_birth(demo_bot)
    demo_bot.clock.now += timedelta(seconds=IDLE + 1)  # type: ignore[attr-defined]
    assert await demo_bot.expire_idle_flows() == 1
    assert texts(demo_bot.emulator.new_messages(SECRETARY)) == [t("flow.expired", "vi", minutes=20)]
    assert texts(await demo_bot.say(SECRETARY, "12/3/1998")) == [t("free_text_hint", "vi")]
    assert await candidate_count(demo_bot.db) == before


async def test_a_restart_in_the_middle_keeps_the_answers(demo_bot: LocalBot) -> None:
    await to_birth(demo_bot)
    await demo_bot.say(SECRETARY, "12/3/1998")
    await demo_bot.restart()
    assert texts(await demo_bot.press(SECRETARY, t("gender.female", "vi"))) == [q_background()]
    await demo_bot.press(SECRETARY, t("background.youth_union", "vi"))
    await demo_bot.restart()
    await demo_bot.press(SECRETARY, t("button.today", "vi"))
    await demo_bot.press(SECRETARY, t("button.skip", "vi"))
    saved = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert texts(saved) == [t("uv.saved", "vi", cell=TO16, warnings="",
                              details=details(helper=t("uv.helper_none", "vi")))]
    assert len(await reported(demo_bot.db, NAME)) == 1


@pytest.mark.telegram_only  # a Zalo user can only type: there is no button data to forge
async def test_forged_buttons_are_answered_and_change_nothing(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    before = await candidate_count(db)
    async with db.read() as session:
        stranger = await session.scalar(
            select(Member.id).where(Member.cell_id != await cell_id(db), Member.active).limit(1))
    assert stranger is not None
    await to_birth(demo_bot)
    forged = await demo_bot.press_data(SECRETARY, "uv:save")  # no summary yet
    assert texts(forged) == [q_birth()]
    await demo_bot.say(SECRETARY, "12/3/1998")
    await demo_bot.press(SECRETARY, t("gender.female", "vi"))
    await demo_bot.press(SECRETARY, t("background.youth_union", "vi"))
    question = await demo_bot.press(SECRETARY, t("button.today", "vi"))
    for data in (f"uv:h:{stranger}", "uv:h:999999", "uv:h:abc", "uv:ht", "uv:zz", "inv:r:admin"):
        replies = await demo_bot.press_data(SECRETARY, data)
        assert texts(replies) == [question[0].text], data
        assert demo_bot.emulator.callback_answers(SECRETARY)[-1].text == t("error.stale_button", "vi")
    assert demo_bot.emulator.unanswered_callbacks() == []
    assert await candidate_count(db) == before
    await demo_bot.press(SECRETARY, t("button.skip", "vi"))
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    [row] = await reported(db, NAME)
    assert row.helper_member_id is None and row.helper_name == ""


async def test_bad_answers_are_explained_and_the_question_is_asked_again(demo_bot: LocalBot) -> None:
    await demo_bot.say(SECRETARY, "/ungvien")
    long_name = "Mai" + "a" * 297
    for typed, problem in [
        ("   ", t("uv.name.error.empty", "vi")),
        ("!!", t("uv.name.error.not_a_name", "vi", shown="!!")),
        (long_name, t("uv.name.error.too_long", "vi", length=300, limit=120)),
    ]:
        assert texts(await demo_bot.say(SECRETARY, typed)) == [problem, q_name()], typed
    demo_bot.emulator.mark_seen(SECRETARY)
    demo_bot.emulator.send_sticker(SECRETARY)
    await demo_bot.settle()
    assert texts(demo_bot.emulator.new_messages(SECRETARY)) == [t("flow.not_text", "vi"), q_name()]
    busy = await demo_bot.say(SECRETARY, "/capnhat")
    assert texts(busy) == [t("flow.busy", "vi", flow=t("flow.name.ungvien", "vi"), command="/capnhat"),
                           q_name()]
    assert texts(await demo_bot.say(SECRETARY, NAME)) == [q_birth()]

    for typed, key in [("31/02/1990", "impossible"), ("abc", "format"), ("1/1/2027", "birth_range"),
                       ("28/11/2026x", "format"), ("2030", "year_range")]:
        problem = t(f"uv.birth.error.{key}", "vi", value=typed)
        assert texts(await demo_bot.say(SECRETARY, typed)) == [problem, q_birth()], typed
    [gender] = await demo_bot.say(SECRETARY, "12-03-1998")
    assert gender.text == q_gender()

    problem = buttons_hint(demo_bot, gender)
    assert texts(await demo_bot.say(SECRETARY, "con gái")) == [problem, q_gender()]
    assert texts(await demo_bot.say(SECRETARY, "nu")) == [q_background()]  # a button's words count
    await demo_bot.press(SECRETARY, t("background.retired", "vi"))

    example = format_date(TODAY)
    for typed, key in [("abc", "format"), ("31/02/2026", "impossible"), ("29/11/2026", "future")]:
        problem = t(f"uv.spotted.error.{key}", "vi", value=typed, example=example, today=example)
        assert texts(await demo_bot.say(SECRETARY, typed)) == [problem, q_spotted()], typed
    helper_q = await demo_bot.say(SECRETARY, "1/11/2026")

    assert texts(await demo_bot.say(SECRETARY, "!!")) == [
        t("uv.helper.error.not_a_name", "vi", shown="!!"), helper_q[0].text]
    summary = await demo_bot.say(SECRETARY, "Hoàng Thị Zuyên")  # nobody on the list: kept as typed
    assert texts(summary) == [t("uv.summary", "vi", warnings="", details=details(
        background="retired", spotted=date(2026, 11, 1),
        helper=t("uv.helper_typed_mark", "vi", name="Hoàng Thị Zuyên")))]
    problem = buttons_hint(demo_bot, summary[0])
    assert texts(await demo_bot.say(SECRETARY, "ok")) == [problem, summary[0].text]
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    [row] = await reported(demo_bot.db, NAME)
    assert (row.helper_member_id, row.helper_name) == (None, "Hoàng Thị Zuyên")


async def test_member_list_pages_and_search(demo_bot: LocalBot) -> None:
    asked = (await to_helper(demo_bot))[0]
    browse = next(label for label in asked.button_texts if label.startswith("📜"))
    await demo_bot.press(SECRETARY, browse, asked)  # the long list, asked for
    first = demo_bot.current(asked)
    page_one = [b.text for row in first.buttons for b in row]
    assert "(trang 1/" in (first.text or "")
    second = await demo_bot.press(SECRETARY, t("button.next", "vi"), first)
    if demo_bot.channel == "telegram":
        assert second == []  # the page turns in place
    else:
        assert len(second) == 1  # Zalo cannot edit: the next page comes as a new message
    turned = demo_bot.current(asked)
    assert "(trang 2/" in (turned.text or "")
    page_two = [b.text for row in turned.buttons for b in row]
    assert page_two[0] != page_one[0] and t("button.prev", "vi") in page_two
    found = await demo_bot.say(SECRETARY, "Bình")
    labels = [b.text for row in found[0].buttons for b in row]
    use_typed = t("uv.button.use_typed", "vi", name="Bình")
    assert HELPER in labels and use_typed in labels
    assert all("Bình" in label for label in labels[:labels.index(use_typed)])  # only the matches
    await demo_bot.press(SECRETARY, t("uv.button.show_all", "vi"))
    assert "(trang 1/" in (demo_bot.current(found[0]).text or "")
    await demo_bot.say(SECRETARY, "Bình")
    summary = await demo_bot.press(SECRETARY, use_typed)
    helper_line = t("uv.line.helper", "vi", value=t("uv.helper_typed_mark", "vi", name="Bình"))
    assert helper_line in (summary[0].text or "")


async def test_without_a_member_list_the_helper_is_typed(demo_bot: LocalBot) -> None:
    async with demo_bot.db.write() as session:
        await session.execute(update(Member).where(Member.cell_id == await cell_id(demo_bot.db))
                              .values(active=False))
    question = await to_helper(demo_bot)
    assert texts(question) == [t("uv.ask.helper_typed", "vi", name=NAME)]
    summary = await demo_bot.say(SECRETARY, "Bình")
    assert t("uv.line.helper", "vi", value="Bình") in (summary[0].text or "")
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    [row] = await reported(demo_bot.db, NAME)
    assert (row.helper_member_id, row.helper_name) == (None, "Bình")


@pytest.mark.telegram_only  # Zalo's double tap (the number typed twice): test_zalo.py
async def test_tapping_save_twice_saves_once(demo_bot: LocalBot) -> None:
    before = await candidate_count(demo_bot.db)
    summary = await to_summary(demo_bot)
    data = summary[0].button_data(t("button.save", "vi"))
    demo_bot.emulator.mark_seen(SECRETARY)
    demo_bot.emulator.press_button(SECRETARY, summary[0].message_id, data)
    demo_bot.emulator.press_button(SECRETARY, summary[0].message_id, data, forged=True)
    await demo_bot.settle()
    replies = demo_bot.emulator.new_messages(SECRETARY)
    assert len(replies) == 1 and (replies[0].text or "").startswith(t("uv.saved", "vi", cell=TO16,
                                                                      details="", warnings="")[:30])
    assert [a.text for a in demo_bot.emulator.callback_answers(SECRETARY)[-2:]] == [
        None, t("error.stale_button", "vi")]
    assert await candidate_count(demo_bot.db) == before + 1


async def test_a_sixteen_year_old_gets_the_age_warning_and_is_still_saved(demo_bot: LocalBot) -> None:
    birth = LooseDate(2010, 3, 12)
    summary = await to_summary(demo_bot, birth="12/3/2010")
    warning = "\n\n" + t("uv.warning.age", "vi", name=NAME, age="16 tuổi 8 tháng", min_years=18,
                         max_years=60, year_only="")
    expected = details(birth=t("uv.line.birth_date", "vi", value=format_date(birth.as_date())),
                       helper=t("uv.helper_none", "vi"))
    assert texts(summary) == [t("uv.summary", "vi", details=expected, warnings=warning)]
    assert "đủ 18 tuổi đến đủ 60 tuổi, tính theo tháng" in warning
    assert f"{NAME} mới 16 tuổi 8 tháng." in warning  # an age as people say it, not "(200 tháng)"
    saved = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert texts(saved) == [t("uv.saved", "vi", cell=TO16, details=expected, warnings=warning)]
    assert len(await reported(demo_bot.db, NAME)) == 1


async def test_committee_member_and_admin_cannot_report_a_candidate(demo_bot: LocalBot) -> None:
    before = await candidate_count(demo_bot.db)
    for user, role, commands in [(COMMITTEE, "committee", "/tiendo, /tonghop"), (ADMIN, "admin", "/tonghop")]:
        replies = await demo_bot.say(user, "/ungvien")
        assert texts(replies) == [t("uv.only_secretary", "vi", role=t(f"role.{role}", "vi"),
                                    commands=commands)]
        assert texts(await demo_bot.say(user, NAME)) == [t("free_text_hint", "vi")]  # nothing started
    assert await candidate_count(demo_bot.db) == before


async def test_the_service_refuses_a_helper_from_another_cell(demo_bot: LocalBot) -> None:
    """Behind the buttons: even a crafted draft naming another cell's member is refused, unsaved."""
    db = demo_bot.db
    before = await candidate_count(db)
    mine = await cell_id(db)
    async with db.read() as session:
        stranger = await session.scalar(
            select(Member.id).where(Member.cell_id != mine, Member.active).limit(1))
    user = await identify(db, demo_bot.channel, sample_external_id(demo_bot.channel, SECRETARY))
    assert user is not None and stranger is not None
    draft = CandidateDraft(cell_id=mine, full_name=NAME, birth=LooseDate(1998), gender=Gender.FEMALE,
                           background=Background.WORKER, spotted_on=TODAY, helper_member_id=stranger)
    with pytest.raises(InvalidInput) as refused:
        await report_candidate(db, user.actor(), draft, today=TODAY, rules=Settings().rules)
    assert refused.value.data == {"field": "helper", "reason": "unknown_member"}
    assert await candidate_count(db) == before


async def test_a_huge_message_mid_flow_is_refused_and_the_question_asked_again(demo_bot: LocalBot) -> None:
    await to_birth(demo_bot)
    before = await candidate_count(demo_bot.db)
    replies = await demo_bot.say(SECRETARY, "1998 " * 1000)
    assert texts(replies) == [t("error.too_long", "vi", length=5000, limit=1000), q_birth()]
    assert "Đồng chí" in (replies[0].text or "")
    assert texts(await demo_bot.say(SECRETARY, "12/3/1998")) == [q_gender()]  # the flow goes on
    assert await candidate_count(demo_bot.db) == before
