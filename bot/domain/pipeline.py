"""Recording a step of the admission pipeline: what must come first, what each step needs, which dates
are possible. Refusals are DomainErrors whose data names the missing step or the offending date.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from bot.domain.cells import fold_name
from bot.domain.dates import LooseDate, age_in_months
from bot.domain.eligibility import VoteRules, check_vote_age, check_vote_papers
from bot.domain.errors import DomainError, InvalidInput
from bot.domain.introducers import MEMBERS_NEEDED
from bot.domain.stages import PIPELINE, Stage, next_stage, stage_index
from bot.domain.text import tidy
from bot.domain.workdays import add_months

MAX_DETAIL_LENGTH = 120


class AgeRules(Protocol):
    min_age_months: int
    max_age_months: int


class StepRules(AgeRules, VoteRules, Protocol):
    probation_months: int


class StepRefused(DomainError):
    """The step cannot be recorded now; `code` says why (out of order, dropped, bad date…)."""


@dataclass(frozen=True)
class CandidateSnapshot:
    """What the rules need to know about a candidate: where they stand and when each step happened."""

    stage: Stage
    dropped: bool
    event_dates: dict[Stage, date]
    birth: LooseDate | None = None


def clean_text(value: Any, field: str, *, required: bool = True, limit: int = MAX_DETAIL_LENGTH) -> str:
    """A trimmed single-line text; empty (or invisible) or too long is refused with the field's name."""
    raw = str(value or "")
    text = tidy("".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in raw))
    if required and not text:
        raise InvalidInput(field=field, reason="empty")
    if len(text) > limit:
        raise InvalidInput(field=field, reason="too_long", limit=limit, length=len(text))
    return text


def validate_details(step: Stage, details: dict[str, Any]) -> dict[str, Any]:
    """The details a step needs, cleaned: decision number, introducers, drop reason…"""
    if step is Stage.DECISION:
        clean = {"number": clean_text(details.get("number"), "decision_number", limit=40)}
        received = details.get("received_on")
        if received is not None:
            try:
                clean["received_on"] = date.fromisoformat(str(received)).isoformat()
            except ValueError:
                raise InvalidInput(field="date", reason="format", value=str(received)[:20]) from None
        return clean
    if step is Stage.INTRODUCED:
        kind = details.get("kind")
        names = [clean_text(n, "introducer") for n in details.get("introducers", [])]
        needed = MEMBERS_NEEDED.get(str(kind))  # type: ignore[call-overload]
        # The same person typed twice ("Lê Văn Hải", "lê văn hải") is one introducer, not two.
        if needed is None or len(names) != needed or len({fold_name(n) for n in names}) != needed:
            raise InvalidInput(field="introducers", reason="introducers_invalid")
        return {**details, "kind": kind, "introducers": names}
    if step is Stage.CELL_VOTE and details.get("votes_for") is not None:
        votes_for, votes_total = int(details["votes_for"]), int(details.get("votes_total") or 0)
        if votes_total <= 0 or not 0 <= votes_for <= votes_total:
            raise InvalidInput(field="votes", reason="votes_invalid")
        if votes_for * 3 < votes_total * 2:
            raise InvalidInput(field="votes", reason="votes_below_two_thirds",
                               votes_for=votes_for, votes_total=votes_total)
        return {"votes_for": votes_for, "votes_total": votes_total}
    return {}


def check_decision_received(signed: date, received: date, today: date) -> None:
    """The cell cannot receive a decision before it is signed, nor on a day still to come."""
    if received > today:
        raise InvalidInput(field="date", reason="future", value=received.isoformat())
    if received < signed:
        raise InvalidInput(field="date", reason="received_before_signed", value=received.isoformat(),
                           signed=signed.isoformat())


def check_after_receipt(received: date | None, ceremony_on: date) -> None:
    """The ceremony cannot be held before the cell received the admission decision."""
    if received is not None and ceremony_on < received:
        raise InvalidInput(field="date", reason="before_received", received=received.isoformat())


def check_step(
    candidate: CandidateSnapshot, step: Stage, on: date, today: date, rules: StepRules | None = None
) -> None:
    """Refuse a step out of order, on a dropped candidate, in the future or before the last step;
    with `rules`, also a cell vote outside the age range and full membership before probation ends."""
    if candidate.dropped:
        raise StepRefused("candidate_dropped")
    expected = next_stage(candidate.stage)
    if expected is None:
        raise StepRefused("pipeline_complete")
    if step is not expected:
        if stage_index(step) <= stage_index(candidate.stage):
            raise StepRefused("step_already_recorded", step=step.value)
        raise StepRefused("step_out_of_order", step=step.value, missing=expected.value)
    check_step_date(candidate, step, on, today)
    if rules is not None:
        check_step_timing(candidate, step, on, rules)


def check_step_timing(candidate: CandidateSnapshot, step: Stage, on: date, rules: StepRules) -> None:
    """The clocks a step must respect: at the cell vote 18–60 (in months), the awareness certificate
    still valid and the dossier not stale (bot.domain.eligibility); full membership after probation."""
    if step is Stage.CELL_VOTE:
        if candidate.birth is not None:
            check_vote_age(candidate.birth, on, rules)
        check_vote_papers(candidate.event_dates, on, rules)
    ceremony = candidate.event_dates.get(Stage.CEREMONY)
    if step is Stage.FULL_MEMBER and ceremony is not None:
        ends = add_months(ceremony, rules.probation_months)
        if on < ends:
            raise StepRefused("probation_not_over", ends=ends.isoformat())


def check_step_date(candidate: CandidateSnapshot, step: Stage, on: date, today: date) -> None:
    if on > today:
        raise InvalidInput(field="date", reason="future", value=on.isoformat())
    for earlier in PIPELINE[: stage_index(step)]:
        earlier_on = candidate.event_dates.get(earlier)
        if earlier_on is not None and on < earlier_on:
            raise InvalidInput(field="date", reason="before_previous_step", step=earlier.value,
                               previous=earlier_on.isoformat())
    for later in PIPELINE[stage_index(step) + 1:]:  # a correction must not overtake the next step
        later_on = candidate.event_dates.get(later)
        if later_on is not None and on > later_on:
            raise InvalidInput(field="date", reason="after_next_step", step=later.value,
                               next=later_on.isoformat())


def age_warning(birth: LooseDate, rules: AgeRules, today: date) -> dict[str, int] | None:
    """None when 18–60 (by default) today; otherwise the age in months, for a non-blocking warning."""
    months = age_in_months(birth, today)
    if rules.min_age_months <= months <= rules.max_age_months:
        return None
    return {"months": months, "years": months // 12, "min_years": rules.min_age_months // 12,
            "max_years": rules.max_age_months // 12}
