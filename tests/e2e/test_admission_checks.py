"""Introducers and the cell vote's checks through the real bot, on both channels (issue #10, items
3, 4 and 12): who must introduce by age and cell, members picked from Chi bộ tổ 16's list of 120-odd
searched by part of a name (tone marks first: «Hùng» is not «Hưng»), since when they have known the
candidate, a cell vote refused on an expired certificate, the full birth date asked for when a
birth year alone cannot tell, full members at the vote against the list. Today is 28/11/2026."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from bot.config import Settings
from bot.demo.ward import DEMO_USERS, TO16
from bot.domain.candidates import Background, CandidateDraft, Gender
from bot.domain.channels import CHANNELS, sample_external_id
from bot.domain.dates import LooseDate
from bot.domain.stages import Stage
from bot.domain.users import UserInfo
from bot.sandbox.local import LocalBot
from bot.sandbox.records import SentMessage
from bot.services.candidates import record_step, report_candidate
from bot.services.onboarding import identify
from bot.store.db import Database
from bot.store.models import Candidate, CandidateEvent, Cell, Member
from bot.texts import t
from bot.texts.picker import near_text, search_first_text
from tests.e2e.test_candidate_report import to_helper

SECRETARY = DEMO_USERS["secretary"]
TODAY = date(2026, 11, 28)
RULES = Settings().rules


async def _secretary(db: Database) -> UserInfo:
    found = [await identify(db, channel, sample_external_id(channel, SECRETARY)) for channel in CHANNELS]
    [user] = [u for u in found if u is not None]
    return user


async def _add_members(db: Database, *people: tuple[str, str]) -> dict[str, int]:
    """Members of Chi bộ tổ 16 the test needs by name (the demo draws its names at random)."""
    async with db.write() as session:
        cell_id = await session.scalar(select(Cell.id).where(Cell.name == TO16))
        rows = [Member(cell_id=cell_id, full_name=name, status=status, active=True)
                for name, status in people]
        session.add_all(rows)
        await session.flush()
        return {m.full_name: m.id for m in rows}


async def _full_members(db: Database) -> int:
    async with db.read() as session:
        cell_id = await session.scalar(select(Cell.id).where(Cell.name == TO16))
        rows = await session.scalars(select(Member.id).where(Member.cell_id == cell_id, Member.active,
                                                             Member.status == "full"))
        return len(list(rows))


Steps = list[tuple[Stage, date, dict[str, Any]]]


async def _candidate(db: Database, name: str, birth: LooseDate, steps: Steps,
                     spotted: date = date(2020, 6, 1)) -> int:
    """A candidate of tổ 16 with `steps` recorded through the services."""
    user = await _secretary(db)
    assert user.cell_id is not None
    draft = CandidateDraft(user.cell_id, name, birth, Gender.MALE, Background.WORKER, spotted)
    cid = (await report_candidate(db, user.actor(), draft, today=TODAY, rules=RULES)).candidate.id
    for step, on, details in steps:
        await record_step(db, user.actor(), cid, step, on, details, today=TODAY, rules=RULES)
    return cid


async def _open_step(bot: LocalBot, name: str, stage: Stage, step: Stage) -> None:
    await bot.say(SECRETARY, "/capnhat")
    await bot.press(SECRETARY, t("cn.candidate_button", "vi", name=name, stage=t(f"stage.{stage}", "vi")))
    await bot.press(SECRETARY, t("cn.button.next_step", "vi", step=t(f"step.{step}", "vi")))


def _texts(replies: list[SentMessage]) -> list[str]:
    return [m.text or "" for m in replies]


async def _events(db: Database, cid: int, stage: Stage) -> list[CandidateEvent]:
    async with db.read() as session:
        return list(await session.scalars(select(CandidateEvent).where(
            CandidateEvent.candidate_id == cid, CandidateEvent.stage == stage.value)))


INTRODUCED = {"kind": "youth_union", "introducers": ["Lê Văn Hải"], "known_since": ["2019-01"]}


async def test_introducers_are_proposed_by_age_picked_by_search_and_known_twelve_months(
    demo_bot: LocalBot,
) -> None:
    bot, db = demo_bot, demo_bot.db
    ids = await _add_members(db, ("Trịnh Xuân Hưng", "full"), ("Tạ Quang Dự", "probationary"))
    cid = await _candidate(db, "Vương Đình Khải", LooseDate(1995, 12, 10),  # 30 years 11 months on 20/11
                           [(Stage.COURSE, date(2025, 3, 1), {}), (Stage.DOSSIER, date(2026, 1, 10), {})])
    await _open_step(bot, "Vương Đình Khải", Stage.DOSSIER, Stage.INTRODUCED)
    kind = (await bot.say(SECRETARY, "20/11/2026"))[-1]
    rule = t("cn.introducer_rule.youth_union", "vi", name="Vương Đình Khải", on="20/11/2026",
             age="30 tuổi 11 tháng")
    assert kind.text == t("cn.ask_introducer_kind", "vi", rule=rule, months=12)
    assert kind.button_texts == [t("cn.button.youth_union", "vi"), t("button.back", "vi"),
                                 t("button.cancel", "vi")]
    if bot.channel == "telegram":  # a forged choice the rules do not allow for a youth-age candidate
        replies = await bot.press_data(SECRETARY, "cn:ik:two_members", message_id=kind.message_id)
        assert replies[0].text == t("cn.error.introducer_kind_not_allowed", "vi", rule=rule)

    # 120-odd members: part of a name first. «Xuân Hùng» finds only «Trịnh Xuân Hưng», said so.
    question = (await bot.press(SECRETARY, t("cn.button.youth_union", "vi")))[-1]
    full = await _full_members(db)
    assert search_first_text(full, "Hùng", "vi") in (question.text or "")
    assert (question.text or "").startswith(t("cn.ask_introducer.with_union", "vi",
                                              union=t("cn.union.youth_union", "vi")))
    replies = await bot.say(SECRETARY, "Tạ Quang Dự")
    assert replies[0].text == t("cn.error.introducer_probationary", "vi", name="Tạ Quang Dự")
    near = (await bot.say(SECRETARY, "Xuân Hùng"))[-1]
    assert near_text("Xuân Hùng", ["Trịnh Xuân Hưng"], "vi") in (near.text or "")
    assert "Trịnh Xuân Hưng" in near.button_texts
    asked = (await bot.press(SECRETARY, "Trịnh Xuân Hưng"))[-1]
    assert asked.text == t("cn.ask_known_since", "vi", member="Trịnh Xuân Hưng", name="Vương Đình Khải",
                           months=12, on="20/11/2026")
    replies = await bot.say(SECRETARY, "2025")
    assert replies[0].text == t("cn.error.known_since_year_only", "vi", value="2025", required=12)
    replies = await bot.say(SECRETARY, "12/2025")  # 11 months by 20/11/2026
    assert replies[0].text == t("cn.error.known_too_short", "vi", since="12/2025", on="20/11/2026", months=11,
                                required=12)
    summary = (await bot.say(SECRETARY, "tháng 11/2025"))[-1]
    names = t("cn.summary.known", "vi", name="Trịnh Xuân Hưng", since="11/2025", months=12)
    assert t("cn.summary.youth_union", "vi", names=names) in (summary.text or "")
    await bot.press(SECRETARY, t("button.save", "vi"))
    [event] = await _events(db, cid, Stage.INTRODUCED)
    assert event.details == {"kind": "youth_union", "introducers": ["Trịnh Xuân Hưng"],
                             "member_ids": [ids["Trịnh Xuân Hưng"]], "known_since": ["2025-11"],
                             "months_known": [12]}


async def test_exact_tone_marks_first_in_the_absentee_search(demo_bot: LocalBot) -> None:
    bot = demo_bot
    await _add_members(bot.db, ("Trịnh Xuân Hưng", "full"), ("Đỗ Xuân Hùng", "full"))
    await bot.say(SECRETARY, "/sinhhoat")
    await bot.press(SECRETARY, t("button.today", "vi"))
    await bot.press(SECRETARY, t("meeting_kind.regular", "vi"))
    expected = bot.last_with_buttons(SECRETARY).button_texts[0]
    await bot.press(SECRETARY, expected)
    count = int(expected.split()[0])
    picker = (await bot.say(SECRETARY, str(count - 1)))[-1]
    assert search_first_text(count, "Hùng", "vi") in (picker.text or "")
    found = (await bot.say(SECRETARY, "Xuân Hùng"))[-1]
    assert "Đỗ Xuân Hùng" in found.button_texts and "Trịnh Xuân Hưng" not in found.button_texts
    assert t("meeting.filtered", "vi", query="Xuân Hùng", count=1) in (found.text or "")
    near = (await bot.say(SECRETARY, "Xuân Hừng"))[-1]  # nobody with that mark: both, as a question
    assert {"Đỗ Xuân Hùng", "Trịnh Xuân Hưng"} <= set(near.button_texts)
    assert "Không có «Xuân Hừng»; có" in (near.text or "") and "có phải một trong" in (near.text or "")


async def test_a_cell_vote_on_an_expired_certificate_or_over_sixty_is_explained_and_not_saved(
    demo_bot: LocalBot,
) -> None:
    bot, db = demo_bot, demo_bot.db
    steps = [(Stage.COURSE, date(2021, 1, 5), {}), (Stage.DOSSIER, date(2025, 6, 10), {}),
             (Stage.INTRODUCED, date(2025, 12, 1), {**INTRODUCED, "kind": "two_members",
                                                  "introducers": ["Lê Văn Hải", "Phạm Thị Lan"],
                                                  "known_since": ["2019-01", "2019-01"]})]
    cid = await _candidate(db, "Vương Đình Khải", LooseDate(1980, 5, 1), steps)
    await _open_step(bot, "Vương Đình Khải", Stage.INTRODUCED, Stage.CELL_VOTE)
    replies = await bot.press(SECRETARY, t("button.today", "vi"))
    assert _texts(replies)[0] == t("cn.error.certificate_expired", "vi", course="05/01/2021", valid_months=60,
                                   until="05/01/2026", on="28/11/2026")
    assert "học lại" in _texts(replies)[0]
    assert (replies[-1].text or "").startswith(t("cn.ask_date.cell_vote", "vi", name="Vương Đình Khải"))
    replies = await bot.say(SECRETARY, "05/01/2026")  # the certificate's last day: accepted
    assert replies[-1].text == t("cn.ask_votes_for", "vi", name="Vương Đình Khải")
    assert await _events(db, cid, Stage.CELL_VOTE) == []

    await bot.say(SECRETARY, "/huy")
    steps[0] = (Stage.COURSE, date(2025, 3, 1), {})
    await _candidate(db, "Lò Văn Cả", LooseDate(1966, 5, 1), steps)
    await _open_step(bot, "Lò Văn Cả", Stage.INTRODUCED, Stage.CELL_VOTE)
    replies = await bot.press(SECRETARY, t("button.today", "vi"))
    assert _texts(replies)[0] == t("cn.error.age_above", "vi", on="28/11/2026", age="60 tuổi 6 tháng",
                                   max_age="60 tuổi")
    assert "cấp ủy cấp trên" in _texts(replies)[0]


async def test_a_birth_year_alone_near_18_asks_the_full_date_saved_with_the_vote(demo_bot: LocalBot) -> None:
    bot, db = demo_bot, demo_bot.db
    cid = await _candidate(db, "Vương Đình Khải", LooseDate(2008),
                           [(Stage.COURSE, date(2025, 3, 1), {}), (Stage.DOSSIER, date(2026, 1, 10), {}),
                            (Stage.INTRODUCED, date(2026, 2, 1), INTRODUCED)], spotted=date(2024, 1, 5))
    await _open_step(bot, "Vương Đình Khải", Stage.INTRODUCED, Stage.CELL_VOTE)
    asked = (await bot.say(SECRETARY, "18/08/2026"))[-1]
    assert asked.text == t("cn.ask_full_birth.vote_min", "vi", name="Vương Đình Khải", year=2008,
                           on="18/08/2026", min_age="18 tuổi")
    replies = await bot.say(SECRETARY, "2008")
    assert _texts(replies) == [t("cn.full_birth_needed", "vi", year=2008), asked.text]
    replies = await bot.say(SECRETARY, "02/09/2008")  # 17 years 11 months on the vote
    assert _texts(replies) == [t("cn.error.age_below", "vi", on="18/08/2026", age="17 tuổi 11 tháng",
                                 min_age="18 tuổi"), asked.text]
    await bot.say(SECRETARY, "2/3/2008")
    listed = await _full_members(db)
    asked = (await bot.say(SECRETARY, str(listed)))[-1]
    assert asked.text == t("cn.ask_votes_total_listed", "vi", listed=listed)
    replies = await bot.say(SECRETARY, str(listed + 1))
    assert replies[0].text == t("cn.error.votes_total_above_list", "vi", listed=listed,
                                votes_total=listed + 1)
    summary = (await bot.press(SECRETARY, t("cn.button.listed_total", "vi", listed=listed)))[-1]
    assert t("cn.summary.birth_added", "vi", birth="02/03/2008") in (summary.text or "")
    assert t("cn.summary.votes", "vi", votes_for=listed, votes_total=listed) in (summary.text or "")
    await bot.press(SECRETARY, t("button.save", "vi"))
    [event] = await _events(db, cid, Stage.CELL_VOTE)
    assert event.details == {"votes_for": listed, "votes_total": listed}
    async with db.read() as session:
        row = await session.get(Candidate, cid)
        assert row is not None and (row.birth_year, row.birth_month, row.birth_day) == (2008, 3, 2)


async def test_a_birth_year_alone_near_31_asks_the_full_date_before_proposing_introducers(
    demo_bot: LocalBot,
) -> None:
    bot, db = demo_bot, demo_bot.db
    await _candidate(db, "Vương Đình Khải", LooseDate(1995),  # 30 or 31 on 20/06/2026
                     [(Stage.COURSE, date(2025, 3, 1), {}), (Stage.DOSSIER, date(2026, 1, 10), {})])
    await _open_step(bot, "Vương Đình Khải", Stage.DOSSIER, Stage.INTRODUCED)
    asked = (await bot.say(SECRETARY, "20/06/2026"))[-1]
    assert asked.text == t("cn.ask_full_birth.youth", "vi", name="Vương Đình Khải", year=1995,
                           on="20/06/2026")
    kind = (await bot.say(SECRETARY, "21/06/1995"))[-1]  # 30 years 11 months: still youth age
    rule = t("cn.introducer_rule.youth_union", "vi", name="Vương Đình Khải", on="20/06/2026",
             age="30 tuổi 11 tháng")
    assert kind.text == t("cn.ask_introducer_kind", "vi", rule=rule, months=12)
    await bot.press(SECRETARY, t("button.back", "vi"))
    kind = (await bot.say(SECRETARY, "20/06/1995"))[-1]  # 31 on the day: two members, residential cell
    assert t("cn.introducer_rule.two_members", "vi", name="Vương Đình Khải", on="20/06/2026",
             age="31 tuổi") in (kind.text or "")
    assert t("cn.button.two_members", "vi") in kind.button_texts


async def test_the_helper_search_asks_about_a_near_match_instead_of_claiming_it(demo_bot: LocalBot) -> None:
    await _add_members(demo_bot.db, ("Trịnh Xuân Hưng", "full"))
    await to_helper(demo_bot)
    found = (await demo_bot.say(SECRETARY, "Xuân Hùng"))[-1]
    assert found.text == near_text("Xuân Hùng", ["Trịnh Xuân Hưng"], "vi")
    assert "Trịnh Xuân Hưng" in found.button_texts
