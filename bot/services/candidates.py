"""Use-cases for the admission pipeline: report a candidate, record a step, admit, drop, correct.

Every write checks the acting user's right to the candidate's cell (never trusting a button),
runs in one transaction with its audit row, and returns the candidate as saved.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import RuleSettings
from bot.domain.candidates import (
    MAX_NAME_LENGTH,
    Background,
    CandidateDraft,
    CandidateInfo,
    Gender,
)
from bot.domain.cells import fold_name
from bot.domain.dates import LooseDate
from bot.domain.eligibility import check_vote_age, check_votes_total
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.introducers import check_kind, clean_introduction
from bot.domain.members import MemberInfo, MemberStatus
from bot.domain.membership import LeaveKind
from bot.domain.pipeline import (
    age_warning,
    check_after_receipt,
    check_decision_received,
    check_step,
    check_step_date,
    clean_text,
    validate_details,
)
from bot.domain.roles import Actor, require_read, require_write
from bot.domain.stages import Stage
from bot.services.access import confirm_actor, require_ward_cell
from bot.store.audit import add_audit
from bot.store.candidates import (
    add_candidate,
    add_step,
    get_candidate,
    join_member_list,
    linked_member_id,
    list_candidates,
    lock_candidate,
    mark_dropped,
    rename_member,
    set_candidate_fields,
    set_step_date,
    set_step_details,
    update_member,
)
from bot.store.committees import get_cell, lock_cell_reports
from bot.store.db import Database
from bot.store.meetings import list_active_members
from bot.store.membership import member_row

MAX_REASON_LENGTH = 300


@dataclass(frozen=True)
class Saved:
    candidate: CandidateInfo
    warnings: tuple[dict[str, Any], ...] = ()


def clean_name(text: str) -> str:
    """A person's name: single spaces, 2–120 characters, letters present."""
    name = clean_text(text, "full_name", limit=MAX_NAME_LENGTH)
    if len(name) < 2 or not any(ch.isalpha() for ch in name):
        raise InvalidInput(field="full_name", reason="not_a_name")
    return name


def check_birth(birth: LooseDate, today: date) -> None:
    if birth.as_date() > today or birth.year < today.year - 100:
        raise InvalidInput(field="birth", reason="birth_range")


def _snapshot(c: CandidateInfo) -> dict[str, Any]:
    """The candidate as an audit row sees it (JSON-friendly)."""
    return {"full_name": c.full_name, "birth": [c.birth.year, c.birth.month, c.birth.day],
            "gender": c.gender, "background": c.background, "helper": c.helper_name,
            "stage": c.stage.value, "dropped_on": c.dropped_on and c.dropped_on.isoformat(),
            "steps": {s.value: r.on.isoformat() for s, r in c.steps.items()}}


async def _load_for_write(session: AsyncSession, actor: Actor, candidate_id: int) -> CandidateInfo:
    await confirm_actor(session, actor)
    await lock_candidate(session, candidate_id)
    candidate = await get_candidate(session, candidate_id)
    if candidate is None:
        raise NotFound(entity="candidate", id=candidate_id)
    require_write(actor, candidate.cell_id)
    await require_ward_cell(session, actor, candidate.cell_id)
    return candidate


async def _audited(
    session: AsyncSession, actor: Actor, before: CandidateInfo, action: str, **extra: Any
) -> CandidateInfo:
    """The candidate as saved, with the audit row of the change (before, after and `extra`)."""
    after = await get_candidate(session, before.id)
    assert after is not None
    await add_audit(session, action=action, entity="candidate", entity_id=before.id,
                    actor_user_id=actor.user_id, before=_snapshot(before),
                    after=_snapshot(after) | extra)
    return after


