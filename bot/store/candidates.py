"""Candidates and their dated steps. Session first; never commits; returns domain dataclasses."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from sqlalchemy import Row, String, and_, or_, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.candidates import CandidateDraft, CandidateInfo, StepRecord
from bot.domain.dates import LooseDate
from bot.domain.members import MemberStatus
from bot.domain.membership import JoinKind
from bot.domain.stages import Stage
from bot.store.models import Candidate, CandidateEvent, Member
from bot.store.slices import slices

_CANDIDATE_COLUMNS = (Candidate.id, Candidate.cell_id, Candidate.full_name, Candidate.birth_year,
                      Candidate.birth_month, Candidate.birth_day, Candidate.gender, Candidate.background,
                      Candidate.helper_name, Candidate.stage, Candidate.dropped_on,
                      Candidate.dropped_reason, Candidate.member_id)
# The date and `details` as stored text on SQLite, parsed here: date.fromisoformat beats the
# driver's regular expression, and most steps have no details ("{}") to decode at all.
_EVENT_COLUMNS = (CandidateEvent.candidate_id, CandidateEvent.stage,
                  type_coerce(CandidateEvent.happened_on, String))
_DETAILS = type_coerce(CandidateEvent.details, String)
_STAGES = {s.value: s for s in Stage}  # a dict look-up, not Stage(value) per row


def _info(row: Row[Any], steps: dict[Stage, StepRecord]) -> CandidateInfo:
    return CandidateInfo(
        id=row.id, cell_id=row.cell_id, full_name=row.full_name,
        birth=LooseDate(row.birth_year, row.birth_month, row.birth_day), gender=row.gender,
        background=row.background, helper_name=row.helper_name, stage=_STAGES[row.stage],
        dropped_on=row.dropped_on, dropped_reason=row.dropped_reason,
        steps=steps, member_id=row.member_id,
    )


def _details(raw: str | dict[str, Any] | None) -> dict[str, Any]:
    """A step's details from their stored text (PostgreSQL's driver hands JSON over decoded)."""
    if isinstance(raw, dict):
        return dict(raw)
    return json.loads(raw) if raw and raw != "{}" else {}


def _day(raw: str | date) -> date:
    """A stored date: text on SQLite (read as such, see _EVENT_COLUMNS), a date from PostgreSQL."""
    return raw if isinstance(raw, date) else date.fromisoformat(raw)


def _steps_of(rows: Iterable[Row[Any]]) -> dict[int, dict[Stage, StepRecord]]:
    """Each candidate's steps, in the order they happened (rows come sorted by candidate, date, id);
    rows without a fourth column (details not asked for) give steps without details."""
    out: dict[int, dict[Stage, StepRecord]] = defaultdict(dict)
    for candidate_id, stage, on, *details in rows:
        out[candidate_id][_STAGES[stage]] = StepRecord(_day(on), _details(details[0]) if details else {})
    return out


async def get_candidate(session: AsyncSession, candidate_id: int) -> CandidateInfo | None:
    row = (await session.execute(select(*_CANDIDATE_COLUMNS).where(Candidate.id == candidate_id))).first()
    if row is None:
        return None
    events = await session.execute(
        select(*_EVENT_COLUMNS, _DETAILS).where(CandidateEvent.candidate_id == candidate_id)
        .order_by(CandidateEvent.happened_on, CandidateEvent.id))
    return _info(row, _steps_of(events)[candidate_id])


async def list_candidates(
    session: AsyncSession, cell_ids: list[int], *, current_only: bool = True, details: bool = True
) -> list[CandidateInfo]:
    """Candidates of the cells, oldest first. Current: not dropped and not yet full members.
    Without `details` the steps carry their dates only (what the clocks need; the sweep reads
    the whole ward and most of its time went into decoding details nobody looked at).

    Plain rows, not ORM objects (a province-sized ward has tens of thousands of candidates and
    five times as many steps); the steps come in one query joined to the same candidates, not
    through a list of their ids."""
    step_columns = (*_EVENT_COLUMNS, _DETAILS) if details else _EVENT_COLUMNS
    out: list[CandidateInfo] = []
    for some in slices(cell_ids):
        chosen = Candidate.cell_id.in_(some)
        if current_only:
            chosen = and_(chosen, Candidate.dropped_on.is_(None),
                          Candidate.stage != Stage.FULL_MEMBER.value)
        core = await session.connection()  # plain rows: the ORM's per-row bookkeeping buys nothing here
        rows = await core.execute(select(*_CANDIDATE_COLUMNS).where(chosen))
        events = await core.execute(
            select(*step_columns).join(Candidate, Candidate.id == CandidateEvent.candidate_id)
            .where(chosen)
            .order_by(CandidateEvent.candidate_id, CandidateEvent.happened_on, CandidateEvent.id))
        steps = _steps_of(events.all())
        out += [_info(r, steps.get(r.id, {})) for r in rows.all()]
    out.sort(key=lambda c: c.id)
    return out


async def current_step_dates(
    session: AsyncSession, cell_ids: list[int], *, details_of: Collection[Stage] = ()
) -> list[tuple[int, str, int, Stage, dict[Stage, date], dict[Stage, dict[str, Any]]]]:
    """(id, name, cell id, stage, the date of each step, the details of the steps in
    `details_of`) of the cells' current candidates, oldest first: what the clocks need and nothing
    else, for the sweep over a whole ward (as list_candidates, without a CandidateInfo and a
    StepRecord per step, nor decoding details nobody reads, for thousands of candidates)."""
    out = []
    for some in slices(cell_ids):
        chosen = and_(Candidate.cell_id.in_(some), Candidate.dropped_on.is_(None),
                      Candidate.stage != Stage.FULL_MEMBER.value)
        core = await session.connection()
        rows = await core.execute(select(Candidate.id, Candidate.full_name, Candidate.cell_id,
                                         Candidate.stage).where(chosen))
        events = await core.execute(
            select(*_EVENT_COLUMNS, _DETAILS).join(Candidate, Candidate.id == CandidateEvent.candidate_id)
            .where(chosen)
            .order_by(CandidateEvent.candidate_id, CandidateEvent.happened_on, CandidateEvent.id))
        dates: dict[int, dict[Stage, date]] = defaultdict(dict)
        details: dict[int, dict[Stage, dict[str, Any]]] = defaultdict(dict)
        for candidate_id, stage_value, on, raw in events.all():
            stage = _STAGES[stage_value]
            dates[candidate_id][stage] = _day(on)
            if stage in details_of:
                details[candidate_id][stage] = _details(raw)
        out += [(i, name, cell, _STAGES[stage], dates.get(i, {}), details.get(i, {}))
                for i, name, cell, stage in rows.all()]
    out.sort(key=lambda c: c[0])
    return out


async def add_candidate(session: AsyncSession, draft: CandidateDraft, user_id: int | None) -> int:
    row = Candidate(
        cell_id=draft.cell_id, full_name=draft.full_name, birth_year=draft.birth.year,
        birth_month=draft.birth.month, birth_day=draft.birth.day, gender=draft.gender.value,
        background=draft.background.value, helper_member_id=draft.helper_member_id,
        helper_name=draft.helper_name, stage=Stage.SPOTTED.value,
    )
    session.add(row)
    await session.flush()
    session.add(CandidateEvent(candidate_id=row.id, stage=Stage.SPOTTED.value,
                               happened_on=draft.spotted_on, details={}, recorded_by=user_id))
    return row.id


async def add_step(
    session: AsyncSession, candidate_id: int, step: Stage, on: date, details: dict[str, Any],
    user_id: int | None,
) -> None:
    session.add(CandidateEvent(candidate_id=candidate_id, stage=step.value, happened_on=on,
                               details=details, recorded_by=user_id))
    await session.execute(
        update(Candidate).where(Candidate.id == candidate_id).values(stage=step.value)
    )


async def set_step_date(session: AsyncSession, candidate_id: int, step: Stage, on: date) -> None:
    await session.execute(
        update(CandidateEvent)
        .where(CandidateEvent.candidate_id == candidate_id, CandidateEvent.stage == step.value)
        .values(happened_on=on)
    )


async def set_step_details(
    session: AsyncSession, candidate_id: int, step: Stage, details: dict[str, Any]
) -> None:
    await session.execute(
        update(CandidateEvent)
        .where(CandidateEvent.candidate_id == candidate_id, CandidateEvent.stage == step.value)
        .values(details=details)
    )


async def set_candidate_fields(session: AsyncSession, candidate_id: int, **values: Any) -> None:
    await session.execute(update(Candidate).where(Candidate.id == candidate_id).values(**values))


async def mark_dropped(session: AsyncSession, candidate_id: int, on: date, reason: str) -> None:
    await set_candidate_fields(session, candidate_id, dropped_on=on, dropped_reason=reason)


async def lock_candidate(session: AsyncSession, candidate_id: int) -> None:
    """Row lock on PostgreSQL so two reports on one candidate serialise (SQLite: BEGIN IMMEDIATE)."""
    await session.execute(select(Candidate.id).where(Candidate.id == candidate_id).with_for_update())


async def free_member_name(session: AsyncSession, cell_id: int, wanted: str, year: int) -> str:
    """`wanted`, or "Name (2026)" when the cell already has a member of that name (names repeat;
    the member list keeps one row per name so imports can match rows)."""
    for name in (wanted, f"{wanted} ({year})", f"{wanted} ({year}, 2)", f"{wanted} ({year}, 3)"):
        taken = await session.scalar(select(Member.id).where(Member.cell_id == cell_id,
                                                             Member.full_name == name))
        if taken is None:
            return name
    raise ValueError(f"no free member name for {wanted!r}")  # pragma: no cover - four namesakes


async def linked_member_id(session: AsyncSession, candidate: CandidateInfo) -> int | None:
    """The member row of an admitted candidate: the stored link, or for rows written before the
    link existed (imports, demo data) the member with the same name admitted on the ceremony day."""
    if candidate.member_id is not None:
        return candidate.member_id
    ceremony = candidate.steps.get(Stage.CEREMONY)
    if ceremony is None:
        return None
    return await session.scalar(select(Member.id).where(
        Member.cell_id == candidate.cell_id, Member.full_name == candidate.full_name,
        Member.admitted_on == ceremony.on))


async def open_candidate_of_member(session: AsyncSession, member: Member) -> int | None:
    """The admission record still in probation (not closed) that made `member`: the stored link, or
    for rows written before it existed the candidate of the same name whose ceremony was on the
    admission day."""
    ceremony_on_admission = (
        select(CandidateEvent.id)
        .where(CandidateEvent.candidate_id == Candidate.id, CandidateEvent.stage == Stage.CEREMONY.value,
               CandidateEvent.happened_on == member.admitted_on)
        .exists()
    )
    return await session.scalar(select(Candidate.id).where(
        Candidate.cell_id == member.cell_id, Candidate.dropped_on.is_(None),
        Candidate.stage == Stage.CEREMONY.value,
        or_(Candidate.member_id == member.id,
            and_(Candidate.member_id.is_(None), Candidate.full_name == member.full_name,
                 ceremony_on_admission))).limit(1))


async def join_member_list(session: AsyncSession, candidate: CandidateInfo, admitted_on: date) -> int:
    """At the ceremony the person becomes a probationary member of the cell: a new member row,
    linked to the candidate (an existing member of the same name is someone else)."""
    existing = await linked_member_id(session, candidate)
    if existing is not None:
        await update_member(session, existing, status=MemberStatus.PROBATIONARY.value,
                            admitted_on=admitted_on, active=True, left_on=None,
                            joined_on=admitted_on, joined_how=JoinKind.ADMITTED.value, left_how="")
        return existing
    name = await free_member_name(session, candidate.cell_id, candidate.full_name, admitted_on.year)
    row = Member(cell_id=candidate.cell_id, full_name=name, status=MemberStatus.PROBATIONARY.value,
                 admitted_on=admitted_on, active=True,
                 joined_on=admitted_on, joined_how=JoinKind.ADMITTED.value)
    session.add(row)
    await session.flush()
    await set_candidate_fields(session, candidate.id, member_id=row.id)
    return row.id


async def update_member(session: AsyncSession, member_id: int, **values: Any) -> None:
    await session.execute(update(Member).where(Member.id == member_id).values(**values))


async def rename_member(session: AsyncSession, member_id: int, cell_id: int, name: str, year: int) -> None:
    current = await session.scalar(select(Member.full_name).where(Member.id == member_id))
    if current != name:
        await update_member(session, member_id,
                            full_name=await free_member_name(session, cell_id, name, year))
