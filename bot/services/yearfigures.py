"""A year's figures for the whole ward and each cell, as plain data: the one place /tonghop,
/tiendo and the /baocao workbook read them from.

For a past year the figures are as of 31 December; for the running year up to today, compared
with the same period of last year. Every figure comes from a set-based query for the whole ward
(bot.store.yearfigures), never from one query per cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.domain.cells import CellInfo
from bot.domain.errors import DomainError, NotFound, PermissionDenied
from bot.domain.membership import Movement, movement_from_counts, sum_movements
from bot.domain.quotas import counted_stage, resolve_cell_quota, resolve_ward_quota
from bot.domain.roles import Actor, Role, require_read
from bot.domain.yearfigures import CellYear, Period, WardYear

__all__ = ["CellYear", "Period", "WardYear", "cells_year", "first_report_year", "year_figures"]
from bot.store.committees import WARD, CommitteeInfo, get_committee, list_cells, list_wards
from bot.store.db import Database
from bot.store.status import stage_counts
from bot.store.yearfigures import (
    admitted_counts,
    first_admission_on,
    meetings_between,
    member_movements,
    members_at,
    planned_cell_quotas,
    planned_ward_quota,
    stages_at,
)


async def year_figures(
    db: Database, actor: Actor, *, year: int, today: date, settings: Settings,
    ward_id: int | None = None,
) -> WardYear:
    """The ward's figures for `year`, with a row for every active cell (/tonghop, /baocao): the
    actor's own ward, or for a province user the ward `ward_id` of their province."""
    if actor.role not in (Role.ADMIN, Role.COMMITTEE, Role.PROVINCE):
        raise PermissionDenied(reason="summary_not_for_secretary")
    period = Period.of(year, today)
    async with db.read() as session:
        committee = await ward_of(session, actor, ward_id)
        cells = await list_cells(session, committee.id)
        rows, whole = await _rows(session, committee.id, cells, period, settings, None)
        ward_planned = await planned_ward_quota(session, committee.id, year)
    return WardYear(
        committee_name=committee.name, superior_name=committee.superior_name, period=period,
        admitted=whole.admitted, quota=resolve_ward_quota(ward_planned, committee.superior_name,
                                                          sum(r.quota.value for r in rows)),
        last_year_admitted=whole.last_year_admitted, members_end=whole.members_end,
        members_last_end=whole.members_last_end, movement=whole.movement, cells=tuple(rows),
    )


async def first_report_year(
    db: Database, committee_id: int | None, *, today: date, settings: Settings,
) -> int:
    """The first year a report can be given for: the year of the first recorded admission in the
    user's ward (a province: in any of its wards), or this year before any. Earlier years' member
    lists still show people admitted (their admission dates) while no admission was recorded here,
    so a report would say "chưa kết nạp được đảng viên nào" above "(kết nạp 31)"."""
    count_by = counted_stage(settings.quotas.count_by)
    async with db.read() as session:
        committee = await get_committee(session, committee_id)
        if committee is None:
            return today.year
        wards = ([w.id for w in await list_wards(session) if w.parent_id == committee.id]
                 if committee.kind != WARD else [committee.id])
        firsts = [f for w in wards if (f := await first_admission_on(session, w, count_by)) is not None]
    return min(min(firsts).year, today.year) if firsts else today.year


async def cells_year(
    db: Database, actor: Actor, cell_ids: list[int], *, year: int, today: date, settings: Settings
) -> list[CellYear]:
    """The rows of `cell_ids` only (/tiendo), each of which the actor must be allowed to read."""
    for cell_id in cell_ids:
        require_read(actor, cell_id)
    period = Period.of(year, today)
    async with db.read() as session:
        committee = await ward_of(session, actor, None)
        cells = await list_cells(session, committee.id, only=cell_ids)  # by key, not the whole ward
        rows, _ = await _rows(session, committee.id, cells, period, settings, cell_ids)
    return rows


async def ward_of(session: AsyncSession, actor: Actor, ward_id: int | None) -> CommitteeInfo:
    """The ward whose figures the actor reads: their own; a province user must name one of
    their province's wards (any other id is no ward: NotFound)."""
    if actor.role is Role.PROVINCE:
        ward = await get_committee(session, ward_id) if ward_id is not None else None
        if ward is None or ward.kind != WARD or ward.parent_id != actor.committee_id:
            raise NotFound(entity="committee")
        return ward
    if ward_id is not None:  # another ward's figures are the province's to open, no one else's
        raise PermissionDenied(reason="province_only")
    committee = await get_committee(session, actor.committee_id)
    if committee is None:
        raise DomainError("committee_missing")
    return committee


@dataclass(frozen=True)
class _Totals:
    """Sums over every cell queried, closed cells included (the ward's own figures)."""

    admitted: int
    last_year_admitted: int
    members_end: int
    members_last_end: int
    movement: Movement


async def _rows(
    session: AsyncSession, committee_id: int, cells: list[CellInfo], period: Period,
    settings: Settings, cell_ids: list[int] | None,
) -> tuple[list[CellYear], _Totals]:
    """One set-based query per figure for the cells (`cell_ids`, or the whole ward)."""
    count_by = counted_stage(settings.quotas.count_by)
    only = {"cell_ids": cell_ids}
    admitted = await admitted_counts(session, committee_id, count_by, period.start, period.end, **only)
    last_admitted = await admitted_counts(session, committee_id, count_by, period.last_start,
                                          period.last_end, **only)
    planned = await planned_cell_quotas(session, committee_id, period.year, **only)
    members_end = await members_at(session, committee_id, period.end, **only)
    members_before = await members_at(session, committee_id, date(period.year - 1, 12, 31), **only)
    joins, leaves = await member_movements(session, committee_id, period.start, period.end, **only)
    # The running year's candidates are today's (what stages_at(today) gives, cheaper).
    stages = (await stage_counts(session, [c.id for c in cells]) if period.running
              else await stages_at(session, committee_id, period.end, **only))
    # Only the months already over count as held or due (none yet in January).
    meetings = (await meetings_between(session, committee_id, period.start, period.meetings_until, **only)
                if period.months_due else {})
    none = (0, 0, 0)
    rows = [
        CellYear(
            cell=c, period=period, admitted=admitted.get(c.id, 0),
            quota=resolve_cell_quota(c.kind, c.quota, planned.get(c.id), settings.quotas),
            last_year_admitted=last_admitted.get(c.id, 0),
            members_end=members_end.get(c.id, 0), members_last_end=members_before.get(c.id, 0),
            movement=movement_from_counts(joins.get(c.id, {}), leaves.get(c.id, {})),
            stages=stages.get(c.id, {}),
            meetings_held=meetings.get(c.id, none)[0], meetings_due=period.months_due,
            present=meetings.get(c.id, none)[1], expected=meetings.get(c.id, none)[2],
        )
        for c in cells
    ]
    totals = _Totals(
        admitted=sum(admitted.values()), last_year_admitted=sum(last_admitted.values()),
        members_end=sum(members_end.values()), members_last_end=sum(members_before.values()),
        movement=sum_movements([movement_from_counts(joins.get(c, {}), leaves.get(c, {}))
                                for c in set(joins) | set(leaves)]),
    )
    return rows, totals
