"""Early checks for /capnhat and /ketnap: the rules a save will apply, checked as each answer
comes in, so a bad answer is refused at its own question rather than at "✅ Lưu".

Each check reads the candidate afresh with the actor's rights (a forged id names nobody), applies
the domain rule the saving use-case in `services.candidates` applies again inside its transaction,
and returns the candidate.
"""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import date
from typing import Any

from bot.config import RuleSettings
from bot.domain.candidates import CandidateInfo
from bot.domain.dates import LooseDate
from bot.domain.eligibility import Refused, check_vote_age
from bot.domain.errors import InvalidInput
from bot.domain.introducers import IntroducerKind, allowed_kinds
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
    check_birth_after_vote,
    check_date_around_receipt,
    check_received_correction,
    correction_values,
    get_candidate_for,
    refuse_unchanged,
    refuse_unchanged_date,
)
from bot.services.directory import cell_kind
from bot.store.db import Database


async def check_next_step(
    db: Database, actor: Actor, candidate_id: int, step: Stage, on: date, *, today: date,
    rules: RuleSettings | None = None, birth: LooseDate | None = None,
) -> CandidateInfo:
    """Refuses `step` on `on` as `record_step` (with `rules`) or `admit` (without) would; `birth`:
    the full birth date just typed, to be saved with the step."""
    candidate = await get_candidate_for(db, actor, candidate_id)
    snapshot = candidate.snapshot()
    if birth is not None:
        snapshot = dataclasses.replace(snapshot, birth=birth)
    check_step(snapshot, step, on, today, rules)
    if step is Stage.CEREMONY:
        check_after_receipt(candidate.decision_received_on, on)
    return candidate


async def check_step_allowed(
    db: Database, actor: Actor, candidate_id: int, step: Stage, *, today: date, rules: RuleSettings,
) -> CandidateInfo:
    """Refuses `step` when no date could make it right (out of order, dropped, too young…); a date
    problem is left for the date question that follows."""
    candidate = await get_candidate_for(db, actor, candidate_id)
    # Only the date could be wrong (or the age and papers on that date), and it is asked next.
    with contextlib.suppress(InvalidInput, Refused):
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
    rules: RuleSettings | None = None,
) -> CandidateInfo:
    """Refuses what `correct_step_date` would: a step never recorded, or (given `on`) a date out of
    order with the other steps or in the future, or a cell vote moved outside 18–60."""
    candidate = await get_candidate_for(db, actor, candidate_id)
    if step not in candidate.steps:
        raise InvalidInput(field="step", reason="step_not_recorded", step=step.value)
    if on is not None:
        refuse_unchanged_date(candidate, step, on)
        check_step_date(candidate.snapshot(), step, on, today)
        check_date_around_receipt(candidate, step, on)
        if step is Stage.CELL_VOTE:
            check_vote_age(candidate.birth, on, rules or RuleSettings(), code_prefix="moved_")
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


async def introduction_kinds(
    db: Database, actor: Actor, candidate_id: int, on: date, *, rules: RuleSettings,
    birth: LooseDate | None = None,
) -> tuple[IntroducerKind, ...]:
    """Who may introduce the candidate on `on` (the proposed kind first), by their age then (with
    `birth`, the full date just typed) and the kind of their cell; Refused("birth_date_needed")
    when a birth year alone cannot tell youth age."""
    candidate = await get_candidate_for(db, actor, candidate_id)
    kind = await cell_kind(db, actor, candidate.cell_id)
    return allowed_kinds(birth or candidate.birth, on, kind, rules)


async def check_corrected_birth(
    db: Database, actor: Actor, candidate_id: int, birth: LooseDate, *, rules: RuleSettings,
) -> CandidateInfo:
    """Refuses what `correct_candidate` would: a birth date that puts the recorded cell vote outside
    18–60, or a year alone that cannot tell."""
    candidate = await get_candidate_for(db, actor, candidate_id)
    check_birth_after_vote(candidate, birth, rules)
    return candidate
