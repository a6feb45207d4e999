"""Who may be voted on, and when (Điều lệ Đảng art. 1 and 4, HD 12): the age range at the cell vote
counted in months, a birth year that is too vague near a limit, the awareness certificate still
valid, the dossier not stale, the full members counted against the imported list.

A birth known only to its year spans a whole year of possible ages; near 18, 30 or 60 the same year
can mean inside or outside the range, so the rules ask for the full date instead of guessing
(the old reading "1 January" silently allowed someone born in 2008 and refused someone born in 1966).
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.domain.dates import LooseDate, age_in_months
from bot.domain.errors import DomainError, InvalidInput
from bot.domain.stages import Stage
from bot.domain.workdays import add_months


class VoteRules(Protocol):
    min_age_months: int
    max_age_months: int
    certificate_valid_months: int
    dossier_max_age_months: int


class Refused(DomainError):
    """The cell vote (or a correction after it) breaks a rule; `code` says which."""


class Fit(enum.Enum):
    INSIDE = "inside"
    BELOW = "below"
    ABOVE = "above"
    UNSURE = "unsure"  # a birth year alone: inside or outside depending on the day


@dataclass(frozen=True)
class AgeSpan:
    """Completed months of age on a day: `low` if born as late as the record allows, `high` if as
    early (equal when the full birth date is known)."""

    low: int
    high: int


def age_span(birth: LooseDate, on: date) -> AgeSpan:
    month_first, month_last = birth.month or 1, birth.month or 12
    earliest = LooseDate(birth.year, month_first, birth.day or 1)
    latest = LooseDate(birth.year, month_last,
                       birth.day or calendar.monthrange(birth.year, month_last)[1])
    return AgeSpan(age_in_months(latest, on), age_in_months(earliest, on))


def fits(span: AgeSpan, low: int, high: int) -> Fit:
    """Where the age falls against [low, high] months, both ends included."""
    if span.high < low:
        return Fit.BELOW
    if span.low > high:
        return Fit.ABOVE
    if low <= span.low and span.high <= high:
        return Fit.INSIDE
    return Fit.UNSURE


def check_vote_age(birth: LooseDate, on: date, rules: VoteRules, *, code_prefix: str = "") -> None:
    """18–60 (by default) at the cell vote, in completed months. Below: refused; above: refused, the
    text saying the superior committee may still decide (Điều lệ art. 1: over 60 is decided above);
    a birth year too vague to tell: "birth_date_needed", for the caller to ask the full date."""
    span = age_span(birth, on)
    fit = fits(span, rules.min_age_months, rules.max_age_months)
    if fit is Fit.INSIDE:
        return
    data = {"on": on.isoformat(), "min_months": rules.min_age_months, "max_months": rules.max_age_months}
    if fit is Fit.UNSURE:
        raise Refused(f"{code_prefix}birth_date_needed", year=birth.year, **data)
    raise Refused(f"{code_prefix}age_{fit.value}", months=span.high if fit is Fit.BELOW else span.low,
                  **data)


def certificate_valid_until(course_on: date, rules: VoteRules) -> date:
    """The last day the awareness certificate counts. "60 tháng kể từ ngày cấp" ends at the end of
    the same-numbered day 60 months later (BLDS art. 147–148: the day of issue is not counted)."""
    return add_months(course_on, rules.certificate_valid_months)


def dossier_valid_until(dossier_on: date, rules: VoteRules) -> date:
    """The last day the cell may vote on a dossier completed on `dossier_on` (same counting)."""
    return add_months(dossier_on, rules.dossier_max_age_months)


def check_vote_papers(events: dict[Stage, date], on: date, rules: VoteRules) -> None:
    """At the cell vote the awareness certificate must still be valid and the dossier not older than
    the rule allows; either one refused names the dates involved."""
    course = events.get(Stage.COURSE)
    if course is not None and on > certificate_valid_until(course, rules):
        raise Refused("certificate_expired", course=course.isoformat(), on=on.isoformat(),
                      until=certificate_valid_until(course, rules).isoformat(),
                      valid_months=rules.certificate_valid_months)
    dossier = events.get(Stage.DOSSIER)
    if dossier is not None and on > dossier_valid_until(dossier, rules):
        raise Refused("dossier_stale", dossier=dossier.isoformat(), on=on.isoformat(),
                      until=dossier_valid_until(dossier, rules).isoformat(),
                      max_months=rules.dossier_max_age_months)


def check_votes_total(votes_total: int, listed_full: int | None) -> None:
    """The full members counted at the vote cannot exceed the full members on the imported list
    (None: no list imported, nothing to compare with)."""
    if listed_full is not None and listed_full > 0 and votes_total > listed_full:
        raise InvalidInput(field="votes", reason="votes_total_above_list", votes_total=votes_total,
                           listed=listed_full)
