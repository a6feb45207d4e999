"""Which reminders are due on a date, for whom, and when they may be delivered. Pure: the sweep
loads the facts with a few set-based queries, these functions decide, the outbox deduplicates.

Every reminder has a key (rule, subject, period, recipient). The period is chosen so that a
reminder is decided once per occasion however many times a sweep runs: "2026-10" for last
month's missing meeting, "2026-Q4" for a committee member's attendance, the due date for the
monthly quota push, a fixed word for a one-off clock ("probation").
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from bot.domain.deadlines import ClockRules, ceremony_clock, decision_clock
from bot.domain.meetings import attendance_window, previous_month
from bot.domain.stages import Stage
from bot.domain.workdays import WorkCalendar, add_months


class Rule(enum.StrEnum):
    QUOTA_PACE = "quota_pace"  # a cell below its quota (secretary, committee member)
    MEETING_MISSING = "meeting_missing"  # last month's meeting not reported (secretary)
    MEETING_ESCALATED = "meeting_escalated"  # … still missing later (committee member)
    COMMITTEE_ABSENT = "committee_absent"  # committee member absent from a cell all window
    MEMBER_ABSENCES = "member_absences"  # a member's unexcused absences this year (secretary)
    CEREMONY_DUE = "ceremony_due"  # decision received, no ceremony yet (warned, then overdue)
    PROBATION_ENDING = "probation_ending"  # prepare the full-membership review
    REVIEW_OVERDUE = "review_overdue"  # full-membership review late
    DECISION_OVERDUE = "decision_overdue"  # superior decision late after the cell vote (admin)
    CERTIFICATE_EXPIRING = "certificate_expiring"  # awareness certificate running out
    DOSSIER_STALE = "dossier_stale"  # dossier too old without a cell vote
    DIGEST_QUOTA = "digest_quota"  # admin: every cell behind
    DIGEST_MEETINGS = "digest_meetings"  # admin: cells still without last month's report
    DIGEST_COMMITTEE = "digest_committee"  # admin: committee members absent this window
    DIGEST_UNREACHABLE = "digest_unreachable"  # admin: a user blocked the bot


# The switch in [reminders] that turns each rule on or off.
RULE_SWITCH: dict[Rule, str] = {
    Rule.QUOTA_PACE: "quota_pace", Rule.DIGEST_QUOTA: "quota_pace",
    Rule.MEETING_MISSING: "meeting_missing", Rule.MEETING_ESCALATED: "meeting_missing",
    Rule.DIGEST_MEETINGS: "meeting_missing",
    Rule.COMMITTEE_ABSENT: "committee_attendance", Rule.DIGEST_COMMITTEE: "committee_attendance",
    Rule.MEMBER_ABSENCES: "member_absences",
    Rule.CEREMONY_DUE: "admission_clocks", Rule.PROBATION_ENDING: "admission_clocks",
    Rule.REVIEW_OVERDUE: "admission_clocks", Rule.DECISION_OVERDUE: "admission_clocks",
    Rule.CERTIFICATE_EXPIRING: "admission_clocks", Rule.DOSSIER_STALE: "admission_clocks",
    Rule.DIGEST_UNREACHABLE: "enabled",
}


class ReminderParams(Protocol):
    quota_pace: bool
    quota_from_month: int
    quota_day_of_month: int
    meeting_missing: bool
    meeting_missing_day: int
    meeting_escalate_after_days: int
    committee_attendance: bool
    member_absences: bool
    admission_clocks: bool
    ceremony_warn_working_days: int
    probation_warn_days: int
    certificate_warn_days: int


class Rules(ClockRules, Protocol):
    absence_warning: int
    absence_removal: int
    committee_attendance_window: str


@dataclass(frozen=True)
class Reminder:
    rule: Rule
    subject: str  # "cell:12", "candidate:7", "member:40", "user:3", "ward"
    period: str
    recipient: int  # user id
    facts: dict[str, Any] = field(default_factory=dict)  # JSON-friendly, for the text


@dataclass(frozen=True)
class CellFacts:
    id: int
    name: str
    quota: int
    admitted: int
    awaiting_decision: int
    in_pipeline: int
    met_last_month: bool
    secretaries: tuple[int, ...]
    committee: tuple[int, ...]


@dataclass(frozen=True)
class AttendanceFacts:
    user_id: int
    user_name: str
    cell_id: int
    cell_name: str
    attended: bool


@dataclass(frozen=True)
class AbsenceFacts:
    member_id: int
    member_name: str
    cell_id: int
    unexcused: int


@dataclass(frozen=True)
class CandidateFacts:
    id: int
    name: str
    cell_id: int
    stage: Stage
    events: dict[Stage, date]
    decision_received: date | None = None  # when the cell received the decision, if recorded


@dataclass(frozen=True)
class WardFacts:
    cells: tuple[CellFacts, ...]
    attendance: tuple[AttendanceFacts, ...]
    absences: tuple[AbsenceFacts, ...]
    candidates: tuple[CandidateFacts, ...]
    admins: tuple[int, ...]
    unreachable: tuple[tuple[int, str, date], ...]  # (user id, name, since) of users who blocked the bot


# --- calendars of the rules ----------------------------------------------------------------------
def quota_push_due(d: date, params: ReminderParams) -> bool:
    """Monthly from the configured month, and every Monday in December when time runs out."""
    if not params.quota_pace or d.month < params.quota_from_month:
        return False
    return d.day == params.quota_day_of_month or (d.month == 12 and d.weekday() == 0)


LAST_WEEK_STARTS = 22  # a one-month window is judged in its last days, not on its first


def committee_check_due(d: date, window: str) -> bool:
    """In the window's last month (for a one-month window, its last days): early enough to still
    attend, late enough to mean it."""
    _, end, _ = attendance_window(d, window)
    if window == "month":
        return d.day >= LAST_WEEK_STARTS
    return d.month == end.month


# --- quiet hours ---------------------------------------------------------------------------------
def in_quiet_hours(moment: time, start: time, end: time) -> bool:
    """Quiet from `start` (inclusive) to `end` (exclusive); the span may wrap past midnight."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def next_allowed(local: datetime, start: time, end: time) -> datetime:
    """`local` itself when pushes are allowed then, else the end of the quiet span (same tz)."""
    if not in_quiet_hours(local.time(), start, end):
        return local
    candidate = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += timedelta(days=1)
    return candidate


