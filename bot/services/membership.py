"""Use-cases: a member transferred in, or leaving (transferred out, died, struck off, expelled),
recorded by the cell's secretary or the admin; and the plan's quotas, set by the admin.

Each is one transaction with one audit row; a member's join or leave date decides in which year's
figures the change counts (bot.services.yearfigures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from bot.domain.members import MemberInfo, MemberStatus
from bot.domain.membership import JoinKind, LeaveKind, left_reason
from bot.domain.roles import Actor, Role, require_admin, require_read, require_write
from bot.domain.text import tidy
from bot.services.access import require_ward_cell
from bot.services.yearfigures import ward_of
from bot.store.audit import add_audit
from bot.store.candidates import free_member_name, mark_dropped, open_candidate_of_member
from bot.store.committees import PROVINCE, CommitteeInfo, get_cell, get_committee, lock_cell_reports
from bot.store.db import Database
from bot.store.meetings import list_active_members
from bot.store.membership import member_named, member_row, quota_rows, set_quota, snapshot
from bot.store.models import Member

MAX_NAME = 120
MAX_QUOTA = 999
MAX_SET_BY = 200


async def cell_members(db: Database, actor: Actor, cell_id: int) -> list[MemberInfo]:
    """The cell's members today, for picking who left."""
    require_read(actor, cell_id)
    async with db.read() as session:
        await require_ward_cell(session, actor, cell_id)
        return await list_active_members(session, cell_id)


def _check_day(on: date, today: date) -> None:
    if on > today:
        raise InvalidInput(field="date", reason="future", value=on.isoformat())


async def record_transfer_in(
    db: Database, actor: Actor, cell_id: int, full_name: str, status: MemberStatus, on: date, *, today: date,
) -> int:
    """A member transferred into the cell on `on`: a new member row. Refused when a current member
    has that name. A member of that name who left keeps their row (their years stay counted, their
    leaving recorded): the newcomer is "Name (2026)", as a namesake admitted at a ceremony is."""
    require_write(actor, cell_id)
    name = tidy(full_name)
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(field="full_name", reason="length", limit=MAX_NAME)
    _check_day(on, today)
    async with db.write() as session:
        await lock_cell_reports(session, cell_id)
        if await get_cell(session, cell_id, actor.committee_id) is None:
            raise NotFound(entity="cell")
        row = await member_named(session, cell_id, name)
        if row is not None and row.active:
            raise DomainError("member.exists", name=name)
        row = Member(cell_id=cell_id, full_name=await free_member_name(session, cell_id, name, on.year),
                     status=status.value, active=True, left_on=None, left_how="", left_note="",
                     joined_on=on, joined_how=JoinKind.TRANSFERRED_IN.value)
        session.add(row)
        await session.flush()
        await add_audit(session, action="member.transfer_in", entity="member", entity_id=row.id,
                        actor_user_id=actor.user_id, before=None, after=snapshot(row))
        return row.id


async def record_leaving(
    db: Database, actor: Actor, member_id: int, how: LeaveKind, on: date, *, today: date,
) -> str:
    """A member left the cell on `on` (transferred out, died, struck off, expelled); returns
    their name. Refused for someone already gone, or a date before they joined."""
    if how is LeaveKind.UNKNOWN:
        raise InvalidInput(field="reason", reason="unknown")
    _check_day(on, today)
    async with db.write() as session:
        row = await member_row(session, member_id)
        if row is None:
            raise NotFound(entity="member")
        require_write(actor, row.cell_id)
        await require_ward_cell(session, actor, row.cell_id)
        if not row.active:
            raise DomainError("member.already_left", name=row.full_name)
        joined = row.joined_on or row.admitted_on
        if joined is not None and on < joined:
            raise InvalidInput(field="date", reason="before_joined", value=joined.isoformat())
        before = snapshot(row)
        row.active, row.left_on, row.left_how = False, on, how.value
        # A probationary member leaving ends their probation: no review to hold, no reminder.
        probation = await open_candidate_of_member(session, row)
        if probation is not None:
            await mark_dropped(session, probation, on, left_reason(how))
            await add_audit(session, action="drop", entity="candidate", entity_id=probation,
                            actor_user_id=actor.user_id, before=None,
                            after={"dropped_on": on.isoformat(), "reason": left_reason(how)})
        await session.flush()
        await add_audit(session, action="member.leave", entity="member", entity_id=row.id,
                        actor_user_id=actor.user_id, before=before, after=snapshot(row))
        return row.full_name


@dataclass(frozen=True)
class QuotaNow:
    quota: int | None  # None: nothing set for that year yet
    set_by: str


async def _quota_ward(
    session: AsyncSession, actor: Actor, cell_id: int | None, ward_id: int | None
) -> CommitteeInfo:
    """Whose plan the actor sets: an admin their own ward's (a cell's, or the ward's); the
    province only a ward's own quota, for one of its wards (`ward_id`)."""
    if actor.role is Role.PROVINCE:
        if cell_id is not None:
            raise PermissionDenied(reason="admin_only")  # cells are the ward's to plan
        return await ward_of(session, actor, ward_id)
    require_admin(actor)
    committee = await get_committee(session, actor.committee_id)
    if committee is None:
        raise DomainError("committee_missing")
    return committee


async def current_quota(
    db: Database, actor: Actor, cell_id: int | None, year: int, ward_id: int | None = None
) -> QuotaNow:
    """What the plan says now for the cell (or the ward, `cell_id` None) in `year`."""
    if actor.role is not Role.PROVINCE:
        require_admin(actor)
    async with db.read() as session:
        committee = await _quota_ward(session, actor, cell_id, ward_id)
        row = await quota_rows(session, committee.id, cell_id, year)
    return QuotaNow(row.quota, row.set_by) if row is not None else QuotaNow(None, "")


async def plan_quota(
    db: Database, actor: Actor, cell_id: int | None, year: int, quota: int, set_by: str,
    ward_id: int | None = None,
) -> None:
    """The admin sets a cell's quota for `year` (or the ward's, `cell_id` None) and who set it;
    the province sets the ward `ward_id`'s own."""
    if actor.role is not Role.PROVINCE:
        require_admin(actor)
    if not 0 <= quota <= MAX_QUOTA:
        raise InvalidInput(field="quota", reason="range", limit=MAX_QUOTA)
    set_by = tidy(set_by)
    if len(set_by) > MAX_SET_BY:
        raise InvalidInput(field="set_by", reason="length", limit=MAX_SET_BY)
    async with db.write() as session:
        committee = await _quota_ward(session, actor, cell_id, ward_id)
        if cell_id is not None and await get_cell(session, cell_id, committee.id) is None:
            raise NotFound(entity="cell")
        row_id, before = await set_quota(session, committee.id, cell_id, year, quota, set_by)
        await add_audit(session, action="quota.set", entity="cell_quota" if cell_id else "year_quota",
                        entity_id=row_id, actor_user_id=actor.user_id, before=before,
                        after={"committee_id": committee.id, "cell_id": cell_id, "year": year,
                               "quota": quota, "set_by": set_by})


async def superior_name(db: Database, actor: Actor | None = None) -> str:
    """The superior committee's name of the actor's ward ("Thành ủy Thái Nguyên"), for "… giao"."""
    async with db.read() as session:
        committee = await get_committee(session, actor.committee_id if actor else None)
    if committee is not None and committee.kind == PROVINCE:
        return committee.name  # the province sets the quota itself
    return committee.superior_name if committee else ""
