"""Set-based queries behind the year's report: each returns every cell's rows at once.

`cell_ids=None` means every cell of the ward; a list limits to those cells (a committee member's,
a secretary's). The number of queries does not depend on the number of cells or candidates.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.stages import Stage
from bot.store.models import Candidate, CandidateEvent, Cell, Meeting


def _in_cells(query: Select, column: object, cell_ids: list[int] | None, committee_id: int) -> Select:  # type: ignore[type-arg]
    if cell_ids is None:
        return query.join(Cell, Cell.id == column).where(Cell.committee_id == committee_id)  # type: ignore[arg-type]
    return query.where(column.in_(cell_ids))  # type: ignore[attr-defined]


async def current_candidate_steps(
    session: AsyncSession, committee_id: int, cell_ids: list[int] | None
) -> dict[int, tuple[int, str, Stage, dict[Stage, date]]]:
    """Every current candidate (not dropped, not yet a full member): id → (cell id, name, stage,
    the date of each step), in one query however many there are."""
    query = (
        select(Candidate.id, Candidate.cell_id, Candidate.full_name, Candidate.stage,
               CandidateEvent.stage, CandidateEvent.happened_on)
        .join(CandidateEvent, CandidateEvent.candidate_id == Candidate.id)
        .where(Candidate.dropped_on.is_(None), Candidate.stage != Stage.FULL_MEMBER.value)
        .order_by(Candidate.id)
    )
    query = _in_cells(query, Candidate.cell_id, cell_ids, committee_id)
    out: dict[int, tuple[int, str, Stage, dict[Stage, date]]] = {}
    for cand_id, cell_id, name, stage, step, on in await session.execute(query):
        if cand_id not in out:
            out[cand_id] = (cell_id, name, Stage(stage), {})
        out[cand_id][3][Stage(step)] = on
    return out


async def admissions_by_day(
    session: AsyncSession, committee_id: int, cell_ids: list[int] | None, count_by: Stage,
    start: date, end: date,
) -> list[tuple[int, date]]:
    """(cell id, date) of each admission counted in [start, end] (an admission stays counted in its
    year even if the person drops out later)."""
    query = (
        select(Candidate.cell_id, CandidateEvent.happened_on)
        .join(CandidateEvent, CandidateEvent.candidate_id == Candidate.id)
        .where(CandidateEvent.stage == count_by.value, CandidateEvent.happened_on >= start,
               CandidateEvent.happened_on <= end,
               or_(Candidate.dropped_on.is_(None), Candidate.dropped_on >= CandidateEvent.happened_on))
    )
    query = _in_cells(query, Candidate.cell_id, cell_ids, committee_id)
    return [(cell_id, on) for cell_id, on in await session.execute(query)]


async def meetings_between(
    session: AsyncSession, committee_id: int, cell_ids: list[int] | None, start: date, end: date
) -> dict[tuple[int, int], list[tuple[int, int, int, int, bool]]]:
    """(cell id, month) → each meeting's (expected, present, absent excused, absent unexcused,
    committee member attended)."""
    query = select(Meeting.cell_id, Meeting.held_on, Meeting.expected, Meeting.present,
                   Meeting.absent_excused, Meeting.absent_unexcused,
                   Meeting.committee_member_attended).where(
        and_(Meeting.held_on >= start, Meeting.held_on <= end))
    query = _in_cells(query, Meeting.cell_id, cell_ids, committee_id)
    out: dict[tuple[int, int], list[tuple[int, int, int, int, bool]]] = defaultdict(list)
    for cell_id, held_on, expected, present, excused, unexcused, attended in await session.execute(query):
        out[(cell_id, held_on.month)].append((expected, present, excused, unexcused, bool(attended)))
    return out