async def _refuse_duplicate(session: AsyncSession, draft: CandidateDraft) -> None:
    """The same person reported twice (a double tap, a lost confirmation): same name, same birth
    year, still on the cell's list. Two different people rarely share both in one cell."""
    wanted = fold_name(draft.full_name)
    for current in await list_candidates(session, [draft.cell_id]):
        if fold_name(current.full_name) == wanted and current.birth.year == draft.birth.year:
            raise InvalidInput(field="full_name", reason="duplicate_candidate", name=current.full_name,
                               year=current.birth.year)


async def report_candidate(
    db: Database, actor: Actor, draft: CandidateDraft, *, today: date, rules: RuleSettings
) -> Saved:
    """Saves a new candidate at the first stage; warns (does not block) outside the age range."""
    require_write(actor, draft.cell_id)
    draft = dataclasses.replace(draft, full_name=clean_name(draft.full_name),
                                helper_name=clean_text(draft.helper_name, "helper", required=False))
    check_birth(draft.birth, today)
    if draft.spotted_on > today:
        raise InvalidInput(field="date", reason="future", value=draft.spotted_on.isoformat())
    if draft.spotted_on < draft.birth.as_date():
        raise InvalidInput(field="date", reason="before_birth", value=draft.spotted_on.isoformat())
    warning = age_warning(draft.birth, rules, today)
    async with db.write() as session:
        await confirm_actor(session, actor)
        await require_ward_cell(session, actor, draft.cell_id)
        if draft.helper_member_id is not None and draft.helper_member_id not in {
            m.id for m in await list_active_members(session, draft.cell_id)
        }:  # a forged id, another cell's member, or one no longer active
            raise InvalidInput(field="helper", reason="unknown_member")
        await lock_cell_reports(session, draft.cell_id)  # the duplicate check below is then exact
        await _refuse_duplicate(session, draft)
        candidate_id = await add_candidate(session, draft, actor.user_id)
        saved = await get_candidate(session, candidate_id)
        assert saved is not None
        await add_audit(session, action="report_candidate", entity="candidate",
                        entity_id=candidate_id, actor_user_id=actor.user_id, after=_snapshot(saved))
    return Saved(saved, ({"code": "age", **warning},) if warning else ())


async def candidates_of_cell(db: Database, actor: Actor, cell_id: int) -> list[CandidateInfo]:
    require_read(actor, cell_id)
    async with db.read() as session:
        await require_ward_cell(session, actor, cell_id)
        return await list_candidates(session, [cell_id])


async def get_candidate_for(db: Database, actor: Actor, candidate_id: int) -> CandidateInfo:
    """A candidate the actor may see; NotFound for a missing one, PermissionDenied for another cell's."""
    async with db.read() as session:
        candidate = await get_candidate(session, candidate_id)
        if candidate is not None:
            await require_ward_cell(session, actor, candidate.cell_id)
    if candidate is None:
        raise NotFound(entity="candidate", id=candidate_id)
    require_read(actor, candidate.cell_id)
    return candidate


async def record_step(
    db: Database, actor: Actor, candidate_id: int, step: Stage, on: date,
    details: dict[str, Any] | None = None, *, today: date, rules: RuleSettings | None = None,
    birth: LooseDate | None = None,
) -> Saved:
    """Records the next pipeline step. Out of order, future or earlier-than-last dates are refused,
    and so are introducers the rules do not allow, a cell vote outside 18–60 or on an expired
    certificate or stale dossier, more full members than the imported list holds, and full
    membership before probation ends. `birth`, the full birth date asked for when only the year
    was known, is corrected in the same transaction (and audited with the step)."""
    rules = rules or RuleSettings()
    clean = validate_details(step, details or {})
    if "received_on" in clean:
        check_decision_received(on, date.fromisoformat(clean["received_on"]), today)
    if birth is not None:
        check_birth(birth, today)
    async with db.write() as session:
        before = await _load_for_write(session, actor, candidate_id)
        snapshot = before.snapshot() if birth is None else dataclasses.replace(before.snapshot(), birth=birth)
        check_step(snapshot, step, on, today, rules)
        if step is Stage.CEREMONY:
            check_after_receipt(before.decision_received_on, on)
        if step is Stage.INTRODUCED:
            clean = await _checked_introduction(session, before, snapshot.birth, clean, on, rules)
        elif step is Stage.CELL_VOTE and "votes_total" in clean:
            listed = full_members(await list_active_members(session, before.cell_id))
            check_votes_total(clean["votes_total"], listed)
        if birth is not None:
            await set_candidate_fields(session, candidate_id, birth_year=birth.year,
                                       birth_month=birth.month, birth_day=birth.day)
        await add_step(session, candidate_id, step, on, clean, actor.user_id)
        if step is Stage.CEREMONY:
            await join_member_list(session, before, on)
        elif step is Stage.FULL_MEMBER:
            member_id = await linked_member_id(session, before)
            if member_id is None:
                member_id = await join_member_list(session, before, before.steps[Stage.CEREMONY].on)
            await update_member(session, member_id, status=MemberStatus.FULL.value)
        after = await _audited(session, actor, before, f"step:{step.value}", details=clean)
    return Saved(after)


