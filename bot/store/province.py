"""Set-based queries over every ward of a province at once (the province's /tonghop): one GROUP
BY per figure, by ward, whatever the number of wards and cells. Session first; never commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.stages import Stage
from bot.store.models import Candidate, CandidateEvent, Cell, CellQuota, Committee, Member, YearQuota


def _in_province(province_id: int) -> ColumnElement[bool]:
    return Cell.committee_id.in_(select(Committee.id).where(Committee.parent_id == province_id))


async def admitted_by_ward(
    session: AsyncSession, province_id: int, count_by: Stage, start: date, end: date
) -> dict[int, int]:
    """Admissions per ward whose `count_by` step falls in [start, end] (as bot.store.yearfigures
    counts them per cell: drop-outs after the step still count)."""
    rows = await session.execute(
        select(Cell.committee_id, func.count())
        .select_from(Candidate)
        .join(CandidateEvent, CandidateEvent.candidate_id == Candidate.id)
        .join(Cell, Cell.id == Candidate.cell_id)
        .where(_in_province(province_id), CandidateEvent.stage == count_by.value,
               CandidateEvent.happened_on >= start, CandidateEvent.happened_on <= end,
               or_(Candidate.dropped_on.is_(None), Candidate.dropped_on >= CandidateEvent.happened_on))
        .group_by(Cell.committee_id)
    )
    return {ward_id: int(n) for ward_id, n in rows}


async def members_by_ward(session: AsyncSession, province_id: int, day: date) -> dict[int, int]:
    """Members per ward at the end of `day` (joined by then, not yet left)."""
    joined = func.coalesce(Member.joined_on, Member.admitted_on)
    rows = await session.execute(
        select(Cell.committee_id, func.count())
        .select_from(Member)
        .join(Cell, Cell.id == Member.cell_id)
        .where(_in_province(province_id), or_(joined.is_(None), joined <= day),
               or_(Member.left_on.is_(None), Member.left_on > day))
        .group_by(Cell.committee_id)
    )
    return {ward_id: int(n) for ward_id, n in rows}


async def ward_quotas(session: AsyncSession, province_id: int, year: int) -> dict[int, tuple[int, str]]:
    """Per ward: (quota, who set it) the province set for `year`."""
    rows = await session.execute(
        select(YearQuota.committee_id, YearQuota.quota, YearQuota.set_by)
        .join(Committee, Committee.id == YearQuota.committee_id)
        .where(Committee.parent_id == province_id, YearQuota.year == year)
    )
    return {ward_id: (int(q), s or "") for ward_id, q, s in rows}


async def cell_quota_facts(
    session: AsyncSession, province_id: int, year: int
) -> list[tuple[int, str, int | None, tuple[int, str] | None]]:
    """Every active cell of the province: (ward id, kind, standing quota, the year's plan), for a
    ward without its own quota, whose quota is then the sum of its cells'."""
    rows = await session.execute(
        select(Cell.committee_id, Cell.kind, Cell.quota, CellQuota.quota, CellQuota.set_by)
        .outerjoin(CellQuota, (CellQuota.cell_id == Cell.id) & (CellQuota.year == year))
        .where(_in_province(province_id), Cell.active)
    )
    return [(w, k, q, (int(p), s or "") if p is not None else None) for w, k, q, p, s in rows]