# --- the rules -----------------------------------------------------------------------------------
def _to(recipients: Iterable[int], rule: Rule, subject: str, period: str,
        facts: dict[str, Any]) -> list[Reminder]:
    return [Reminder(rule, subject, period, r, facts) for r in dict.fromkeys(recipients)]


def quota_reminders(facts: WardFacts, d: date, params: ReminderParams) -> list[Reminder]:
    if not quota_push_due(d, params):
        return []
    out: list[Reminder] = []
    behind = [c for c in facts.cells if c.admitted < c.quota]
    for c in behind:
        info = {"cell": c.name, "quota": c.quota, "admitted": c.admitted,
                "awaiting": c.awaiting_decision, "in_pipeline": c.in_pipeline, "year": d.year}
        out += _to([*c.secretaries, *c.committee], Rule.QUOTA_PACE, f"cell:{c.id}", d.isoformat(), info)
    if behind:
        cells = [[c.name, c.admitted, c.quota] for c in behind]
        out += _to(facts.admins, Rule.DIGEST_QUOTA, "ward", d.isoformat(),
                   {"cells": cells, "year": d.year, "total": len(facts.cells)})
    return out


def meeting_reminders(facts: WardFacts, d: date, params: ReminderParams) -> list[Reminder]:
    if not params.meeting_missing or d.day < params.meeting_missing_day:
        return []
    year, month = previous_month(d)
    period = f"{year}-{month:02d}"
    escalate = d.day >= params.meeting_missing_day + params.meeting_escalate_after_days
    out: list[Reminder] = []
    missing = [c for c in facts.cells if not c.met_last_month]
    for c in missing:
        info = {"cell": c.name, "month": month, "year": year}
        out += _to(c.secretaries, Rule.MEETING_MISSING, f"cell:{c.id}", period, info)
        if escalate:
            out += _to(c.committee, Rule.MEETING_ESCALATED, f"cell:{c.id}", period, info)
    if escalate and missing:
        out += _to(facts.admins, Rule.DIGEST_MEETINGS, "ward", period,
                   {"cells": [c.name for c in missing], "month": month, "year": year})
    return out


