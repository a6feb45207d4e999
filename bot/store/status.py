"""Set-based queries behind the status views: one GROUP BY per question, never one query per cell."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.stages import Stage
from bot.store.models import (
    Candidate,
    CandidateEvent,
    Cell,
    CommitteeAssignment,
    Meeting,
    User,
    YearQuota,
)
from bot.store.slices import slices


def _not_dropped_before_counted() -> ColumnElement[bool]:
    """An admission stays counted in its year even if the person leaves later: a drop-out
    in 2025 must not rewrite the 2024 figures."""
    return or_(Candidate.dropped_on.is_(None), Candidate.dropped_on >= CandidateEvent.happened_on)


async def admitted_between(
    session: AsyncSession, cell_ids: list[int] | None, count_by: Stage, start: date, end: date
) -> dict[int, list[tuple[int, str, date]]]:
    """Per cell: (candidate id, name, date) of admissions whose `count_by` step falls in [start, end]."""
    query = (
        select(Candidate.cell_id, Candidate.id, Candidate.full_name, CandidateEvent.happened_on)
        .join(CandidateEvent, CandidateEvent.candidate_id == Candidate.id)
        .where(CandidateEvent.stage == count_by.value, CandidateEvent.happened_on >= start,
               CandidateEvent.happened_on <= end, _not_dropped_before_counted())
        .order_by(CandidateEvent.happened_on, Candidate.id)
    )
    found = []
    if cell_ids is None:
        found = list(await session.execute(query))
    else:
        for some in slices(cell_ids):
            found += await session.execute(query.where(Candidate.cell_id.in_(some)))
        found.sort(key=lambda r: (r.happened_on, r.id))
    out: dict[int, list[tuple[int, str, date]]] = defaultdict(list)
    for cell_id, cand_id, name, on in found:
        out[cell_id].append((cand_id, name, on))
    return out


async def count_admitted(
    session: AsyncSession, committee_id: int, count_by: Stage, start: date, end: date
) -> int:
    return int(await session.scalar(
        select(func.count()).select_from(Candidate)
        .join(CandidateEvent, CandidateEvent.candidate_id == Candidate.id)
        .join(Cell, Cell.id == Candidate.cell_id)
        .where(Cell.committee_id == committee_id, CandidateEvent.stage == count_by.value,
               CandidateEvent.happened_on >= start, CandidateEvent.happened_on <= end,
               _not_dropped_before_counted())
    ) or 0)


async def stage_counts(session: AsyncSession, cell_ids: list[int]) -> dict[int, dict[Stage, int]]:
    """Current candidates (not dropped, not yet full members) per cell and stage."""
    out: dict[int, dict[Stage, int]] = defaultdict(dict)
    for some in slices(cell_ids):  # a cell's counts all come from the slice that holds it
        rows = await session.execute(
            select(Candidate.cell_id, Candidate.stage, func.count())
            .where(Candidate.cell_id.in_(some), Candidate.dropped_on.is_(None),
                   Candidate.stage != Stage.FULL_MEMBER.value)
            .group_by(Candidate.cell_id, Candidate.stage)
        )
        for cell_id, stage, n in rows:
            out[cell_id][Stage(stage)] = int(n)
    return out


async def year_quota(session: AsyncSession, committee_id: int, year: int) -> int | None:
    return await session.scalar(
        select(YearQuota.quota).where(YearQuota.committee_id == committee_id, YearQuota.year == year)
    )


async def cells_with_meeting_between(session: AsyncSession, start: date, end: date) -> set[int]:
    rows = await session.scalars(
        select(Meeting.cell_id).where(Meeting.held_on >= start, Meeting.held_on <= end).distinct()
    )
    return set(rows)


async def committee_attendance(
    session: AsyncSession, committee_id: int, start: date, end: date
) -> list[tuple[int, str, int, str, bool]]:
    """(user id, name, cell id, cell name, attended a meeting of that cell in [start, end]).

    Two plain queries joined here, not an outer join to a DISTINCT subquery: PostgreSQL, its
    statistics not yet updated after a bulk write, planned that join as a nested loop over the
    subquery, 21 s for 9,600 cells."""
    attended = set(await session.scalars(
        select(Meeting.cell_id)
        .where(Meeting.held_on >= start, Meeting.held_on <= end, Meeting.committee_member_attended)
        .distinct()
    ))
    rows = await session.execute(
        select(User.id, User.display_name, Cell.id, Cell.name)
        .join(CommitteeAssignment, CommitteeAssignment.user_id == User.id)
        .join(Cell, Cell.id == CommitteeAssignment.cell_id)
        .where(User.active, User.role == "committee", Cell.committee_id == committee_id,
               Cell.active)
        .order_by(User.display_name, Cell.name)
    )
    return [(u, n, c, cn, c in attended) for u, n, c, cn in rows]