def full_members(members: list[MemberInfo]) -> int | None:
    """How many full members the imported list holds; None when no list was imported."""
    return sum(m.status == MemberStatus.FULL for m in members) if members else None


async def _checked_introduction(
    session: AsyncSession, candidate: CandidateInfo, birth: LooseDate | None, details: dict[str, Any],
    on: date, rules: RuleSettings,
) -> dict[str, Any]:
    """The introduction as the rules allow it for this candidate (kind by age and cell), each member
    picked from the list a full member of the cell, each known long enough."""
    cell = await get_cell(session, candidate.cell_id)
    assert cell is not None
    check_kind(str(details.get("kind")), birth or candidate.birth, on, cell.kind, rules)
    clean = clean_introduction(details, on, rules)
    members = {m.id: m for m in await list_active_members(session, candidate.cell_id)}
    for k, member_id in enumerate(clean["member_ids"]):
        if member_id is None:
            continue
        member = members.get(member_id)
        if member is None:  # forged, another cell's, or no longer active
            raise InvalidInput(field="introducers", reason="unknown_member")
        if member.status != MemberStatus.FULL:
            raise InvalidInput(field="introducers", reason="introducer_probationary", name=member.full_name)
        clean["introducers"][k] = member.full_name
    return clean


async def admit(
    db: Database, actor: Actor, candidate_id: int, *, number: str, decision_on: date,
    ceremony_on: date | None, today: date, received_on: date | None = None,
) -> Saved:
    """The admission shortcut: the decision (number, date signed, date received) and, if held, the
    ceremony, at once. The ceremony cannot precede the receipt of the decision."""
    received_on = received_on or decision_on
    clean = validate_details(Stage.DECISION, {"number": number, "received_on": received_on.isoformat()})
    check_decision_received(decision_on, received_on, today)
    if ceremony_on is not None:
        check_after_receipt(received_on, ceremony_on)
    if ceremony_on is not None and ceremony_on > today:
        raise InvalidInput(field="date", reason="future", value=ceremony_on.isoformat())
    async with db.write() as session:
        before = await _load_for_write(session, actor, candidate_id)
        check_step(before.snapshot(), Stage.DECISION, decision_on, today)
        await add_step(session, candidate_id, Stage.DECISION, decision_on, clean, actor.user_id)
        if ceremony_on is not None:
            await add_step(session, candidate_id, Stage.CEREMONY, ceremony_on, {}, actor.user_id)
            await join_member_list(session, before, ceremony_on)
        after = await _audited(session, actor, before, "admit", details=clean)
    return Saved(after)


