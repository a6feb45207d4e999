"""Set-based queries behind a year's figures (bot.services.yearfigures): members at a date and who
came and went, quotas per cell and year, candidates by stage at a date, meetings held. One GROUP BY
per question, for the whole ward at once: never one query per cell."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.membership import JoinKind
from bot.domain.stages import PIPELINE, Stage
from bot.store.models import Candidate, CandidateEvent, Cell, CellQuota, Meeting, Member, YearQuota


def _joined_on() -> ColumnElement[date]:
    """When the member came into the cell: the join date, else the admission date (null: always)."""
    return func.coalesce(Member.joined_on, Member.admitted_on)


def _in_ward(committee_id: int, cell_ids: list[int] | None = None) -> ColumnElement[bool]:
    """The ward's cells, or only `cell_ids` of them (one cell's /tiendo needs no ward-wide scan)."""
    if cell_ids is None:
        return Cell.committee_id == committee_id
    return and_(Cell.committee_id == committee_id, Cell.id.in_(cell_ids))


async def members_at(
    session: AsyncSession, committee_id: int, day: date, *, cell_ids: list[int] | None = None
) -> dict[int, int]:
    """Members per cell at the end of `day` (joined by then, not yet left)."""
    joined = _joined_on()
    rows = await session.execute(
        select(Member.cell_id, func.count())
        .join(Cell, Cell.id == Member.cell_id)
        .where(_in_ward(committee_id, cell_ids), or_(joined.is_(None), joined <= day),
               or_(Member.left_on.is_(None), Member.left_on > day))
        .group_by(Member.cell_id)
    )
    return {cell_id: int(n) for cell_id, n in rows}


async def member_movements(
    session: AsyncSession, committee_id: int, start: date, end: date, *, cell_ids: list[int] | None = None
) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """Per cell, who joined in [start, end] by JoinKind and who left by LeaveKind."""
    joined = _joined_on()
    # A member listed without a join date but admitted in the period was admitted then.
    how = case((Member.joined_on.is_(None), JoinKind.ADMITTED.value), else_=Member.joined_how)
    came = await session.execute(
        select(Member.cell_id, how, func.count())
        .join(Cell, Cell.id == Member.cell_id)
        .where(_in_ward(committee_id, cell_ids), joined >= start, joined <= end)
        .group_by(Member.cell_id, how)
    )
    went = await session.execute(
        select(Member.cell_id, Member.left_how, func.count())
        .join(Cell, Cell.id == Member.cell_id)
        .where(_in_ward(committee_id, cell_ids), Member.left_on >= start, Member.left_on <= end)
        .group_by(Member.cell_id, Member.left_how)
    )
    joins: dict[int, dict[str, int]] = defaultdict(dict)
    leaves: dict[int, dict[str, int]] = defaultdict(dict)
    for cell_id, kind, n in came:
        joins[cell_id][kind or ""] = int(n)
    for cell_id, kind, n in went:
        leaves[cell_id][kind or ""] = int(n)
    return joins, leaves


async def planned_cell_quotas(
    session: AsyncSession, committee_id: int, year: int, *, cell_ids: list[int] | None = None
) -> dict[int, tuple[int, str]]:
    """Per cell: (quota, who set it) planned for `year`."""
    rows = await session.execute(
        select(CellQuota.cell_id, CellQuota.quota, CellQuota.set_by)
        .join(Cell, Cell.id == CellQuota.cell_id)
        .where(_in_ward(committee_id, cell_ids), CellQuota.year == year)
    )
    return {cell_id: (int(q), s) for cell_id, q, s in rows}


async def planned_ward_quota(
    session: AsyncSession, committee_id: int, year: int
) -> tuple[int, str] | None:
    row = (await session.execute(
        select(YearQuota.quota, YearQuota.set_by)
        .where(YearQuota.committee_id == committee_id, YearQuota.year == year)
    )).first()
    return (int(row[0]), row[1] or "") if row else None


async def admitted_counts(
    session: AsyncSession, committee_id: int, count_by: Stage, start: date, end: date, *,
    cell_ids: list[int] | None = None,
) -> dict[int, int]:
    """Admissions per cell whose `count_by` step falls in [start, end] (drop-outs after it still count)."""
    rows = await session.execute(
        select(Candidate.cell_id, func.count())
        .join(CandidateEvent, CandidateEvent.candidate_id == Candidate.id)
        .join(Cell, Cell.id == Candidate.cell_id)
        .where(_in_ward(committee_id, cell_ids), CandidateEvent.stage == count_by.value,
               CandidateEvent.happened_on >= start, CandidateEvent.happened_on <= end,
               or_(Candidate.dropped_on.is_(None), Candidate.dropped_on >= CandidateEvent.happened_on))
        .group_by(Candidate.cell_id)
    )
    return {cell_id: int(n) for cell_id, n in rows}


async def first_admission_on(session: AsyncSession, committee_id: int, count_by: Stage) -> date | None:
    """The earliest `count_by` step recorded in the ward (None: no admission recorded yet)."""
    return await session.scalar(
        select(func.min(CandidateEvent.happened_on))
        .join(Candidate, Candidate.id == CandidateEvent.candidate_id)
        .join(Cell, Cell.id == Candidate.cell_id)
        .where(_in_ward(committee_id), CandidateEvent.stage == count_by.value)
    )


async def stages_at(
    session: AsyncSession, committee_id: int, day: date, *, cell_ids: list[int] | None = None
) -> dict[int, dict[Stage, int]]:
    """Candidates per cell and the stage they had reached by `day` (not dropped by then, not yet
    full members): each candidate's latest step up to that day, later stages first on a tie."""
    rank = case({s.value: i for i, s in enumerate(PIPELINE)}, value=CandidateEvent.stage, else_=-1)
    latest = (
        select(CandidateEvent.candidate_id, CandidateEvent.stage,
               func.row_number().over(partition_by=CandidateEvent.candidate_id,
                                      order_by=(CandidateEvent.happened_on.desc(), rank.desc()))
               .label("n"))
        .where(CandidateEvent.happened_on <= day)
        .subquery()
    )
    rows = await session.execute(
        select(Candidate.cell_id, latest.c.stage, func.count())
        .join(latest, and_(latest.c.candidate_id == Candidate.id, latest.c.n == 1))
        .join(Cell, Cell.id == Candidate.cell_id)
        .where(_in_ward(committee_id, cell_ids),
               or_(Candidate.dropped_on.is_(None), Candidate.dropped_on > day),
               latest.c.stage != Stage.FULL_MEMBER.value)
        .group_by(Candidate.cell_id, latest.c.stage)
    )
    out: dict[int, dict[Stage, int]] = defaultdict(dict)
    for cell_id, stage, n in rows:
        out[cell_id][Stage(stage)] = int(n)
    return out


async def meetings_between(
    session: AsyncSession, committee_id: int, start: date, end: date, *, cell_ids: list[int] | None = None
) -> dict[int, tuple[int, int, int]]:
    """Per cell: (months with a meeting, members present, members expected) in [start, end]."""
    month = func.extract("month", Meeting.held_on)
    rows = await session.execute(
        select(Meeting.cell_id, func.count(func.distinct(month)), func.sum(Meeting.present),
               func.sum(Meeting.expected))
        .join(Cell, Cell.id == Meeting.cell_id)
        .where(_in_ward(committee_id, cell_ids), Meeting.held_on >= start, Meeting.held_on <= end)
        .group_by(Meeting.cell_id)
    )
    return {cell_id: (int(m), int(p or 0), int(e or 0)) for cell_id, m, p, e in rows}
