"""Deciding reminders: load the ward's facts with set-based queries, let the domain rules decide,
and write what is due into the outbox (idempotent by its unique key). Nothing here sends.

`run_due_sweeps` is what the schedule calls: it sweeps every scheduled date since the last run
(so a bot that was down catches up), records the run, and is safe to call again at any time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.config import Settings, parse_hhmm
from bot.domain.candidates import StepRecord, decision_received
from bot.domain.meetings import attendance_window, month_bounds, previous_month
from bot.domain.quotas import counted_stage, resolve_cell_quota
from bot.domain.reminders import (
    RULE_SWITCH,
    AbsenceFacts,
    AttendanceFacts,
    CandidateFacts,
    CellFacts,
    Reminder,
    WardFacts,
    decide,
    next_allowed,
)
from bot.domain.stages import Stage
from bot.domain.status import is_probationary
from bot.domain.workdays import WorkCalendar
from bot.store.candidates import current_step_dates
from bot.store.committees import get_committee, list_cells, list_wards
from bot.store.db import Database
from bot.store.jobruns import get_last_due, mark_run
from bot.store.outbox import Recipient, enqueue, get_recipients
from bot.store.recipients import (
    admin_ids,
    committee_by_cell,
    secretaries_by_cell,
    unexcused_absences_named,
    unreachable_users,
)
from bot.store.status import admitted_between, cells_with_meeting_between, committee_attendance, stage_counts
from bot.store.yearfigures import planned_cell_quotas

SWEEP_JOB = "daily_sweep"
MAX_CATCH_UP_DAYS = 31  # after a month down, older occasions are history, not reminders


@dataclass(frozen=True)
class PlannedReminder:
    reminder: Reminder
    recipient: Recipient | None
    due_at: datetime  # UTC
    skipped: str = ""  # "muted", "inactive", "unreachable" when it will not be queued


@dataclass(frozen=True)
class SweepResult:
    as_of: date
    planned: tuple[PlannedReminder, ...]
    queued: int  # new outbox rows (0 on a dry run or a repeated sweep)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a ward's facts are built: they are tens of thousands of
    small objects and no cycles, and the collector kept re-scanning them as they piled up (a third
    of the sweep at scale 100). Back on, as it was, at the end, whatever happens."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


async def load_facts(
    db: Database, settings: Settings, as_of: date, committee_id: int | None = None
) -> WardFacts | None:
    """Everything the rules need on `as_of` for one ward (`committee_id`, else the only one), in
    a fixed number of queries: its cells, and its own people (admins of another ward hear nothing)."""
    with _collector_paused():
        return await _load_facts(db, settings, as_of, committee_id)


async def _load_facts(
    db: Database, settings: Settings, as_of: date, committee_id: int | None
) -> WardFacts | None:
    count_by = counted_stage(settings.quotas.count_by)
    year_start = date(as_of.year, 1, 1)
    window_start, _, _ = attendance_window(as_of, settings.rules.committee_attendance_window)
    async with db.read() as session:
        committee = await get_committee(session, committee_id)
        if committee is None:
            return None
        only_ward = len(await list_wards(session)) == 1
        cells = await list_cells(session, committee.id)
        ids = [c.id for c in cells]
        admitted = await admitted_between(session, ids, count_by, year_start, as_of)
        stages = await stage_counts(session, ids)
        met = await cells_with_meeting_between(session, *month_bounds(*previous_month(as_of)))
        secretaries = await secretaries_by_cell(session)
        committee_members = await committee_by_cell(session)
        attendance = await committee_attendance(session, committee.id, window_start, as_of)
        absences = await unexcused_absences_named(session, year_start, as_of, committee.id)
        candidates = await current_step_dates(session, ids, details_of={Stage.DECISION})
        admins = await admin_ids(session, committee.id, only_ward=only_ward)
        unreachable = await unreachable_users(session, committee.id, only_ward=only_ward)
        planned = await planned_cell_quotas(session, committee.id, as_of.year)
    return WardFacts(
        cells=tuple(
            CellFacts(
                id=c.id, name=c.name,
                quota=resolve_cell_quota(c.kind, c.quota, planned.get(c.id), settings.quotas).value,
                admitted=len(admitted.get(c.id, [])),
                awaiting_decision=stages.get(c.id, {}).get(Stage.WARD_RESOLUTION, 0),
                in_pipeline=sum(n for s, n in stages.get(c.id, {}).items() if not is_probationary(s)),
                met_last_month=c.id in met,
                secretaries=secretaries.get(c.id, ()), committee=committee_members.get(c.id, ()),
            ) for c in cells),
        attendance=tuple(AttendanceFacts(u, n, c, cn, a) for u, n, c, cn, a in attendance),
        absences=tuple(AbsenceFacts(m, n, c, k) for m, n, c, k in absences),
        candidates=tuple(
            CandidateFacts(i, name, cell, stage, dates,
                           decision_received({s: StepRecord(dates[s], d) for s, d in details.items()}))
            for i, name, cell, stage, dates, details in candidates),
        admins=admins, unreachable=unreachable,
    )


def scheduled_moment(d: date, settings: Settings) -> datetime:
    """When the sweep of date `d` is due, in UTC."""
    at = parse_hhmm(settings.reminders.sweep_time) or time(8, 0)
    return datetime.combine(d, at, tzinfo=settings.tz).astimezone(UTC)


def quiet_span(recipient: Recipient, settings: Settings) -> tuple[time, time]:
    """The recipient's own quiet hours, else the configured ones."""
    r = settings.reminders
    start = parse_hhmm(recipient.quiet_start or r.quiet_start) or time(21, 0)
    end = parse_hhmm(recipient.quiet_end or r.quiet_end) or time(7, 0)
    return start, end


