"""The ward-wide reads behind the sweep and /tiendo keep their answers while they grow cheap:
candidates read as plain rows equal the ORM's objects, long id lists work on PostgreSQL beyond
its 32,767 parameters per statement, and /tiendo reads only the asking user's cells."""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import selectinload

from bot.config import Settings
from bot.demo.write import write_demo_ward
from bot.domain.candidates import CandidateInfo, StepRecord
from bot.domain.dates import LooseDate
from bot.domain.reminders import Rule
from bot.domain.roles import Actor, Role
from bot.domain.stages import Stage
from bot.services.reminders import scheduled_moment, sweep
from bot.services.status import cell_statuses
from bot.store.candidates import current_step_dates, get_candidate, list_candidates
from bot.store.committees import list_cells
from bot.store.db import Database
from bot.store.meetings import last_meetings
from bot.store.models import (
    Candidate,
    Cell,
    CommitteeAssignment,
    Meeting,
    MeetingAbsence,
    Member,
    User,
)
from bot.store.recipients import unexcused_absences_named
from bot.store.status import admitted_between, committee_attendance, stage_counts
from tests.conftest import make_database

SETTINGS = Settings()
TODAY = date(2026, 11, 28)
SWEEP_DAY = date(2026, 12, 1)
POSTGRES_PARAMETER_LIMIT = 32_767


def _reference(row: Candidate) -> CandidateInfo:
    """A candidate as the ORM objects describe it, steps in the order they happened."""
    events = sorted(row.events, key=lambda e: (e.happened_on, e.id))
    return CandidateInfo(
        id=row.id, cell_id=row.cell_id, full_name=row.full_name,
        birth=LooseDate(row.birth_year, row.birth_month, row.birth_day), gender=row.gender,
        background=row.background, helper_name=row.helper_name, stage=Stage(row.stage),
        dropped_on=row.dropped_on, dropped_reason=row.dropped_reason,
        steps={Stage(e.stage): StepRecord(e.happened_on, dict(e.details or {})) for e in events},
        member_id=row.member_id)


async def test_candidates_read_as_rows_equal_the_orm_objects_on_the_demo_ward(db: Database) -> None:
    await write_demo_ward(db, today=TODAY, scale=2)
    async with db.read() as session:
        rows = list(await session.scalars(
            select(Candidate).options(selectinload(Candidate.events)).order_by(Candidate.id)))
        cell_ids = list(await session.scalars(select(Cell.id)))
        everyone = await list_candidates(session, cell_ids, current_only=False)
        current = await list_candidates(session, cell_ids)
        dated = await list_candidates(session, cell_ids, details=False)
        clocks = await current_step_dates(session, cell_ids, details_of={Stage.DECISION})
        one = await get_candidate(session, rows[-1].id)
    expected = [_reference(r) for r in rows]
    assert len(expected) > 100 and any(s.details for c in expected for s in c.steps.values())
    assert everyone == expected
    assert [list(c.steps) for c in everyone] == [list(c.steps) for c in expected]  # in date order
    assert current == [c for c in expected if not c.dropped and c.stage is not Stage.FULL_MEMBER]
    assert one == expected[-1]
    assert dated == [replace(c, steps={s: StepRecord(r.on) for s, r in c.steps.items()}) for c in current]
    assert clocks == [(c.id, c.full_name, c.cell_id, c.stage, {s: r.on for s, r in c.steps.items()},
                       {s: r.details for s, r in c.steps.items() if s is Stage.DECISION}) for c in current]
    assert any(c[5] and c[5][Stage.DECISION] for c in clocks)  # some decisions carry details
    assert [list(c[4]) for c in clocks] == [list(c.steps) for c in current]


