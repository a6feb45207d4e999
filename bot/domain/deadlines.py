"""The clocks of the admission pipeline: what is due for a candidate, and when (DOMAIN.md table).

`candidate_deadlines` returns every clock that is running for the candidate's current stage; the
status view shows the nearest ones and the reminder sweeps decide which are worth a push.

Where each clock starts (QĐ 232, 4.3.1 and 4.4): the superior committee's decision is due within 60
working days of the *cell* resolution (the ward's resolution comes in between but does not restart
it), and the ceremony within 30 working days of the day the cell *received* the decision, which
may be later than the day it was signed.
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
    DECISION_DUE = "decision_due"  # superior committee's decision after the cell resolution
    CEREMONY_DUE = "ceremony_due"  # ceremony after the decision was received
    PROBATION_ENDS = "probation_ends"  # 12 months after the ceremony
    REVIEW_DUE = "review_due"  # full-membership review after probation


@dataclass(frozen=True)
class Deadline:
    clock: Clock
    due: date
    started: date  # the step date the clock runs from


# After the cell vote and until the decision arrives, the decision clock runs from the cell vote.
AWAITING_DECISION = (Stage.CELL_VOTE, Stage.WARD_RESOLUTION)


def decision_clock(
    stage: Stage, events: dict[Stage, date], rules: ClockRules, calendar: WorkCalendar
) -> Deadline | None:
    """The superior committee's decision: due 60 working days after the cell resolution."""
    voted = events.get(Stage.CELL_VOTE)
    if voted is None or stage not in AWAITING_DECISION:
        return None
    return Deadline(Clock.DECISION_DUE, calendar.add_working_days(voted, rules.decision_due_working_days),
                    voted)


def ceremony_clock(
    stage: Stage, events: dict[Stage, date], rules: ClockRules, calendar: WorkCalendar,
    received: date | None = None,
) -> Deadline | None:
    """The ceremony: due 30 working days after the decision was received (the signing date when
    the receipt was not recorded, as for steps saved before it was asked)."""
    signed = events.get(Stage.DECISION)
    if signed is None or stage is not Stage.DECISION:
        return None
    start = received or signed
    return Deadline(Clock.CEREMONY_DUE, calendar.add_working_days(start, rules.ceremony_due_working_days),
                    start)


def candidate_deadlines(
    stage: Stage, events: dict[Stage, date], rules: ClockRules, calendar: WorkCalendar,
    received: date | None = None,
) -> list[Deadline]:
    """Every clock running at `stage`, soonest first. A dropped candidate has none (caller's job).
    `received` is the day the cell received the admission decision, when recorded."""
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
    out += [d for d in (decision_clock(stage, events, rules, calendar),
                        ceremony_clock(stage, events, rules, calendar, received)) if d is not None]
    ceremony = events.get(Stage.CEREMONY)
    if ceremony and stage is Stage.CEREMONY:
        ends = add_months(ceremony, rules.probation_months)
        out.append(Deadline(Clock.PROBATION_ENDS, ends, ceremony))
        out.append(Deadline(Clock.REVIEW_DUE, calendar.add_working_days(
            ends, rules.full_membership_review_working_days), ends))
    return sorted(out, key=lambda d: d.due)
