"""Use-cases behind /tiendo (a cell's progress) and /tonghop (the ward at a glance).

All figures come from set-based queries (one GROUP BY per question); permissions from the actor.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.config import Settings
from bot.domain.candidates import CandidateInfo
from bot.domain.cells import natural_key
from bot.domain.deadlines import candidate_deadlines
from bot.domain.errors import DomainError, PermissionDenied
from bot.domain.meetings import attendance_window, month_bounds, previous_month
from bot.domain.quotas import Progress, cell_quota, compare_to_last_year, counted_stage
from bot.domain.roles import Actor, Role, require_read
from bot.domain.stages import Stage
from bot.domain.status import (
    CandidateDeadline,
    CellRow,
    CellStatus,
    ProbationaryMember,
    WardSummary,
    is_probationary,
)
from bot.domain.workdays import WorkCalendar, add_months
from bot.store.candidates import list_candidates
from bot.store.committees import get_committee, list_cells
from bot.store.db import Database
from bot.store.meetings import last_meetings
from bot.store.status import (
    admitted_between,
    cells_with_meeting_between,
    committee_attendance,
    count_admitted,
    stage_counts,
    year_quota,
)

DEADLINE_HORIZON_DAYS = 90  # show what falls due within three months (and anything overdue)
MAX_DEADLINES = 6


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def probationary_members(
    candidates: list[CandidateInfo], settings: Settings, calendar: WorkCalendar
) -> list[ProbationaryMember]:
    """The cell's đảng viên dự bị (not dropped), with the end of probation and the review's due
    date, the one whose probation ends first on top."""
    out = []
    for c in candidates:
        ceremony = c.steps.get(Stage.CEREMONY)
        if c.dropped or not is_probationary(c.stage) or ceremony is None:
            continue
        ends = add_months(ceremony.on, settings.rules.probation_months)
        review = calendar.add_working_days(ends, settings.rules.full_membership_review_working_days)
        out.append(ProbationaryMember(c.full_name, ceremony.on, ends, review))
    return sorted(out, key=lambda m: (m.probation_ends, m.name))


def upcoming_deadlines(
    candidates: list[CandidateInfo], settings: Settings, today: date, calendar: WorkCalendar
) -> list[CandidateDeadline]:
    """Quần chúng's clocks due within the horizon or already overdue, soonest first (a
    probationary member's clocks are in `probationary_members`)."""
    horizon = today + timedelta(days=DEADLINE_HORIZON_DAYS)
    found = [
        CandidateDeadline(c.full_name, d)
        for c in candidates if not c.dropped and not is_probationary(c.stage)
        for d in candidate_deadlines(c.stage, {s: r.on for s, r in c.steps.items()},
                                     settings.rules, calendar, c.decision_received_on)
        if d.due <= horizon
    ]
    return sorted(found, key=lambda x: x.deadline.due)


async def cell_statuses(
    db: Database, actor: Actor, *, year: int, today: date, settings: Settings,
    calendar: WorkCalendar | None = None,
) -> list[CellStatus]:
    """/tiendo: the secretary's cell, or each cell in a committee member's charge."""
    calendar = calendar or WorkCalendar()
    start, end = _year_bounds(year)
    async with db.read() as session:
        committee = await get_committee(session)
        if committee is None:
            raise DomainError("committee_missing")
        cells = [c for c in await list_cells(session, committee.id) if actor.can_read_cell(c.id)]
        if actor.role is Role.ADMIN:
            raise PermissionDenied(reason="use_summary")
        ids = [c.id for c in cells]
        admitted = await admitted_between(session, ids, counted_stage(settings.quotas.count_by), start, end)
        stages = await stage_counts(session, ids)
        candidates = await list_candidates(session, ids)
        meetings = await last_meetings(session, ids, today)
    out = []
    for cell in cells:
        mine = [c for c in candidates if c.cell_id == cell.id]
        rows = admitted.get(cell.id, [])
        out.append(CellStatus(
            cell=cell, year=year,
            progress=Progress(len(rows), cell_quota(cell.kind, cell.quota, settings.quotas)),
            admitted=tuple((name, on) for _, name, on in rows),
            stages=stages.get(cell.id, {}), last_meeting=meetings.get(cell.id),
            deadlines=tuple(upcoming_deadlines(mine, settings, today, calendar)[:MAX_DEADLINES]),
            probationary=tuple(probationary_members(mine, settings, calendar)),
        ))
    return out


async def cell_status(
    db: Database, actor: Actor, cell_id: int, *, year: int, today: date, settings: Settings
) -> CellStatus:
    require_read(actor, cell_id)
    for status in await cell_statuses(db, actor, year=year, today=today, settings=settings):
        if status.cell.id == cell_id:
            return status
    raise PermissionDenied(reason="other_cell")


async def ward_summary(
    db: Database, actor: Actor, *, year: int, today: date, settings: Settings
) -> WardSummary:
    """/tonghop: the ward against its quota and last year, cells behind first, gaps in meetings."""
    if actor.role not in (Role.ADMIN, Role.COMMITTEE):
        raise PermissionDenied(reason="summary_not_for_secretary")
    count_by = counted_stage(settings.quotas.count_by)
    start, end = _year_bounds(year)
    running = year == today.year
    if running:  # compare like with like: 1 January to today, this year and last
        end = today
        last_end = today.replace(year=year - 1) if not (today.month == 2 and today.day == 29) \
            else date(year - 1, 2, 28)
    else:
        last_end = date(year - 1, 12, 31)
    month = previous_month(today)
    window_start, window_end, window_key = attendance_window(
        today, settings.rules.committee_attendance_window)
    async with db.read() as session:
        committee = await get_committee(session)
        if committee is None:
            raise DomainError("committee_missing")
        cells = await list_cells(session, committee.id)
        admitted = await admitted_between(session, None, count_by, start, end)
        last_year = await count_admitted(session, committee.id, count_by, date(year - 1, 1, 1), last_end)
        quota = await year_quota(session, committee.id, year)
        met = await cells_with_meeting_between(session, *month_bounds(*month))
        attendance = await committee_attendance(session, committee.id, window_start, window_end)
    rows = [CellRow(c, Progress(len(admitted.get(c.id, [])), cell_quota(c.kind, c.quota, settings.quotas)))
            for c in cells]
    rows.sort(key=lambda r: (not r.progress.behind, -r.progress.missing, natural_key(r.cell.name)))
    # The ward's figure counts every admission, in cells since merged or closed too, exactly as
    # last year's figure does: only the per-cell lines are limited to today's cells.
    total = sum(len(rows) for rows in admitted.values())
    ward_quota = quota if quota is not None else sum(r.progress.quota for r in rows)
    absent: dict[str, list[str]] = {}
    for _, name, _, cell_name, attended in attendance:
        if not attended:
            absent.setdefault(name, []).append(cell_name)
    return WardSummary(
        committee_name=committee.name, year=year, progress=Progress(total, ward_quota),
        last_year_admitted=last_year, vs_last_year=compare_to_last_year(total, last_year),
        same_period_until=today if running else None, rows=tuple(rows),
        missing_meeting_month=month,
        cells_missing_meeting=tuple(c.name for c in cells if c.id not in met),
        committee_window=window_key,
        committee_not_attended=tuple((n, tuple(cs)) for n, cs in absent.items()),
    )