async def test_cell_lists_beyond_postgres_parameter_limit_are_read_in_slices(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A province-sized id list (more ids than PostgreSQL binds in one statement) gives the
    same answers as the ward's own ids."""
    db = await make_database("postgresql", tmp_path)
    try:
        await write_demo_ward(db, today=TODAY)
        async with db.read() as session:
            ids = sorted(await session.scalars(select(Cell.id)))
            absent = list(range(10_000_000, 10_000_000 + POSTGRES_PARAMETER_LIMIT + 5_000))
            many = absent[:20_000] + ids + absent[20_000:]
            assert len(many) > POSTGRES_PARAMETER_LIMIT
            for read in (lambda i: list_candidates(session, i),
                         lambda i: admitted_between(session, i, Stage.CEREMONY, date(2024, 1, 1), TODAY),
                         lambda i: stage_counts(session, i),
                         lambda i: last_meetings(session, i, TODAY)):
                assert await read(many) == await read(ids)
            assert await list_cells(session, 1, only=many) == await list_cells(session, 1)
    finally:
        await db.dispose()


async def test_the_sweep_decides_the_same_with_more_cells_than_postgres_binds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The sweep failed past ~12,000 cells ("too many parameters"); now a ward of 33,000 cells
    is swept, and the demo cells' reminders are unchanged by the empty cells added."""
    db = await make_database("postgresql", tmp_path)
    try:
        await write_demo_ward(db, today=TODAY)
        now = scheduled_moment(SWEEP_DAY, SETTINGS)
        before = await sweep(db, SETTINGS, as_of=SWEEP_DAY, now=now, dry_run=True)
        async with db.write() as session:
            committee_id = await session.scalar(select(Cell.committee_id).limit(1))
            await session.execute(insert(Cell), [
                {"committee_id": committee_id, "name": f"Chi bộ thêm {k}", "kind": "residential",
                 "quota": None, "active": True, "created_at": datetime(2026, 1, 1, tzinfo=UTC)}
                for k in range(POSTGRES_PARAMETER_LIMIT + 300)])
        after = await sweep(db, SETTINGS, as_of=SWEEP_DAY, now=now, dry_run=True)
    finally:
        await db.dispose()

    def cells_own(result: object) -> list[object]:
        return [p.reminder for p in result.planned if p.reminder.rule is not Rule.DIGEST_QUOTA]  # type: ignore[attr-defined]

    assert cells_own(after) == cells_own(before) and cells_own(before)
    digest = next(p.reminder for p in after.planned if p.reminder.rule is Rule.DIGEST_QUOTA)
    assert digest.facts["total"] == 32 + POSTGRES_PARAMETER_LIMIT + 300


async def test_tiendo_reads_only_the_cells_the_user_may_see(db: Database) -> None:
    await write_demo_ward(db, today=TODAY)
    async with db.read() as session:
        secretary = (await session.execute(select(User.id, User.cell_id).where(
            User.role == "secretary").order_by(User.id).limit(1))).one()
        every = await list_cells(session, 1)
    actor = Actor(user_id=secretary.id, role=Role.SECRETARY, cell_id=secretary.cell_id)
    statuses = await cell_statuses(db, actor, year=2026, today=TODAY, settings=SETTINGS)
    assert [s.cell.id for s in statuses] == [secretary.cell_id]
    mine = frozenset(c.id for c in every[3:7])
    committee = Actor(user_id=secretary.id, role=Role.COMMITTEE, cell_ids=mine | {999_999})
    statuses = await cell_statuses(db, committee, year=2026, today=TODAY, settings=SETTINGS)
    assert [s.cell for s in statuses] == [c for c in every if c.id in mine]


async def test_the_cycle_collector_is_back_on_after_the_sweep_loads_a_ward(
        sqlite_db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The sweep pauses Python's cycle collector while it builds the ward's facts; it is on
    again afterwards, also when the load fails."""
    await write_demo_ward(sqlite_db, today=TODAY)
    now = scheduled_moment(SWEEP_DAY, SETTINGS)
    assert (await sweep(sqlite_db, SETTINGS, as_of=SWEEP_DAY, now=now, dry_run=True)).planned
    assert gc.isenabled()
    broken = Database(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'nowhere.db'}")
    with pytest.raises(OperationalError):
        await sweep(broken, SETTINGS, as_of=SWEEP_DAY, now=now, dry_run=True)
    await broken.dispose()
    assert gc.isenabled()


async def test_attendance_and_absent_months_match_a_count_made_row_by_row(db: Database) -> None:
    """committee_attendance and unexcused_absences_named, rewritten for large wards, against the
    same figures counted in Python from the raw rows of a demo ward."""
    await write_demo_ward(db, today=TODAY, scale=2)
    start, end = date(2026, 1, 1), TODAY
    async with db.read() as session:
        attendance = await committee_attendance(session, 1, date(2026, 9, 1), TODAY)
        absences = await unexcused_absences_named(session, start, end)
        meetings = (await session.execute(select(
            Meeting.id, Meeting.cell_id, Meeting.held_on, Meeting.committee_member_attended))).all()
        charges = (await session.execute(
            select(User.id, User.display_name, Cell.id, Cell.name)
            .join(CommitteeAssignment, CommitteeAssignment.user_id == User.id)
            .join(Cell, Cell.id == CommitteeAssignment.cell_id)
            .where(User.active, User.role == "committee", Cell.active))).all()
        missed = (await session.execute(select(MeetingAbsence.meeting_id, MeetingAbsence.member_id)
                                        .where(MeetingAbsence.excused.is_(False)))).all()
        members = {m.id: m for m in (await session.execute(
            select(Member.id, Member.full_name, Member.cell_id, Member.active))).all()}
    went = {cell for _, cell, on, came in meetings if came and date(2026, 9, 1) <= on <= TODAY}
    expected = sorted((u, n, c, cn, c in went) for u, n, c, cn in charges)
    assert sorted(attendance) == expected
    assert any(r[4] for r in attendance) and not all(r[4] for r in attendance)
    held = {i: on for i, _, on, _ in meetings if start <= on <= end}
    months: dict[int, set[tuple[int, int]]] = {}
    for meeting_id, member_id in missed:
        if meeting_id in held and members[member_id].active:
            months.setdefault(member_id, set()).add((held[meeting_id].year, held[meeting_id].month))
    by_hand = sorted((m, members[m].full_name, members[m].cell_id, len(ms)) for m, ms in months.items())
    assert sorted(absences) == by_hand and max(k for *_, k in by_hand) >= 3
