"""Early checks for /capnhat and /ketnap: the rules a save will apply, checked as each answer
comes in, so a bad answer is refused at its own question rather than at "✅ Lưu".

Each check reads the candidate afresh with the actor's rights (a forged id names nobody), applies
the domain rule the saving use-case in `services.candidates` applies again inside its transaction,
and returns the candidate.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from bot.config import RuleSettings
from bot.domain.candidates import CandidateInfo
from bot.domain.errors import InvalidInput
from bot.domain.pipeline import (
    CandidateSnapshot,
    check_after_receipt,
    check_decision_received,
    check_step,
    check_step_date,
)
from bot.domain.roles import Actor
from bot.domain.stages import Stage
from bot.services.candidates import (
    check_date_around_receipt,
    check_received_correction,
    correction_values,
    get_candidate_for,
    refuse_unchanged,
    refuse_unchanged_date,
)
from bot.store.db import Database


async def check_next_step(
    db: Database, actor: Actor, candidate_id: int, step: Stage, on: date, *, today: date,
    rules: RuleSettings | None = None,
) -> CandidateInfo:
    """Refuses `step` on `on` as `record_step` (with `rules`) or `admit` (without) would."""
    candidate = await get_candidate_for(db, actor, candidate_id)
    check_step(candidate.snapshot(), step, on, today, rules)
    if step is Stage.CEREMONY:
        check_after_receipt(candidate.decision_received_on, on)
    return candidate


async def check_step_allowed(
    db: Database, actor: Actor, candidate_id: int, step: Stage, *, today: date, rules: RuleSettings,
) -> CandidateInfo:
    """Refuses `step` when no date could make it right (out of order, dropped, too young…); a date
    problem is left for the date question that follows."""
    candidate = await get_candidate_for(db, actor, candidate_id)
    with contextlib.suppress(InvalidInput):  # only the date could be wrong, and it is asked next
        check_step(candidate.snapshot(), step, today, today, rules)
    return candidate


async def check_received_date(
    db: Database, actor: Actor, candidate_id: int, *, decision_on: date, received_on: date, today: date,
) -> CandidateInfo:
    """Refuses a received date the save would refuse: before the signing, or in the future."""
    candidate = await get_candidate_for(db, actor, candidate_id)
    check_decision_received(decision_on, received_on, today)
    return candidate


async def check_ceremony_date(
    db: Database, actor: Actor, candidate_id: int, *, decision_on: date, ceremony_on: date, today: date,
    received_on: date | None = None,
) -> CandidateInfo:
    """Refuses a ceremony date `admit` would refuse: in the future, or before the decision (about to
    be recorded on `decision_on`, received on `received_on`) or any earlier step."""
    candidate = await get_candidate_for(db, actor, candidate_id)
    check_after_receipt(received_on, ceremony_on)
    before = candidate.snapshot()
    with_decision = CandidateSnapshot(Stage.DECISION, before.dropped,
                                      {**before.event_dates, Stage.DECISION: decision_on})
    check_step_date(with_decision, Stage.CEREMONY, ceremony_on, today)
    return candidate


async def check_corrected_date(
    db: Database, actor: Actor, candidate_id: int, step: Stage, on: date | None, *, today: date,
) -> CandidateInfo:
    """Refuses what `correct_step_date` would: a step never recorded, or (given `on`) a date out of
    order with the other steps or in the future."""
    candidate = await get_candidate_for(db, actor, candidate_id)
    if step not in candidate.steps:
        raise InvalidInput(field="step", reason="step_not_recorded", step=step.value)
    if on is not None:
        refuse_unchanged_date(candidate, step, on)
        check_step_date(candidate.snapshot(), step, on, today)
        check_date_around_receipt(candidate, step, on)
    return candidate


async def check_corrected_received(
    db: Database, actor: Actor, candidate_id: int, on: date | None, *, today: date,
) -> CandidateInfo:
    """Refuses what `correct_received_date` would: no decision yet, or (given `on`) the same date,
    one before the signing, in the future or after the ceremony."""
    candidate = await get_candidate_for(db, actor, candidate_id)
    check_received_correction(candidate, on, today)
    return candidate


async def check_correction(
    db: Database, actor: Actor, candidate_id: int, field: str, value: Any, *, today: date,
) -> CandidateInfo:
    """Refuses what `correct_candidate` would: a bad value, or the value already on record."""
    candidate = await get_candidate_for(db, actor, candidate_id)
    refuse_unchanged(candidate, correction_values(field, value, today))
    return candidate
