"""Use-case: a secretary reports (or corrects) a cell meeting with its attendance."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from bot.config import RuleSettings
from bot.domain.errors import DomainError, InvalidInput
from bot.domain.meetings import MeetingDraft, MeetingInfo, check_attendance, check_meeting_date
from bot.domain.members import MemberInfo
from bot.domain.roles import Actor, Role, require_read, require_write
from bot.services.access import confirm_actor, require_ward_cell
from bot.store.audit import add_audit
from bot.store.committees import lock_cell_reports
from bot.store.db import Database
from bot.store.meetings import (
    get_meeting_on,
    list_active_members,
    save_meeting,
)


class MeetingExists(DomainError):
    """A meeting is already reported for that cell and date; offer to correct it instead."""

    code = "meeting_exists"


@dataclass(frozen=True)
class MeetingSaved:
    meeting: MeetingInfo
    corrected: bool


def _as_audit(m: MeetingInfo | MeetingDraft) -> dict[str, object]:
    data = dataclasses.asdict(m)
    data["held_on"] = m.held_on.isoformat()
    data["kind"] = m.kind.value
    data["excused_member_ids"] = list(m.excused_member_ids)
    data["unexcused_member_ids"] = list(m.unexcused_member_ids)
    return data


async def cell_members(db: Database, actor: Actor, cell_id: int) -> list[MemberInfo]:
    """The cell's active members (for picking absentees); empty when none were imported."""
    require_read(actor, cell_id)
    async with db.read() as session:
        await require_ward_cell(session, actor, cell_id)
        return await list_active_members(session, cell_id)


async def existing_meeting(db: Database, actor: Actor, cell_id: int, held_on: date) -> MeetingInfo | None:
    require_read(actor, cell_id)
    async with db.read() as session:
        await require_ward_cell(session, actor, cell_id)
        return await get_meeting_on(session, cell_id, held_on)


def check_report_date(actor: Actor, held_on: date, *, today: date, rules: RuleSettings) -> None:
    """Raises InvalidInput (reason "future" or "too_old") when `actor` may not report a meeting
    held on `held_on`; lets a conversation refuse the date at once, with the rule `record_meeting` applies."""
    check_meeting_date(held_on, today, rules.meeting_report_max_age_days,
                       may_backdate=actor.role is Role.ADMIN)


async def record_meeting(
    db: Database, actor: Actor, draft: MeetingDraft, *, today: date, rules: RuleSettings,
    correct_existing: bool = False,
) -> MeetingSaved:
    """Saves the meeting once per cell and date. A second report for the date raises MeetingExists
    unless `correct_existing`, in which case it replaces the first and the audit keeps both."""
    require_write(actor, draft.cell_id)
    check_report_date(actor, draft.held_on, today=today, rules=rules)
    check_attendance(draft)
    async with db.write() as session:
        await confirm_actor(session, actor)
        await require_ward_cell(session, actor, draft.cell_id)
        await lock_cell_reports(session, draft.cell_id)  # two saves at once: one wins, one is told
        members = {m.id for m in await list_active_members(session, draft.cell_id)}
        named = set(draft.excused_member_ids) | set(draft.unexcused_member_ids)
        if not named <= members:  # a forged id, or another cell's member
            raise InvalidInput(field="absent", reason="unknown_member")
        existing = await get_meeting_on(session, draft.cell_id, draft.held_on)
        if existing is not None and not correct_existing:
            raise MeetingExists(meeting_id=existing.id, held_on=draft.held_on.isoformat())
        meeting_id = await save_meeting(session, draft, actor.user_id,
                                        existing.id if existing else None)
        saved = await get_meeting_on(session, draft.cell_id, draft.held_on)
        assert saved is not None
        await add_audit(session, action="correct_meeting" if existing else "report_meeting",
                        entity="meeting", entity_id=meeting_id, actor_user_id=actor.user_id,
                        before=_as_audit(existing) if existing else None, after=_as_audit(saved))
    return MeetingSaved(saved, corrected=existing is not None)