async def drop_candidate(
    db: Database, actor: Actor, candidate_id: int, *, reason: str, on: date, today: date
) -> Saved:
    """The candidate leaves the pipeline; kept with the reason, never deleted."""
    reason = clean_text(reason, "reason", limit=MAX_REASON_LENGTH)
    async with db.write() as session:
        before = await _load_for_write(session, actor, candidate_id)
        if before.dropped:
            raise InvalidInput(field="candidate", reason="already_dropped")
        if before.stage is Stage.FULL_MEMBER:
            raise InvalidInput(field="candidate", reason="already_member")
        last = max(r.on for r in before.steps.values())
        if on > today:
            raise InvalidInput(field="date", reason="future", value=on.isoformat())
        if on < last:
            raise InvalidInput(field="date", reason="before_previous_step",
                               step=before.stage.value, previous=last.isoformat())
        await mark_dropped(session, candidate_id, on, reason)
        member_id = await linked_member_id(session, before)
        member = await member_row(session, member_id) if member_id is not None else None
        # A probationary member not recognised is struck off (Điều lệ); one who already left
        # (transferred out, died: /dangvien) keeps how and when they left.
        if member is not None and member.active:
            await update_member(session, member.id, active=False, left_on=on,
                                left_how=LeaveKind.STRUCK_OFF.value)
        after = await _audited(session, actor, before, "drop", reason=reason)
    return Saved(after)


# Fields a secretary may correct, and how each typed value is cleaned.
CORRECTABLE = ("full_name", "birth", "gender", "background", "helper_name")


def correction_values(field: str, value: Any, today: date) -> dict[str, Any]:
    """The columns a correction of `field` writes, cleaned as the save cleans them."""
    if field not in CORRECTABLE:
        raise InvalidInput(field=field, reason="not_correctable")
    if field == "full_name":
        return {"full_name": clean_name(str(value))}
    if field == "birth":
        assert isinstance(value, LooseDate)
        check_birth(value, today)
        return {"birth_year": value.year, "birth_month": value.month, "birth_day": value.day}
    if field == "helper_name":
        return {"helper_name": clean_text(value, "helper", required=False)}
    if field == "gender":
        return {"gender": _choice(Gender, value, field)}
    return {"background": _choice(Background, value, field)}


def refuse_unchanged(candidate: CandidateInfo, values: dict[str, Any]) -> None:
    """A correction that would write what is already there is not a correction: nothing is saved
    (no audit row) and the secretary is told so."""
    current = {"full_name": candidate.full_name, "birth_year": candidate.birth.year,
               "birth_month": candidate.birth.month, "birth_day": candidate.birth.day,
               "helper_name": candidate.helper_name, "gender": candidate.gender,
               "background": candidate.background}
    if all(current[k] == v for k, v in values.items()):
        raise InvalidInput(field="correction", reason="unchanged")


def refuse_unchanged_date(candidate: CandidateInfo, step: Stage, on: date) -> None:
    record = candidate.steps.get(step)
    if record is not None and record.on == on:
        raise InvalidInput(field="date", reason="unchanged")


async def correct_candidate(
    db: Database, actor: Actor, candidate_id: int, field: str, value: Any, *, today: date,
    rules: RuleSettings | None = None,
) -> Saved:
    """Fixes one detail; the audit row keeps the value before and after. The value on record
    already is refused (reason "unchanged"): nothing is written. A birth date that would put the
    candidate outside 18–60 on the day the cell already voted is refused (the vote would then have
    broken the rule: that is for the ward office to sort out, not a silent correction)."""
    values = correction_values(field, value, today)
    async with db.write() as session:
        before = await _load_for_write(session, actor, candidate_id)
        refuse_unchanged(before, values)
        if field == "birth":
            check_birth_after_vote(before, value, rules or RuleSettings())
        await set_candidate_fields(session, candidate_id, **values)
        member_id = await linked_member_id(session, before)
        if field == "full_name" and member_id is not None:  # the member list follows the correction
            await rename_member(session, member_id, before.cell_id, values["full_name"], today.year)
        after = await _audited(session, actor, before, f"correct:{field}")
    return Saved(after)


