"""The demo ward reproduces the seed's figures, tells a consistent story, and is deterministic.

The ward is generated once per backend (module-scoped) and only read by the tests, so the module
stays fast; the determinism test writes one more ward into a second SQLite file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import and_, func, or_, select

from bot.config import QuotaSettings, RuleSettings
from bot.demo.ward import (
    DEMO_ADMIN_ID,
    DEMO_CHANNEL,
    DEMO_COMMITTEE_ID,
    DEMO_SECRETARY_ID,
    DEMO_USERS,
    SUPERIOR_NAME,
    TO16,
    WARD_NAME,
    DemoSummary,
    DemoWardError,
    demo_display_name,
)
from bot.demo.write import get_demo_display_name, write_demo_ward
from bot.domain.candidates import Background, Gender
from bot.domain.deadlines import Clock, Deadline, candidate_deadlines
from bot.domain.pipeline import validate_details
from bot.domain.roles import Role
from bot.domain.stages import PIPELINE, Stage
from bot.domain.workdays import WorkCalendar
from bot.store.db import Database
from bot.store.models import (
    Candidate,
    CandidateEvent,
    Cell,
    Committee,
    CommitteeAssignment,
    Meeting,
    MeetingAbsence,
    Member,
    User,
    YearQuota,
)
from tests.conftest import make_database

pytestmark = pytest.mark.asyncio(loop_scope="module")

TODAY = date(2026, 11, 28)


class Ward:
    """A generated demo ward and what `write_demo_ward` said about it."""

    def __init__(self, db: Database, summary: DemoSummary) -> None:
        self.db = db
        self.summary = summary


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=["sqlite", "postgresql"])
async def ward(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Ward]:
    db = await make_database(request.param, tmp_path_factory.mktemp(f"demo-{request.param}"))
    summary = await write_demo_ward(db, today=TODAY)
    yield Ward(db, summary)
    await db.dispose()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def reference(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Database]:
    """The same ward written again, independently, into a second SQLite file."""
    db = await make_database("sqlite", tmp_path_factory.mktemp("demo-reference"))
    await write_demo_ward(db, today=TODAY)
    yield db
    await db.dispose()


async def _scalar(db: Database, query: Any) -> Any:
    async with db.read() as session:
        return await session.scalar(query)


async def _rows(db: Database, query: Any) -> list[Any]:
    async with db.read() as session:
        return list((await session.execute(query)).all())


def _members_at(cell_name: str, day: date) -> Any:
    return (
        select(func.count(Member.id))
        .join(Cell, Cell.id == Member.cell_id)
        .where(Cell.name == cell_name, Member.admitted_on <= day,
               or_(Member.left_on.is_(None), Member.left_on > day))
    )


def _decisions_in(year: int) -> Any:
    return select(func.count(CandidateEvent.id)).where(
        CandidateEvent.stage == Stage.DECISION.value,
        CandidateEvent.happened_on.between(date(year, 1, 1), date(year, 12, 31)),
    )


async def test_ward_has_the_real_wards_name_32_cells_and_over_1700_members_end_2023(ward: Ward) -> None:
    committee = (await _rows(ward.db, select(Committee.name, Committee.superior_name)))[0]
    assert tuple(committee) == (WARD_NAME, SUPERIOR_NAME)
    assert await _scalar(ward.db, select(func.count(Cell.id))) == 32 == ward.summary.cells
    residential = await _scalar(
        ward.db, select(func.count(Cell.id)).where(Cell.kind == "residential")
    )
    assert residential == 21
    members = await _scalar(ward.db, select(func.count(Member.id)))
    assert members == ward.summary.members
    # "trên 1.700 đảng viên" in the report of January 2024: the members at the end of 2023.
    end_2023 = await _scalar(ward.db, select(func.count(Member.id)).where(
        or_(Member.joined_on.is_(None), Member.joined_on <= date(2023, 12, 31)),
        Member.admitted_on <= date(2023, 12, 31),
        or_(Member.left_on.is_(None), Member.left_on > date(2023, 12, 31))))
    assert 1700 < end_2023 < 1750


async def test_ward_admitted_12_in_2022_and_45_in_2023(ward: Ward) -> None:
    assert await _scalar(ward.db, _decisions_in(2022)) == 12
    assert await _scalar(ward.db, _decisions_in(2023)) == 45
    assert ward.summary.admitted_by_year[2022] == 12
    assert ward.summary.admitted_by_year[2023] == 45
    for year in (2024, 2025, 2026):
        assert await _scalar(ward.db, _decisions_in(year)) == ward.summary.admitted_by_year[year]


async def test_default_quotas_make_43_and_every_year_has_a_quota(ward: Ward) -> None:
    quotas = QuotaSettings()
    cells = await _rows(ward.db, select(Cell.kind, Cell.quota))
    assert all(quota is None for _, quota in cells)  # config defaults apply
    assert sum(getattr(quotas, kind) for kind, _ in cells) == 43
    years = dict(await _rows(ward.db, select(YearQuota.year, YearQuota.quota)))
    assert years[2023] == 43
    # The plan is known from 2023 (the seed's quota 43); 2022's figures use the defaults.
    assert sorted(years) == list(range(2023, TODAY.year + 1))
    set_by = {row[0] for row in await _rows(ward.db, select(YearQuota.set_by))}
    assert set_by == {"Thành ủy giao"}


async def test_to16_has_117_then_119_members_and_2_admissions_in_2023(ward: Ward) -> None:
    assert await _scalar(ward.db, _members_at(TO16, date(2022, 12, 31))) == 117
    assert await _scalar(ward.db, _members_at(TO16, date(2023, 12, 31))) == 119
    admitted = await _scalar(
        ward.db,
        _decisions_in(2023).join(Candidate, Candidate.id == CandidateEvent.candidate_id)
        .join(Cell, Cell.id == Candidate.cell_id).where(Cell.name == TO16),
    )
    assert admitted == 2


async def test_candidates_exist_at_every_stage_and_some_dropped_out(ward: Ward) -> None:
    rows = await _rows(
        ward.db,
        select(Candidate.stage, func.count(Candidate.id))
        .where(Candidate.dropped_on.is_(None)).group_by(Candidate.stage),
    )
    assert {Stage(stage) for stage, _ in rows} == set(PIPELINE)
    dropped = await _rows(
        ward.db, select(Candidate.dropped_reason).where(Candidate.dropped_on.is_not(None))
    )
    assert len(dropped) >= 3
    assert all(reason for (reason,) in dropped)


async def test_to16_has_candidates_in_three_stages_one_awaiting_the_decision(ward: Ward) -> None:
    stages = {
        Stage(s) for (s,) in await _rows(
            ward.db,
            select(Candidate.stage).join(Cell, Cell.id == Candidate.cell_id)
            .where(Cell.name == TO16, Candidate.dropped_on.is_(None),
                   Candidate.stage.not_in([Stage.CEREMONY.value, Stage.FULL_MEMBER.value])),
        )
    }
    assert len(stages) >= 3
    assert Stage.WARD_RESOLUTION in stages


async def test_every_candidates_events_follow_the_pipeline_with_rising_dates(ward: Ward) -> None:
    rows = await _rows(
        ward.db,
        select(Candidate.id, Candidate.stage, Candidate.dropped_on, CandidateEvent.stage,
               CandidateEvent.happened_on, CandidateEvent.details)
        .join(CandidateEvent, CandidateEvent.candidate_id == Candidate.id)
        .order_by(Candidate.id, CandidateEvent.happened_on, CandidateEvent.id),
    )
    timelines: dict[int, list[tuple[Stage, date, dict[str, Any]]]] = {}
    current: dict[int, tuple[str, date | None]] = {}
    for cid, stage, dropped_on, ev_stage, day, details in rows:
        timelines.setdefault(cid, []).append((Stage(ev_stage), day, details))
        current[cid] = (stage, dropped_on)
    assert len(timelines) == ward.summary.candidates
    for cid, events in timelines.items():
        stages = [s for s, _, _ in events]
        # Every step from the first one, none skipped, in order; the candidate sits at the last.
        assert stages == list(PIPELINE[: len(stages)]), cid
        days = [d for _, d, _ in events]
        assert days == sorted(days) and days[-1] <= TODAY, cid
        assert current[cid][0] == stages[-1].value
        dropped_on = current[cid][1]
        assert dropped_on is None or days[-1] <= dropped_on <= TODAY
        by_stage = {s: (d, det) for s, d, det in events}
        if Stage.INTRODUCED in by_stage:
            introduced = by_stage[Stage.INTRODUCED][1]
            assert len(introduced["introducers"]) == (2 if introduced["kind"] == "two_members" else 1)
        if Stage.DECISION in by_stage:
            decided, details = by_stage[Stage.DECISION]
            assert details["number"].endswith("-QĐ/TU")
            # 60 working days are at least 84 calendar days.
            assert (decided - by_stage[Stage.CELL_VOTE][0]).days <= 84, cid
        if Stage.CEREMONY in by_stage:
            assert (by_stage[Stage.CEREMONY][0] - by_stage[Stage.DECISION][0]).days <= 45, cid
        if Stage.FULL_MEMBER in by_stage:
            probation = by_stage[Stage.FULL_MEMBER][0] - by_stage[Stage.CEREMONY][0]
            assert timedelta(days=365) <= probation <= timedelta(days=365 + 45), cid


async def test_admitted_candidates_are_members_of_their_cell(ward: Ward) -> None:
    rows = await _rows(
        ward.db,
        select(Candidate.stage, CandidateEvent.happened_on, Member.admitted_on, Member.status)
        .join(CandidateEvent, and_(CandidateEvent.candidate_id == Candidate.id,
                                   CandidateEvent.stage == Stage.CEREMONY.value))
        .outerjoin(Member, and_(Member.cell_id == Candidate.cell_id,
                                Member.full_name == Candidate.full_name)),
    )
    assert rows
    for stage, ceremony, admitted_on, status in rows:
        assert admitted_on == ceremony
        assert status == ("full" if stage == Stage.FULL_MEMBER.value else "probationary")


async def _open_deadlines(db: Database) -> list[tuple[str, Deadline]]:
    """(cell name, deadline) for every clock running for a candidate still in the pipeline."""
    rows = await _rows(
        db,
        select(Candidate.id, Cell.name, Candidate.stage, CandidateEvent.stage,
               CandidateEvent.happened_on)
        .join(Cell, Cell.id == Candidate.cell_id)
        .join(CandidateEvent, CandidateEvent.candidate_id == Candidate.id)
        .where(Candidate.dropped_on.is_(None)),
    )
    candidates: dict[int, tuple[str, Stage, dict[Stage, date]]] = {}
    for cid, cell, stage, ev_stage, day in rows:
        candidates.setdefault(cid, (cell, Stage(stage), {}))[2][Stage(ev_stage)] = day
    rules, calendar = RuleSettings(), WorkCalendar()
    return [(cell, d) for cell, stage, events in candidates.values()
            for d in candidate_deadlines(stage, events, rules, calendar)]


async def test_some_clocks_run_out_near_today(ward: Ward) -> None:
    deadlines = await _open_deadlines(ward.db)

    def due_within(clock: Clock, first: int, last: int) -> list[str]:
        return [cell for cell, d in deadlines if d.clock is clock
                and TODAY + timedelta(days=first) <= d.due <= TODAY + timedelta(days=last)]

    assert TO16 in due_within(Clock.DECISION_DUE, 0, 10)
    assert due_within(Clock.DECISION_DUE, -60, -1)  # one already overdue
    assert due_within(Clock.CEREMONY_DUE, 0, 30)
    assert TO16 in due_within(Clock.PROBATION_ENDS, 0, 30)
    assert due_within(Clock.REVIEW_DUE, 0, 45)  # probation over, recognition pending
    assert due_within(Clock.CERTIFICATE_EXPIRES, 0, 100)  # a certificate ≈57 months old
    assert due_within(Clock.DOSSIER_STALE, -60, -1)


async def test_step_details_are_what_the_pipeline_rules_accept(ward: Ward) -> None:
    rows = await _rows(ward.db, select(CandidateEvent.stage, CandidateEvent.details).where(
        CandidateEvent.stage.in_([Stage.INTRODUCED.value, Stage.CELL_VOTE.value,
                                  Stage.DECISION.value])))
    kinds = set()
    for stage, details in rows:
        assert validate_details(Stage(stage), details) == details
        kinds.add(details.get("kind"))
    assert {"two_members", "youth_union"} <= kinds
    backgrounds = {b for (b,) in await _rows(ward.db, select(Candidate.background).distinct())}
    genders = {g for (g,) in await _rows(ward.db, select(Candidate.gender).distinct())}
    assert backgrounds <= {b.value for b in Background} and len(backgrounds) >= 3
    assert genders == {g.value for g in Gender}


async def test_several_cells_are_behind_their_quota_this_year(ward: Ward) -> None:
    quotas = QuotaSettings()
    admitted = dict(await _rows(
        ward.db,
        select(Cell.name, func.count(CandidateEvent.id))
        .join(Candidate, Candidate.cell_id == Cell.id)
        .join(CandidateEvent, CandidateEvent.candidate_id == Candidate.id)
        .where(CandidateEvent.stage == Stage.DECISION.value,
               CandidateEvent.happened_on >= date(TODAY.year, 1, 1))
        .group_by(Cell.name),
    ))
    cells = await _rows(ward.db, select(Cell.name, Cell.kind))
    behind = [name for name, kind in cells if admitted.get(name, 0) < getattr(quotas, kind)]
    assert TO16 in behind
    assert 5 <= len(behind) <= 16


async def test_meeting_counts_add_up_and_name_members_of_the_cell(ward: Ward) -> None:
    bad = await _scalar(ward.db, select(func.count(Meeting.id)).where(
        Meeting.present + Meeting.absent_excused + Meeting.absent_unexcused != Meeting.expected))
    assert bad == 0
    named = dict(await _rows(
        ward.db,
        select(MeetingAbsence.meeting_id, func.count(MeetingAbsence.id))
        .group_by(MeetingAbsence.meeting_id),
    ))
    meetings = await _rows(ward.db, select(
        Meeting.id, Meeting.cell_id, Meeting.held_on, Meeting.kind, Meeting.expected,
        Meeting.absent_excused, Meeting.absent_unexcused, Meeting.committee_member_attended))
    assert len(meetings) == ward.summary.meetings
    for mid, _cell, held_on, kind, _expected, excused, unexcused, _ in meetings:
        assert kind in ("regular", "thematic", "both")
        assert held_on < TODAY
        assert named.get(mid, 0) == excused + unexcused
    attended = [m[-1] for m in meetings]
    assert 0.6 < sum(attended) / len(attended) < 1
    strangers = await _scalar(ward.db, select(func.count(MeetingAbsence.id))
                              .join(Meeting, Meeting.id == MeetingAbsence.meeting_id)
                              .join(Member, Member.id == MeetingAbsence.member_id)
                              .where(Member.cell_id != Meeting.cell_id))
    assert strangers == 0
    # `expected` is the cell's membership on the day, for a sample of meetings.
    for _mid, cell_id, held_on, _kind, expected, *_ in meetings[::40]:
        active = await _scalar(ward.db, select(func.count(Member.id)).where(
            Member.cell_id == cell_id, Member.admitted_on <= held_on,
            or_(Member.left_on.is_(None), Member.left_on > held_on)))
        assert expected == active


async def test_a_year_of_monthly_meetings_with_a_few_cells_silent(ward: Ward) -> None:
    months = await _rows(ward.db, select(Meeting.cell_id, Meeting.held_on))
    by_cell: dict[int, set[tuple[int, int]]] = {}
    for cell_id, held_on in months:
        by_cell.setdefault(cell_id, set()).add((held_on.year, held_on.month))
    assert len(by_cell) == 32
    assert all((2025, 11) in seen for seen in by_cell.values())  # 12 months before this one
    last_month = (2026, 10)
    silent = [c for c, seen in by_cell.items() if last_month not in seen]
    assert 2 <= len(silent) <= 5
    assert max(len(seen) for seen in by_cell.values()) == 13
    thematic = await _scalar(ward.db, select(func.count(func.distinct(Meeting.cell_id))).where(
        Meeting.kind.in_(["thematic", "both"]), Meeting.held_on >= date(2026, 7, 1)))
    assert thematic == 32


async def test_absence_warnings_two_members_at_2_and_one_at_3(ward: Ward) -> None:
    rows = await _rows(
        ward.db,
        select(MeetingAbsence.member_id, func.count(MeetingAbsence.id))
        .join(Meeting, Meeting.id == MeetingAbsence.meeting_id)
        .where(MeetingAbsence.excused.is_(False), Meeting.held_on >= date(TODAY.year, 1, 1))
        .group_by(MeetingAbsence.member_id)
        .having(func.count(MeetingAbsence.id) >= 2),
    )
    assert sorted(n for _, n in rows) == [2, 2, 3]


async def test_demo_users_have_their_roles_and_cells(ward: Ward) -> None:
    assert DEMO_USERS == {"admin": 700001, "committee": 700002, "secretary": 700003}
    users = {
        int(ext): (role, cell, name) for ext, role, cell, name in await _rows(
            ward.db,
            select(User.external_id, User.role, Cell.name, User.display_name)
            .outerjoin(Cell, Cell.id == User.cell_id).where(User.channel == DEMO_CHANNEL),
        )
    }
    assert len(users) == ward.summary.users
    assert users[DEMO_ADMIN_ID][:2] == (Role.ADMIN.value, None)
    assert users[DEMO_SECRETARY_ID][:2] == (Role.SECRETARY.value, TO16)
    assert users[DEMO_COMMITTEE_ID][0] == Role.COMMITTEE.value
    for key, telegram_id in DEMO_USERS.items():
        assert users[telegram_id][2] == demo_display_name(key) == demo_display_name(telegram_id)
    async with ward.db.read() as session:
        assert await get_demo_display_name(session, DEMO_SECRETARY_ID) == "Trần Văn Bình"
        assert await get_demo_display_name(session, 1) is None
    # The demo secretary is a member of their own cell, as a cell secretary is.
    assert await _scalar(ward.db, select(func.count(Member.id)).join(Cell).where(
        Cell.name == TO16, Member.full_name == demo_display_name("secretary"))) == 1

    assignments = await _rows(ward.db, select(User.external_id, Cell.name)
                              .join(CommitteeAssignment, CommitteeAssignment.user_id == User.id)
                              .join(Cell, Cell.id == CommitteeAssignment.cell_id))
    mine = {cell for ext, cell in assignments if int(ext) == DEMO_COMMITTEE_ID}
    assert TO16 in mine and 4 <= len(mine) <= 5
    # Every cell has exactly one committee member in charge and one active secretary.
    cells = [cell for _, cell in assignments]
    assert len(cells) == len(set(cells)) == 32
    secretaries = [cell for role, cell, _ in users.values() if role == Role.SECRETARY.value]
    assert len(secretaries) == len(set(secretaries)) == 32


async def test_names_are_vietnamese_with_diacritics(ward: Ward) -> None:
    names = [n for (n,) in await _rows(ward.db, select(Member.full_name))]
    assert all(n == unicodedata.normalize("NFC", n) and len(n.split()) >= 3 for n in names)
    assert sum(n.startswith("Nguyễn ") for n in names) > len(names) // 5
    assert any("ư" in n or "ơ" in n or "ê" in n for n in names)


async def test_generation_is_deterministic(ward: Ward, reference: Database) -> None:
    members = (
        select(Cell.name, Member.full_name, Member.status, Member.admitted_on, Member.left_on)
        .join(Cell, Cell.id == Member.cell_id)
        .order_by(Cell.name, Member.full_name)
    )
    events = (
        select(Cell.name, Candidate.full_name, CandidateEvent.stage, CandidateEvent.happened_on)
        .join(Candidate, Candidate.id == CandidateEvent.candidate_id)
        .join(Cell, Cell.id == Candidate.cell_id)
        .order_by(Cell.name, Candidate.full_name, CandidateEvent.happened_on)
    )
    meetings = (
        select(Cell.name, Meeting.held_on, Meeting.kind, Meeting.present, Meeting.absent_unexcused)
        .join(Cell, Cell.id == Meeting.cell_id)
        .order_by(Cell.name, Meeting.held_on)
    )
    for query in (members, events, meetings):
        assert await _rows(ward.db, query) == await _rows(reference, query)


async def test_refuses_a_database_that_already_has_a_committee(ward: Ward) -> None:
    with pytest.raises(DemoWardError, match="already"):
        await write_demo_ward(ward.db, today=TODAY)
    assert await _scalar(ward.db, select(func.count(Committee.id))) == 1


async def test_rejects_a_bad_scale_or_a_today_before_2024(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}")
    with pytest.raises(ValueError, match="scale"):
        await write_demo_ward(db, today=TODAY, scale=0)
    with pytest.raises(ValueError, match="2024"):
        await write_demo_ward(db, today=date(2023, 6, 1))
    await db.dispose()

