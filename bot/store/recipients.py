"""Who hears about what: secretaries and committee members per cell, admins, and named absences.
Set-based: one query each, whatever the number of cells. Session first; never commits."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import ColumnElement, distinct, extract, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.roles import Role
from bot.store.models import Cell, CommitteeAssignment, Meeting, MeetingAbsence, Member, User


async def secretaries_by_cell(session: AsyncSession) -> dict[int, tuple[int, ...]]:
    rows = await session.execute(select(User.cell_id, User.id).where(
        User.active, User.role == Role.SECRETARY.value, User.cell_id.is_not(None)).order_by(User.id))
    out: dict[int, list[int]] = defaultdict(list)
    for cell_id, user_id in rows:
        out[cell_id].append(user_id)
    return {k: tuple(v) for k, v in out.items()}


async def committee_by_cell(session: AsyncSession) -> dict[int, tuple[int, ...]]:
    rows = await session.execute(
        select(CommitteeAssignment.cell_id, User.id)
        .join(User, User.id == CommitteeAssignment.user_id)
        .where(User.active, User.role == Role.COMMITTEE.value).order_by(User.id))
    out: dict[int, list[int]] = defaultdict(list)
    for cell_id, user_id in rows:
        out[cell_id].append(user_id)
    return {k: tuple(v) for k, v in out.items()}


def _of_ward(committee_id: int | None, only_ward: bool) -> ColumnElement[bool]:
    """Users of the ward `committee_id`; on a single-ward database (`only_ward`) also the users
    written without a committee, who belong to it."""
    if committee_id is None:
        return true()
    if only_ward:
        return or_(User.committee_id == committee_id, User.committee_id.is_(None))
    return User.committee_id == committee_id


async def admin_ids(
    session: AsyncSession, committee_id: int | None = None, *, only_ward: bool = True
) -> tuple[int, ...]:
    """The active admins (of the ward `committee_id`: nobody hears about another ward)."""
    rows = await session.scalars(select(User.id).where(
        User.active, User.role == Role.ADMIN.value, _of_ward(committee_id, only_ward)).order_by(User.id))
    return tuple(rows)


async def unreachable_users(
    session: AsyncSession, committee_id: int | None = None, *, only_ward: bool = True
) -> tuple[tuple[int, str, date], ...]:
    """(user id, name, since when) of active users (of the ward `committee_id`) who blocked the bot."""
    rows = await session.execute(select(User.id, User.display_name, User.unreachable_since).where(
        User.active, User.unreachable_since.is_not(None), _of_ward(committee_id, only_ward))
        .order_by(User.id))
    return tuple((i, n, since.date()) for i, n, since in rows)


async def unexcused_absences_named(
    session: AsyncSession, start: date, end: date, committee_id: int | None = None
) -> list[tuple[int, str, int, int]]:
    """(member id, name, cell id, months in [start, end] with an unexcused absence) for members
    with any. The rule counts months, not meetings: a regular and a thematic meeting missed in
    the same month are one month (DOMAIN.md, "3 months in a year")."""
    month = extract("year", Meeting.held_on) * 100 + extract("month", Meeting.held_on)
    # Months counted per member id first, names joined to that short list after: grouping the
    # absences by id alone is lighter than by (id, name, cell) over every absence row.
    months = (
        select(MeetingAbsence.member_id, func.count(distinct(month)).label("months"))
        .join(Meeting, Meeting.id == MeetingAbsence.meeting_id)
        .where(Meeting.held_on >= start, Meeting.held_on <= end, MeetingAbsence.excused.is_(False))
        .group_by(MeetingAbsence.member_id).subquery()
    )
    core = await session.connection()  # plain rows: tens of thousands in a province-sized ward
    query = (select(Member.id, Member.full_name, Member.cell_id, months.c.months)
             .join(months, months.c.member_id == Member.id).where(Member.active))
    if committee_id is not None:  # one ward's members only (a province sweeps ward by ward)
        query = query.join(Cell, Cell.id == Member.cell_id).where(Cell.committee_id == committee_id)
    rows = await core.execute(query)
    return [(m, n, c, int(k)) for m, n, c, k in rows.all()]