def check_birth_after_vote(candidate: CandidateInfo, birth: LooseDate, rules: RuleSettings) -> None:
    """A corrected birth date must keep the recorded cell vote within 18–60 (and be exact enough to
    tell): refused with codes "corrected_age_below/above" or "corrected_birth_date_needed"."""
    vote = candidate.steps.get(Stage.CELL_VOTE)
    if vote is not None:
        check_vote_age(birth, vote.on, rules, code_prefix="corrected_")


def _choice(kind: type[StrEnum], value: Any, field: str) -> str:
    """One of the enum's values (a forged or mistyped one is refused, whatever the channel)."""
    try:
        return kind(str(value)).value
    except ValueError:
        raise InvalidInput(field=field, reason="not_a_choice", value=str(value)[:40]) from None


async def correct_step_date(
    db: Database, actor: Actor, candidate_id: int, step: Stage, on: date, *, today: date,
    rules: RuleSettings | None = None,
) -> Saved:
    """Moves a recorded step to its right date, keeping the steps in order (the date on record
    already is refused: nothing to save)."""
    async with db.write() as session:
        before = await _load_for_write(session, actor, candidate_id)
        if step not in before.steps:
            raise InvalidInput(field="step", reason="step_not_recorded", step=step.value)
        refuse_unchanged_date(before, step, on)
        check_step_date(before.snapshot(), step, on, today)
        check_date_around_receipt(before, step, on)
        if step is Stage.CELL_VOTE:
            check_vote_age(before.birth, on, rules or RuleSettings(), code_prefix="moved_")
        await set_step_date(session, candidate_id, step, on)
        member_id = await linked_member_id(session, before)
        if step is Stage.CEREMONY and member_id is not None:  # membership starts at the ceremony
            await update_member(session, member_id, admitted_on=on)
        after = await _audited(session, actor, before, f"correct_date:{step.value}")
    return Saved(after)


def check_date_around_receipt(candidate: CandidateInfo, step: Stage, on: date) -> None:
    """A corrected signing date cannot fall after the recorded receipt, nor a ceremony before it."""
    received = candidate.decision_received_on
    if step is Stage.DECISION and received is not None and on > received:
        raise InvalidInput(field="date", reason="signed_after_received", value=on.isoformat(),
                           received=received.isoformat())
    if step is Stage.CEREMONY:
        check_after_receipt(received, on)


def check_received_correction(candidate: CandidateInfo, on: date | None, today: date) -> None:
    """The date the decision was received may be corrected once the decision is recorded: not to
    the same date, not before the signing or in the future, not after the ceremony."""
    decision = candidate.steps.get(Stage.DECISION)
    if decision is None:
        raise InvalidInput(field="step", reason="step_not_recorded", step=Stage.DECISION.value)
    if on is None:
        return
    if on == (candidate.decision_received_on or decision.on):
        raise InvalidInput(field="date", reason="unchanged")
    check_decision_received(decision.on, on, today)
    ceremony = candidate.steps.get(Stage.CEREMONY)
    if ceremony is not None and on > ceremony.on:
        raise InvalidInput(field="date", reason="after_next_step", step=Stage.CEREMONY.value,
                           next=ceremony.on.isoformat())


async def correct_received_date(
    db: Database, actor: Actor, candidate_id: int, on: date, *, today: date
) -> Saved:
    """Corrects the day the cell received the admission decision (kept in the decision step's
    details); the ceremony clock then runs from it."""
    async with db.write() as session:
        before = await _load_for_write(session, actor, candidate_id)
        check_received_correction(before, on, today)
        details = {**before.steps[Stage.DECISION].details, "received_on": on.isoformat()}
        await set_step_details(session, candidate_id, Stage.DECISION, details)
        after = await _audited(session, actor, before, "correct_received", received_on=on.isoformat(),
                               received_before=(before.decision_received_on or
                                                before.steps[Stage.DECISION].on).isoformat())
    return Saved(after)