def committee_reminders(facts: WardFacts, d: date, params: ReminderParams, window: str) -> list[Reminder]:
    if not params.committee_attendance or not committee_check_due(d, window):
        return []
    _, end, key = attendance_window(d, window)
    absent = [a for a in facts.attendance if not a.attended]
    out: list[Reminder] = []
    for a in absent:
        out += _to([a.user_id], Rule.COMMITTEE_ABSENT, f"cell:{a.cell_id}", key,
                   {"cell": a.cell_name, "window": key, "until": end.isoformat()})
    if absent:
        by_person: dict[str, list[str]] = {}
        for a in absent:
            by_person.setdefault(a.user_name, []).append(a.cell_name)
        out += _to(facts.admins, Rule.DIGEST_COMMITTEE, "ward", key,
                   {"people": [[n, cs] for n, cs in by_person.items()], "window": key})
    return out


def absence_reminders(facts: WardFacts, d: date, params: ReminderParams, rules: Rules) -> list[Reminder]:
    if not params.member_absences:
        return []
    secretaries = {c.id: c.secretaries for c in facts.cells}
    names = {c.id: c.name for c in facts.cells}
    out: list[Reminder] = []
    for a in facts.absences:
        if a.unexcused < rules.absence_warning:
            continue
        level = min(a.unexcused, rules.absence_removal)  # 2 warns, 3 says "consider removal"; no more
        info = {"member": a.member_name, "cell": names.get(a.cell_id, ""), "count": a.unexcused,
                "removal": level >= rules.absence_removal, "year": d.year}
        out += _to(secretaries.get(a.cell_id, ()), Rule.MEMBER_ABSENCES, f"member:{a.member_id}",
                   f"{d.year}:{level}", info)
    return out


def _ceremony_reminders(
    cand: CandidateFacts, cell: CellFacts, d: date, params: ReminderParams, rules: Rules,
    calendar: WorkCalendar,
) -> list[Reminder]:
    """A warning once the decision has waited `ceremony_warn_working_days`, and once more, worded
    as overdue, when the 30 working days from its receipt have passed (a late ceremony needs the
    superior committee's opinion)."""
    clock = ceremony_clock(cand.stage, cand.events, rules, calendar, cand.decision_received)
    if clock is None:
        return []
    base = {"candidate": cand.name, "cell": cell.name, "due": clock.due.isoformat(),
            "received": clock.started.isoformat()}
    to = [*cell.secretaries, *cell.committee]
    subject = f"candidate:{cand.id}"
    if d > clock.due:
        return _to(to, Rule.CEREMONY_DUE, subject, f"ceremony_overdue:{clock.due.isoformat()}",
                   base | {"overdue": True})
    if calendar.working_days_between(clock.started, d) >= params.ceremony_warn_working_days:
        signed = cand.events[Stage.DECISION]
        return _to(to, Rule.CEREMONY_DUE, subject, f"decision:{signed.isoformat()}", base)
    return []


def _decision_reminders(
    cand: CandidateFacts, cell: CellFacts, admins: tuple[int, ...], d: date, rules: Rules,
    calendar: WorkCalendar,
) -> list[Reminder]:
    """The superior committee's decision is late: 60 working days since the cell resolution."""
    clock = decision_clock(cand.stage, cand.events, rules, calendar)
    if clock is None or d <= clock.due:
        return []
    period = f"cell_vote:{clock.started.isoformat()}"
    return _to(admins, Rule.DECISION_OVERDUE, f"candidate:{cand.id}", period,
               {"candidate": cand.name, "cell": cell.name, "due": clock.due.isoformat(),
                "since": clock.started.isoformat(), "overdue": True})


