"""The pipeline through the services on both backends: order, permissions, audit, membership."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.domain.candidates import Background, CandidateDraft, Gender
from bot.domain.dates import LooseDate
from bot.domain.eligibility import Refused
from bot.domain.errors import InvalidInput, NotFound, PermissionDenied
from bot.domain.pipeline import StepRefused
from bot.domain.roles import Actor, Role
from bot.domain.stages import Stage
from bot.services.candidates import (
    admit,
    correct_candidate,
    correct_step_date,
    drop_candidate,
    record_step,
    report_candidate,
)
from bot.services.status import cell_status
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import AuditLog, Cell, Member
from tests.conftest import add_actor

TODAY = date(2026, 11, 28)
SETTINGS = Settings()


async def _cells(db: Database) -> tuple[int, int]:
    async with db.write() as session:
        committee_id, _ = await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ", "")
        a = Cell(committee_id=committee_id, name="Chi bộ tổ 16", kind="residential")
        b = Cell(committee_id=committee_id, name="Chi bộ tổ 3", kind="residential")
        session.add_all([a, b])
        await session.flush()
        return a.id, b.id


ADULT = LooseDate(2000, 5, 1)
YOUTH_INTRO = {"kind": "youth_union", "introducers": ["Lê Tám"], "known_since": ["2024-01"]}


def _draft(cell_id: int, birth: LooseDate = ADULT) -> CandidateDraft:
    return CandidateDraft(cell_id=cell_id, full_name="  Nguyễn   Thị Hoa ", birth=birth,
                          gender=Gender.FEMALE, background=Background.YOUTH_UNION,
                          spotted_on=date(2025, 1, 10))


async def test_candidate_goes_all_the_way_and_counts_toward_the_quota(db: Database) -> None:
    cell, _ = await _cells(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    saved = await report_candidate(db, sec, _draft(cell), today=TODAY, rules=SETTINGS.rules)
    assert saved.candidate.full_name == "Nguyễn Thị Hoa" and saved.warnings == ()
    cid = saved.candidate.id
    steps = [(Stage.COURSE, date(2025, 3, 1), {}), (Stage.DOSSIER, date(2025, 5, 1), {}),
             (Stage.INTRODUCED, date(2025, 6, 1), {"kind": "youth_union", "introducers": ["Lê Văn Tám"],
                                                  "known_since": ["2024-01"]}),
             (Stage.CELL_VOTE, date(2025, 7, 1), {}), (Stage.WARD_RESOLUTION, date(2025, 8, 1), {})]
    for step, on, details in steps:
        await record_step(db, sec, cid, step, on, details, today=TODAY)
    done = await admit(db, sec, cid, number="45-QĐ/TU", decision_on=date(2026, 2, 3),
                       ceremony_on=date(2026, 3, 1), today=TODAY)
    assert done.candidate.stage is Stage.CEREMONY
    # Received date not given: the signing date, from which the ceremony clock then runs.
    assert done.candidate.steps[Stage.DECISION].details == {"number": "45-QĐ/TU", "received_on": "2026-02-03"}
    status = await cell_status(db, sec, cell, year=2026, today=TODAY, settings=SETTINGS)
    assert status.progress.admitted == 1 and status.progress.quota == 1
    assert status.admitted == (("Nguyễn Thị Hoa", date(2026, 2, 3)),)
    async with db.read() as session:
        member = (await session.scalars(select(Member).where(Member.cell_id == cell))).one()
        audit = list(await session.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert (member.full_name, member.status, member.admitted_on) == ("Nguyễn Thị Hoa", "probationary",
                                                                     date(2026, 3, 1))
    assert audit == ["report_candidate", "step:course", "step:dossier", "step:introduced",
                     "step:cell_vote", "step:ward_resolution", "admit"]


async def test_secretary_cannot_touch_another_cells_candidate(db: Database) -> None:
    cell, other = await _cells(db)
    mine = await add_actor(db, Role.SECRETARY, cell_id=cell)
    theirs = await add_actor(db, Role.SECRETARY, cell_id=other)
    with pytest.raises(PermissionDenied):
        await report_candidate(db, theirs, _draft(cell), today=TODAY, rules=SETTINGS.rules)
    saved = await report_candidate(db, mine, _draft(cell), today=TODAY, rules=SETTINGS.rules)
    with pytest.raises(PermissionDenied):
        await record_step(db, theirs, saved.candidate.id, Stage.COURSE, date(2025, 2, 1), today=TODAY)
    committee = await add_actor(db, Role.COMMITTEE, cell_ids=frozenset({cell}))
    with pytest.raises(PermissionDenied):  # committee members read, they do not report
        await record_step(db, committee, saved.candidate.id, Stage.COURSE, date(2025, 2, 1), today=TODAY)
    with pytest.raises(NotFound):
        await record_step(db, mine, 999_999, Stage.COURSE, date(2025, 2, 1), today=TODAY)


async def test_out_of_order_step_names_the_missing_one_and_saves_nothing(db: Database) -> None:
    cell, _ = await _cells(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    cid = (await report_candidate(db, sec, _draft(cell), today=TODAY, rules=SETTINGS.rules)).candidate.id
    with pytest.raises(StepRefused) as info:
        await record_step(db, sec, cid, Stage.CELL_VOTE, date(2025, 6, 1), today=TODAY)
    assert info.value.data["missing"] == "course"
    with pytest.raises(StepRefused):
        await admit(db, sec, cid, number="1", decision_on=date(2025, 6, 1), ceremony_on=None, today=TODAY)
    async with db.read() as session:
        assert list(await session.scalars(select(AuditLog.action))) == ["report_candidate"]


async def test_age_outside_range_warns_but_saves(db: Database) -> None:
    cell, _ = await _cells(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    saved = await report_candidate(db, sec, _draft(cell, LooseDate(2010)), today=TODAY, rules=SETTINGS.rules)
    assert saved.warnings[0]["code"] == "age" and saved.warnings[0]["years"] == 16


async def test_drop_and_corrections_are_audited_with_before_and_after(db: Database) -> None:
    cell, _ = await _cells(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    cid = (await report_candidate(db, sec, _draft(cell), today=TODAY, rules=SETTINGS.rules)).candidate.id
    await record_step(db, sec, cid, Stage.COURSE, date(2025, 3, 1), today=TODAY)
    fixed = await correct_step_date(db, sec, cid, Stage.COURSE, date(2025, 3, 5), today=TODAY)
    assert fixed.candidate.steps[Stage.COURSE].on == date(2025, 3, 5)
    with pytest.raises(InvalidInput) as before_spotted:
        await correct_step_date(db, sec, cid, Stage.COURSE, date(2024, 1, 1), today=TODAY)
    assert before_spotted.value.data["reason"] == "before_previous_step"
    renamed = await correct_candidate(db, sec, cid, "full_name", "Nguyễn Thị Hoà", today=TODAY)
    assert renamed.candidate.full_name == "Nguyễn Thị Hoà"
    dropped = await drop_candidate(db, sec, cid, reason="Chuyển nơi cư trú", on=date(2026, 1, 2), today=TODAY)
    assert dropped.candidate.dropped and dropped.candidate.dropped_reason == "Chuyển nơi cư trú"
    with pytest.raises(StepRefused, match="candidate_dropped"):
        await record_step(db, sec, cid, Stage.DOSSIER, date(2026, 2, 1), today=TODAY)
    async with db.read() as session:
        rows = list(await session.scalars(select(AuditLog).where(AuditLog.action == "correct:full_name")))
    assert rows[0].before["full_name"] == "Nguyễn Thị Hoa"  # type: ignore[index]
    assert rows[0].after["full_name"] == "Nguyễn Thị Hoà"  # type: ignore[index]


async def test_many_concurrent_reports_all_land_without_database_is_locked(db: Database) -> None:
    cell, _ = await _cells(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    drafts = [dataclasses.replace(_draft(cell), full_name=f"Người thứ {i}") for i in range(30)]
    saved = await asyncio.gather(*(report_candidate(db, sec, d, today=TODAY, rules=SETTINGS.rules)
                                   for d in drafts))
    assert len({s.candidate.id for s in saved}) == 30
    cid = saved[0].candidate.id
    # Racing the same step on one candidate: exactly one wins, the others are told it is recorded.
    outcomes = await asyncio.gather(
        *(record_step(db, sec, cid, Stage.COURSE, date(2025, 3, 1), today=TODAY) for _ in range(5)),
        return_exceptions=True)
    assert sum(not isinstance(o, BaseException) for o in outcomes) == 1
    assert all(isinstance(o, StepRefused) for o in outcomes if isinstance(o, BaseException))


async def test_spotted_before_birth_is_refused(db: Database) -> None:
    cell, _ = await _cells(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    draft = dataclasses.replace(_draft(cell), spotted_on=date(1999, 1, 1))
    with pytest.raises(InvalidInput) as info:
        await report_candidate(db, sec, draft, today=TODAY, rules=SETTINGS.rules)
    assert info.value.data["reason"] == "before_birth"


async def _to_ward_resolution(db: Database, sec: Actor, cell: int) -> int:
    draft = dataclasses.replace(_draft(cell), full_name="Nguyễn Văn An")
    cid = (await report_candidate(db, sec, draft, today=TODAY, rules=SETTINGS.rules)).candidate.id
    steps = [(Stage.COURSE, date(2025, 3, 1), {}), (Stage.DOSSIER, date(2025, 5, 1), {}),
             (Stage.INTRODUCED, date(2025, 6, 1), YOUTH_INTRO),
             (Stage.CELL_VOTE, date(2025, 7, 1), {}), (Stage.WARD_RESOLUTION, date(2025, 8, 1), {})]
    for step, on, details in steps:
        await record_step(db, sec, cid, step, on, details, today=TODAY)
    return cid


async def _members(db: Database, cell: int) -> list[tuple[str, str, bool, date | None]]:
    async with db.read() as session:
        query = select(Member.full_name, Member.status, Member.active, Member.admitted_on)
        rows = await session.execute(query.where(Member.cell_id == cell).order_by(Member.id))
        return [(n, s, a, d) for n, s, a, d in rows]


async def test_a_namesake_member_is_never_overwritten_and_the_new_member_follows_corrections(
    db: Database,
) -> None:
    cell, _ = await _cells(db)
    async with db.write() as session:  # an old full member with the same, very common name
        session.add(Member(cell_id=cell, full_name="Nguyễn Văn An", status="full",
                           admitted_on=date(1990, 5, 19), active=True))
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    cid = await _to_ward_resolution(db, sec, cell)
    await admit(db, sec, cid, number="7-QĐ/TU", decision_on=date(2025, 9, 1),
                ceremony_on=date(2025, 9, 15), today=TODAY)
    assert await _members(db, cell) == [
        ("Nguyễn Văn An", "full", True, date(1990, 5, 19)),
        ("Nguyễn Văn An (2025)", "probationary", True, date(2025, 9, 15))]
    await correct_step_date(db, sec, cid, Stage.CEREMONY, date(2025, 9, 20), today=TODAY)
    await correct_candidate(db, sec, cid, "full_name", "Nguyễn Văn Ân", today=TODAY)
    await record_step(db, sec, cid, Stage.FULL_MEMBER, date(2026, 9, 21), today=TODAY, rules=SETTINGS.rules)
    assert await _members(db, cell) == [
        ("Nguyễn Văn An", "full", True, date(1990, 5, 19)),
        ("Nguyễn Văn Ân", "full", True, date(2025, 9, 20))]


async def test_full_membership_waits_for_the_end_of_probation(db: Database) -> None:
    cell, _ = await _cells(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    cid = await _to_ward_resolution(db, sec, cell)
    await admit(db, sec, cid, number="7", decision_on=date(2025, 12, 1), ceremony_on=date(2025, 12, 29),
                today=TODAY)
    with pytest.raises(StepRefused) as early:
        await record_step(db, sec, cid, Stage.FULL_MEMBER, TODAY, today=TODAY, rules=SETTINGS.rules)
    assert early.value.code == "probation_not_over" and early.value.data["ends"] == "2026-12-29"


async def test_dropping_a_probationary_member_takes_them_off_the_list(db: Database) -> None:
    cell, _ = await _cells(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    cid = await _to_ward_resolution(db, sec, cell)
    await admit(db, sec, cid, number="7", decision_on=date(2025, 9, 1), ceremony_on=date(2025, 9, 15),
                today=TODAY)
    await drop_candidate(db, sec, cid, reason="Chuyển sinh hoạt đi nơi khác", on=date(2026, 2, 1),
                         today=TODAY)
    assert await _members(db, cell) == [("Nguyễn Văn An", "probationary", False, date(2025, 9, 15))]


async def test_the_cell_votes_only_on_adults_up_to_sixty(db: Database) -> None:
    cell, _ = await _cells(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    young = dataclasses.replace(_draft(cell, LooseDate(2008, 6, 1)), spotted_on=date(2024, 1, 5))
    cid = (await report_candidate(db, sec, young, today=TODAY, rules=SETTINGS.rules)).candidate.id
    for step, on, details in [(Stage.COURSE, date(2025, 3, 1), {}), (Stage.DOSSIER, date(2025, 7, 1), {}),
                              (Stage.INTRODUCED, date(2025, 8, 1), YOUTH_INTRO)]:
        await record_step(db, sec, cid, step, on, details, today=TODAY)
    with pytest.raises(Refused) as minor:  # 17 years 11 months
        await record_step(db, sec, cid, Stage.CELL_VOTE, date(2026, 5, 31), today=TODAY, rules=SETTINGS.rules)
    assert minor.value.code == "age_below" and minor.value.data["months"] == 17 * 12 + 11
    saved = await record_step(db, sec, cid, Stage.CELL_VOTE, date(2026, 6, 1), today=TODAY,
                              rules=SETTINGS.rules)
    assert saved.candidate.stage is Stage.CELL_VOTE