def delivery_time(earliest: datetime, recipient: Recipient, settings: Settings) -> datetime:
    """The first moment at or after `earliest` outside the recipient's quiet hours and snooze."""
    start, end = quiet_span(recipient, settings)
    if recipient.snoozed_until is not None and recipient.snoozed_until > earliest:
        earliest = recipient.snoozed_until
    return next_allowed(earliest.astimezone(settings.tz), start, end).astimezone(UTC)


def _skip_reason(reminder: Reminder, recipient: Recipient | None) -> str:
    if recipient is None or not recipient.active:
        return "inactive"
    if recipient.unreachable:
        return "unreachable"
    if reminder.rule.value in recipient.muted_rules:
        return "muted"
    return ""


def enabled(reminder: Reminder, settings: Settings) -> bool:
    switch = RULE_SWITCH[reminder.rule]
    return bool(getattr(settings.reminders, switch))


async def sweep(
    db: Database, settings: Settings, *, as_of: date, now: datetime, dry_run: bool = False,
    calendar: WorkCalendar | None = None, group: str | None = None,
) -> SweepResult:
    """Decide the reminders of `as_of` and queue them (unless `dry_run`).

    `group` names the message the reminders go out in, per person: by default the sweep's date;
    a catch-up over several dates passes one group so each person gets one message, not seven.
    """
    with _collector_paused():  # the facts, the decisions and the plan: many objects, no cycles
        if not settings.reminders.enabled:
            return SweepResult(as_of, (), 0)
        async with db.read() as session:
            wards = await list_wards(session)
        decided = []
        for ward in wards:  # each ward's rules over its own cells, to its own people
            facts = await load_facts(db, settings, as_of, ward.id)
            if facts is not None:
                decided += [r for r in decide(facts, as_of, settings.reminders, settings.rules,
                                              calendar or WorkCalendar()) if enabled(r, settings)]
        async with db.read() as session:
            recipients = await get_recipients(session, sorted({r.recipient for r in decided}))
        earliest = max(now, scheduled_moment(as_of, settings))
        planned = []
        for r in decided:
            who = recipients.get(r.recipient)
            due = delivery_time(earliest, who, settings) if who else earliest
            planned.append(PlannedReminder(r, who, due, _skip_reason(r, who)))
        planned.sort(key=lambda p: (p.recipient.display_name if p.recipient else "", p.reminder.rule.value))
    queued = 0
    if not dry_run:
        rows = [{"rule": p.reminder.rule.value, "subject": p.reminder.subject, "period": p.reminder.period,
                 "recipient_user_id": p.reminder.recipient, "payload": p.reminder.facts, "due_at": p.due_at,
                 "message_group": group or f"sweep:{as_of.isoformat()}", "created_at": now, "attempts": 0,
                 "last_error": ""}
                for p in planned if not p.skipped]
        async with db.write() as session:
            queued = await enqueue(session, rows)
    return SweepResult(as_of, tuple(planned), queued)


def due_dates(last_due: datetime | None, now: datetime, settings: Settings) -> list[date]:
    """Scheduled sweep dates not yet swept, oldest first (only the latest on a first run)."""
    today = now.astimezone(settings.tz).date()
    latest = today if scheduled_moment(today, settings) <= now else today - timedelta(days=1)
    if last_due is None:
        return [latest]
    first = max(last_due.astimezone(settings.tz).date() + timedelta(days=1),
                latest - timedelta(days=MAX_CATCH_UP_DAYS - 1))
    return [first + timedelta(days=i) for i in range((latest - first).days + 1)]


async def run_due_sweeps(db: Database, settings: Settings, now: datetime) -> list[SweepResult]:
    """Sweep every scheduled date since the last recorded run; record the run."""
    async with db.read() as session:
        last_due = await get_last_due(session, SWEEP_JOB)
    results = []
    dates = due_dates(last_due, now, settings)
    group = f"sweep:{dates[-1].isoformat()}" if dates else None  # one message per person per run
    for d in dates:
        results.append(await sweep(db, settings, as_of=d, now=now, group=group))
        async with db.write() as session:
            await mark_run(session, SWEEP_JOB, due_at=scheduled_moment(d, settings), finished_at=now)
    return results