def clock_reminders(
    facts: WardFacts, d: date, params: ReminderParams, rules: Rules, calendar: WorkCalendar
) -> list[Reminder]:
    if not params.admission_clocks:
        return []
    cells = {c.id: c for c in facts.cells}
    out: list[Reminder] = []
    for cand in facts.candidates:
        cell = cells.get(cand.cell_id)
        if cell is None:
            continue
        base = {"candidate": cand.name, "cell": cell.name}
        subject = f"candidate:{cand.id}"
        ev = cand.events
        out += _ceremony_reminders(cand, cell, d, params, rules, calendar)
        if cand.stage is Stage.CEREMONY and Stage.CEREMONY in ev:
            ends = add_months(ev[Stage.CEREMONY], rules.probation_months)
            review_due = calendar.add_working_days(ends, rules.full_membership_review_working_days)
            if 0 <= (ends - d).days <= params.probation_warn_days:
                out += _to(cell.secretaries, Rule.PROBATION_ENDING, subject, f"probation:{ends.isoformat()}",
                           base | {"ends": ends.isoformat(), "review_due": review_due.isoformat()})
            if d > review_due:
                out += _to([*cell.secretaries, *cell.committee], Rule.REVIEW_OVERDUE, subject,
                           f"review:{review_due.isoformat()}", base | {"due": review_due.isoformat()})
        out += _decision_reminders(cand, cell, facts.admins, d, rules, calendar)
        if cand.stage in (Stage.COURSE, Stage.DOSSIER, Stage.INTRODUCED) and Stage.COURSE in ev:
            expires = add_months(ev[Stage.COURSE], rules.certificate_valid_months)
            if d > expires:  # said again, as overdue, once it has run out
                out += _to(cell.secretaries, Rule.CERTIFICATE_EXPIRING, subject,
                           f"certificate_expired:{expires.isoformat()}",
                           base | {"expires": expires.isoformat(), "overdue": True})
            elif (expires - d).days <= params.certificate_warn_days:
                out += _to(cell.secretaries, Rule.CERTIFICATE_EXPIRING, subject,
                           f"certificate:{expires.isoformat()}", base | {"expires": expires.isoformat()})
        if cand.stage in (Stage.DOSSIER, Stage.INTRODUCED) and Stage.DOSSIER in ev:
            stale = add_months(ev[Stage.DOSSIER], rules.dossier_max_age_months)
            if d >= stale:
                out += _to(cell.secretaries, Rule.DOSSIER_STALE, subject, f"dossier:{stale.isoformat()}",
                           base | {"since": ev[Stage.DOSSIER].isoformat()})
    return out


def unreachable_reminders(facts: WardFacts) -> list[Reminder]:
    out: list[Reminder] = []
    for user_id, name, since in facts.unreachable:  # once per blocking: again if they block again
        out += _to(facts.admins, Rule.DIGEST_UNREACHABLE, f"user:{user_id}", f"blocked:{since.isoformat()}",
                   {"name": name})
    return out


def decide(
    facts: WardFacts, d: date, params: ReminderParams, rules: Rules, calendar: WorkCalendar
) -> list[Reminder]:
    """Every reminder due on `d`, one per (rule, subject, period, recipient)."""
    found = [
        *quota_reminders(facts, d, params),
        *meeting_reminders(facts, d, params),
        *committee_reminders(facts, d, params, rules.committee_attendance_window),
        *absence_reminders(facts, d, params, rules),
        *clock_reminders(facts, d, params, rules, calendar),
        *unreachable_reminders(facts),
    ]
    unique = {(r.rule, r.subject, r.period, r.recipient): r for r in found}
    return list(unique.values())
