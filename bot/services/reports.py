"""The year's report (`/baocao`, `chibo report`): the ward's figures, each cell's, the candidates
now in the pipeline, the meetings, as one `YearReport`.

The year's figures (admitted, quota and who set it, the same period last year, members and their
change, candidates by stage, meetings held against due) are those of /tonghop and /tiendo, from
`bot.services.yearfigures`; this module adds what only the report shows: the candidates one by
one, meetings by month, admissions by month, committee members' attendance, the funnel.

Permissions: the admin gets the ward (or the cells asked for); a committee member the cells in
their charge; a secretary their cell; anyone else is refused. Every figure comes from a handful of
set-based queries (`bot.store.reports`), so the cost grows with the data, not with the cells.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from bot.config import Settings
from bot.domain.cells import CellInfo, natural_key, resolve_cell
from bot.domain.deadlines import candidate_deadlines
from bot.domain.errors import DomainError, PermissionDenied
from bot.domain.quotas import Progress, QuotaSource, counted_stage
from bot.domain.reports import (
    CandidateLine,
    MeetingFigures,
    MeetingMonth,
    Members,
    StageFunnel,
    YearFigures,
    YearReport,
    median,
)
from bot.domain.roles import Actor, Role
from bot.domain.stages import PIPELINE, Stage
from bot.domain.workdays import WorkCalendar
from bot.domain.yearfigures import CellYear
from bot.services.yearfigures import cells_year, year_figures
from bot.store.committees import WARD, get_committee, list_cells
from bot.store.db import Database
from bot.store.reports import admissions_by_day, current_candidate_steps, meetings_between

FUNNEL_STAGES = tuple(s for s in PIPELINE if s is not Stage.FULL_MEMBER)


def _scope_cells(actor: Actor, cells: list[CellInfo], wanted: list[str] | None) -> tuple[str, list[CellInfo]]:
    """The cells this person may report on, narrowed to `wanted` (names as stored) when given."""
    if actor.role is Role.ADMIN:
        mine, scope = cells, "ward"
    elif actor.role is Role.COMMITTEE:
        mine, scope = [c for c in cells if c.id in actor.cell_ids], "cells"
    elif actor.role is Role.SECRETARY and actor.cell_id is not None:
        mine, scope = [c for c in cells if c.id == actor.cell_id], "cell"
    else:
        raise PermissionDenied(reason="report_not_allowed")
    if wanted:  # names as people type them: "Tổ 16" for "Chi bộ tổ 16"
        by_name = {c.name: c for c in mine}
        picked = []
        for name in wanted:
            stored = resolve_cell(name, by_name)
            if stored is None:
                raise DomainError("report_unknown_cell", name=name)
            picked.append(by_name[stored])
        mine = sorted(set(picked), key=lambda c: c.id)
        scope = "cell" if len(mine) == 1 else "cells"
    if not mine:
        raise PermissionDenied(reason="report_no_cells")
    return scope, mine


Months = dict[int, list[tuple[int, int, int, int, bool]]]  # month → each meeting's figures


def _meeting_figures(row: CellYear, months: Months) -> MeetingFigures:
    """Held, due and attendance as /tiendo counts them; committee attendance over every meeting."""
    every = [m for meetings in months.values() for m in meetings]
    return MeetingFigures(
        held=row.meetings_held, due=row.meetings_due, present=row.present, expected=row.expected,
        committee_attended=sum(1 for m in every if m[4]), meetings=len(every))


def _figures(row: CellYear, months: Months) -> YearFigures:
    return YearFigures(
        name=row.cell.name, progress=row.progress, last_year=row.last_year_admitted,
        members=Members(row.members_end, row.change), stages=dict(row.stages),
        meetings=_meeting_figures(row, months),
        quota_set_by=row.quota.set_by if row.quota.source is QuotaSource.PLAN else "")


def _sum_meetings(parts: list[MeetingFigures], due: int) -> MeetingFigures:
    return MeetingFigures(
        held=sum(p.held for p in parts), due=due,
        present=sum(p.present for p in parts), expected=sum(p.expected for p in parts),
        committee_attended=sum(p.committee_attended for p in parts), meetings=sum(p.meetings for p in parts))


async def year_report(
    db: Database, actor: Actor, *, year: int, today: date, settings: Settings,
    cell_names: list[str] | None = None, calendar: WorkCalendar | None = None,
) -> YearReport:
    """The report of `year` as `actor` may see it, figures as of `today`."""
    calendar = calendar or WorkCalendar()
    count_by = counted_stage(settings.quotas.count_by)
    running = year == today.year
    start, end = date(year, 1, 1), (today if running else date(year, 12, 31))
    last_start = date(year - 1, 1, 1)
    async with db.read() as session:
        committee = await get_committee(session, actor.committee_id)
        if committee is None or committee.kind != WARD:  # a province reads wards in /tonghop
            raise DomainError("committee_missing")
        scope, cells = _scope_cells(actor, await list_cells(session, committee.id), cell_names)
        ids = None if scope == "ward" else [c.id for c in cells]
        admissions = await admissions_by_day(session, committee.id, ids, count_by, last_start, end)
        candidates = await current_candidate_steps(session, committee.id, ids)
        meetings = await meetings_between(session, committee.id, ids, start, end)
    # The figures /tonghop and /tiendo show, from the one place they are computed.
    ward = (await year_figures(db, actor, year=year, today=today, settings=settings)
            if scope == "ward" else None)
    years = list(ward.cells) if ward is not None else await cells_year(
        db, actor, [c.id for c in cells], year=year, today=today, settings=settings)

    names = {c.id: c.name for c in cells}
    monthly, monthly_last = [0] * 12, [0] * 12
    for cell_id, on in admissions:
        if cell_id in names or scope == "ward":  # the ward's counts include cells since closed
            (monthly if on >= start else monthly_last)[on.month - 1] += 1
    days_at: dict[Stage, list[int]] = defaultdict(list)  # current candidates: days at their stage
    lines: list[CandidateLine] = []
    for cell_id, name, stage, steps in candidates.values():
        if cell_id not in names:
            continue
        entered = steps.get(stage) or max(steps.values())
        days = (today - entered).days
        days_at[stage].append(days)
        clocks = candidate_deadlines(stage, steps, settings.rules, calendar)
        nxt = clocks[0] if clocks else None
        lines.append(CandidateLine(
            cell=names[cell_id], name=name, stage=stage, entered=entered, days_in_stage=days,
            next_clock=nxt.clock if nxt else None, next_due=nxt.due if nxt else None,
            overdue=nxt is not None and nxt.due < today))
    by_cell_month: dict[int, dict[int, list[tuple[int, int, int, int, bool]]]] = defaultdict(dict)
    month_rows = []
    for (cell_id, month), held in meetings.items():
        if cell_id not in names:
            continue
        by_cell_month[cell_id][month] = held
        month_rows.append(MeetingMonth(
            cell=names[cell_id], month=month, meetings=len(held), expected=sum(m[0] for m in held),
            present=sum(m[1] for m in held), absent_excused=sum(m[2] for m in held),
            absent_unexcused=sum(m[3] for m in held), committee_attended=sum(1 for m in held if m[4])))
    rows = [_figures(r, by_cell_month[r.cell.id]) for r in years if r.cell.id in names]
    rows.sort(key=lambda r: (not r.progress.behind, -r.progress.missing, natural_key(r.name)))
    total_stages: Counter[Stage] = Counter()
    for r in rows:
        total_stages.update(r.stages)
    meetings_total = _sum_meetings([r.meetings for r in rows], sum(r.meetings.due for r in rows))
    if ward is not None:  # every admission and member of the ward, in cells since closed too
        total = YearFigures(
            name=committee.name, progress=ward.progress, last_year=ward.last_year_admitted,
            members=Members(ward.members_end, ward.change), stages=dict(total_stages),
            meetings=meetings_total,
            quota_set_by=ward.quota.set_by if ward.quota.source is QuotaSource.PLAN else "")
    else:
        total = YearFigures(
            name=", ".join(c.name for c in cells),
            progress=Progress(sum(r.progress.admitted for r in rows), sum(r.progress.quota for r in rows)),
            last_year=sum(r.last_year for r in rows),
            members=Members(sum(r.members.at_end for r in rows if r.members),
                            sum(r.members.change for r in rows if r.members)),
            stages=dict(total_stages), meetings=meetings_total)
    order = {n: natural_key(n) for n in names.values()}
    # Per cell: the quần chúng first (overdue, then longest waiting), then the probationary members
    # (dự bị are no longer quần chúng, #10.5), whose probation clock the ward watches too.
    lines.sort(key=lambda x: (order[x.cell], x.stage is Stage.CEREMONY, not x.overdue, -x.days_in_stage,
                              x.name))
    month_rows.sort(key=lambda m: (order[m.cell], m.month))
    funnel = tuple(StageFunnel(s, len(days_at.get(s, [])), median(days_at.get(s, []))) for s in FUNNEL_STAGES)
    return YearReport(
        committee=committee.name, superior=committee.superior_name, scope=scope, year=year, today=today,
        same_period_until=today if running else None, total=total, cells=tuple(rows),
        candidates=tuple(lines), meetings=tuple(month_rows), monthly=tuple(monthly),
        monthly_last_year=tuple(monthly_last), funnel=funnel)


