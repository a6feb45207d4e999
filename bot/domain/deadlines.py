"""The clocks of the admission pipeline: what is due for a candidate, and when (DOMAIN.md table).

`candidate_deadlines` returns every clock that is running for the candidate's current stage; the
status view shows the nearest ones and the reminder sweeps decide which are worth a push.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.domain.stages import Stage
from bot.domain.workdays import WorkCalendar, add_months


class ClockRules(Protocol):
    certificate_valid_months: int
    dossier_max_age_months: int
    decision_due_working_days: int
    ceremony_due_working_days: int
    probation_months: int
    full_membership_review_working_days: int


class Clock(enum.StrEnum):
    CERTIFICATE_EXPIRES = "certificate_expires"  # awareness certificate runs out
    DOSSIER_STALE = "dossier_stale"  # dossier too old without a cell vote
    DECISION_DUE = "decision_due"  # superior committee's decision after the ward resolution
    CEREMONY_DUE = "ceremony_due"  # ceremony after the decision
    PROBATION_ENDS = "probation_ends"  # 12 months after the ceremony
    REVIEW_DUE = "review_due"  # full-membership review after probation


@dataclass(frozen=True)
class Deadline:
    clock: Clock
    due: date
    started: date  # the step date the clock runs from


def candidate_deadlines(
    stage: Stage, events: dict[Stage, date], rules: ClockRules, calendar: WorkCalendar
) -> list[Deadline]:
    """Every clock running at `stage`, soonest first. A dropped candidate has none (caller's job)."""
    out: list[Deadline] = []
    course = events.get(Stage.COURSE)
    before_vote = stage in (Stage.COURSE, Stage.DOSSIER, Stage.INTRODUCED)
    if course and before_vote:
        out.append(Deadline(Clock.CERTIFICATE_EXPIRES,
                            add_months(course, rules.certificate_valid_months), course))
    dossier = events.get(Stage.DOSSIER)
    if dossier and stage in (Stage.DOSSIER, Stage.INTRODUCED):
        out.append(Deadline(Clock.DOSSIER_STALE, add_months(dossier, rules.dossier_max_age_months),
                            dossier))
    ward = events.get(Stage.WARD_RESOLUTION)
    if ward and stage is Stage.WARD_RESOLUTION:
        out.append(Deadline(Clock.DECISION_DUE,
                            calendar.add_working_days(ward, rules.decision_due_working_days), ward))
    decision = events.get(Stage.DECISION)
    if decision and stage is Stage.DECISION:
        out.append(Deadline(Clock.CEREMONY_DUE,
                            calendar.add_working_days(decision, rules.ceremony_due_working_days),
                            decision))
    ceremony = events.get(Stage.CEREMONY)
    if ceremony and stage is Stage.CEREMONY:
        ends = add_months(ceremony, rules.probation_months)
        out.append(Deadline(Clock.PROBATION_ENDS, ends, ceremony))
        out.append(Deadline(Clock.REVIEW_DUE, calendar.add_working_days(
            ends, rules.full_membership_review_working_days), ends))
    return sorted(out, key=lambda d: d.due)
