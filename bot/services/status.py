"""Use-cases behind /tiendo (a cell's progress) and /tonghop (the ward at a glance).

All figures come from set-based queries (one GROUP BY per question); permissions from the actor.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from bot.config import Settings
from bot.domain.candidates import CandidateInfo
from bot.domain.cells import natural_key
from bot.domain.deadlines import candidate_deadlines
from bot.domain.errors import PermissionDenied
from bot.domain.meetings import attendance_window, month_bounds, previous_month
from bot.domain.quotas import counted_stage
from bot.domain.roles import Actor, Role, require_read
from bot.domain.stages import Stage, stage_index
from bot.domain.status import (
    CandidateDeadline,
    CandidateLine,
    CellStatus,
    ProbationaryMember,
    WardNow,
    WardSummary,
    is_probationary,
)
from bot.domain.workdays import WorkCalendar, add_months
from bot.services.yearfigures import cells_year, ward_of, year_figures
from bot.store.candidates import list_candidates
from bot.store.committees import list_cells
from bot.store.db import Database
from bot.store.meetings import last_meetings
from bot.store.status import (
    admitted_between,
    cells_with_meeting_between,
    committee_attendance,
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
    if actor.role in (Role.ADMIN, Role.PROVINCE):
        raise PermissionDenied(reason="use_summary")
    ids = [actor.cell_id] if actor.role is Role.SECRETARY and actor.cell_id is not None \
        else sorted(actor.cell_ids)
    return await _statuses(db, actor, ids, year=year, today=today, settings=settings,
                           calendar=calendar or WorkCalendar())


async def cell_status(
    db: Database, actor: Actor, cell_id: int, *, year: int, today: date, settings: Settings
) -> CellStatus:
    require_read(actor, cell_id)
    for status in await _statuses(db, actor, [cell_id], year=year, today=today, settings=settings,
                                  calendar=WorkCalendar()):
        return status
    raise PermissionDenied(reason="other_cell")


async def _statuses(
    db: Database, actor: Actor, ids: list[int], *, year: int, today: date, settings: Settings,
    calendar: WorkCalendar,
) -> list[CellStatus]:
    """The year's figures for `ids`; for the running year also what is current (the last
    meeting, the clocks coming due), which a past year's report leaves out."""
    figures = await cells_year(db, actor, ids, year=year, today=today, settings=settings)
    start, end = _year_bounds(year)
    running = year == today.year
    async with db.read() as session:
        admitted = await admitted_between(session, ids, counted_stage(settings.quotas.count_by), start, end)
        candidates = await list_candidates(session, ids) if running else []
        meetings = await last_meetings(session, ids, today) if running else {}
    out = []
    for row in figures:
        cell = row.cell
        mine = [c for c in candidates if c.cell_id == cell.id]
        out.append(CellStatus(
            cell=cell, year=year, progress=row.progress,
            admitted=tuple((name, on) for _, name, on in admitted.get(cell.id, [])),
            stages=row.stages, last_meeting=meetings.get(cell.id),
            deadlines=tuple(upcoming_deadlines(mine, settings, today, calendar)[:MAX_DEADLINES]),
            probationary=tuple(probationary_members(mine, settings, calendar)),
            figures=row,
        ))
    return out


async def cell_drilldown(
    db: Database, actor: Actor, cell_id: int, *, year: int, today: date, settings: Settings,
    calendar: WorkCalendar | None = None,
) -> CellStatus:
    """A committee member's (or the admin's) look into one cell: its year, and today each of its
    candidates by stage, how many days in that stage and which clocks are overdue."""
    require_read(actor, cell_id)
    calendar = calendar or WorkCalendar()
    status = await cell_status(db, actor, cell_id, year=year, today=today, settings=settings)
    async with db.read() as session:
        candidates = await list_candidates(session, [cell_id])
    lines = []
    for c in candidates:
        if c.dropped or c.stage is Stage.FULL_MEMBER or is_probationary(c.stage):
            continue  # probationary members have their own section in /tiendo
        step = c.steps.get(c.stage)
        clocks = candidate_deadlines(c.stage, {s: r.on for s, r in c.steps.items()}, settings.rules,
                                     calendar, c.decision_received_on)
        overdue = tuple(d for d in clocks if d.due < today)
        lines.append(CandidateLine(c.full_name, c.stage, (today - step.on).days if step else 0, overdue))
    lines.sort(key=lambda x: (-stage_index(x.stage), -x.days_in_stage, x.name))
    return replace(status, candidates=tuple(lines))


async def ward_summary(
    db: Database, actor: Actor, *, year: int, today: date, settings: Settings,
    ward_id: int | None = None,
) -> WardSummary:
    """/tonghop: the ward's year (bot.services.yearfigures) and, for the running year only, what
    is current: cells without last month's meeting, committee members absent from their cells."""
    if actor.role not in (Role.ADMIN, Role.COMMITTEE, Role.PROVINCE):
        raise PermissionDenied(reason="summary_not_for_secretary")
    async with db.read() as session:
        ward = await ward_of(session, actor, ward_id)  # the province: one of its wards
    figures = await year_figures(db, actor, year=year, today=today, settings=settings, ward_id=ward_id)
    now = await _ward_now(db, ward.id, today, settings) if figures.period.running else None
    return WardSummary(figures, now)


async def _ward_now(db: Database, committee_id: int, today: date, settings: Settings) -> WardNow:
    month = previous_month(today)
    window_start, window_end, window_key = attendance_window(
        today, settings.rules.committee_attendance_window)
    if today.month == window_start.month:  # its first month: nobody could have attended yet,
        window_start, window_end, window_key = attendance_window(  # so judge the one just over
            window_start - timedelta(days=1), settings.rules.committee_attendance_window)
    async with db.read() as session:
        cells = await list_cells(session, committee_id)
        met = await cells_with_meeting_between(session, *month_bounds(*month))
        attendance = await committee_attendance(session, committee_id, window_start, window_end)
    absent: dict[str, list[str]] = {}
    for _, name, _, cell_name, attended in attendance:
        if not attended:
            absent.setdefault(name, []).append(cell_name)
    missing = sorted((c.name for c in cells if c.id not in met), key=natural_key)
    return WardNow(
        missing_meeting_month=month, cells_missing_meeting=tuple(missing),
        committee_window=window_key,
        committee_not_attended=tuple((n, tuple(cs)) for n, cs in absent.items()),
    )
