"""Meetings and named absences. Session first; never commits; returns dataclasses."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.cells import fold_name
from bot.domain.meetings import MeetingDraft, MeetingInfo, MeetingKind
from bot.domain.members import MemberInfo
from bot.store.models import Meeting, MeetingAbsence, Member
from bot.store.slices import slices


async def get_meeting_on(session: AsyncSession, cell_id: int, held_on: date) -> MeetingInfo | None:
    row = (await session.scalars(
        select(Meeting).where(Meeting.cell_id == cell_id, Meeting.held_on == held_on)
    )).first()
    return await _info(session, row) if row else None


async def last_meetings(
    session: AsyncSession, cell_ids: list[int], on_or_before: date
) -> dict[int, MeetingInfo]:
    """Each cell's latest meeting up to `on_or_before`, in two queries per slice of cells."""
    out: dict[int, MeetingInfo] = {}
    for some in slices(cell_ids):
        latest = (
            select(Meeting.cell_id, func.max(Meeting.held_on).label("held_on"))
            .where(Meeting.cell_id.in_(some), Meeting.held_on <= on_or_before)
            .group_by(Meeting.cell_id).subquery()
        )
        rows = list(await session.scalars(select(Meeting).join(
            latest, (Meeting.cell_id == latest.c.cell_id) & (Meeting.held_on == latest.c.held_on))))
        absences = await session.execute(
            select(MeetingAbsence.meeting_id, MeetingAbsence.member_id, MeetingAbsence.excused)
            .where(MeetingAbsence.meeting_id.in_([r.id for r in rows])).order_by(MeetingAbsence.id))
        by_meeting: dict[int, list[tuple[int, bool]]] = {}
        for meeting_id, member_id, excused in absences:
            by_meeting.setdefault(meeting_id, []).append((member_id, excused))
        out |= {r.cell_id: _as_info(r, by_meeting.get(r.id, [])) for r in rows}
    return out


async def _info(session: AsyncSession, row: Meeting) -> MeetingInfo:
    absences = (await session.execute(
        select(MeetingAbsence.member_id, MeetingAbsence.excused)
        .where(MeetingAbsence.meeting_id == row.id).order_by(MeetingAbsence.id)
    )).all()
    return _as_info(row, [(m, e) for m, e in absences])


def _as_info(row: Meeting, absences: list[tuple[int, bool]]) -> MeetingInfo:
    return MeetingInfo(
        row.cell_id, row.held_on, MeetingKind(row.kind), row.expected, row.present,
        row.absent_excused, row.absent_unexcused, row.committee_member_attended,
        tuple(m for m, excused in absences if excused),
        tuple(m for m, excused in absences if not excused), id=row.id,
    )


async def save_meeting(
    session: AsyncSession, draft: MeetingDraft, user_id: int | None, existing_id: int | None
) -> int:
    """Insert, or overwrite the meeting `existing_id` (a correction; the caller audits it)."""
    row = await session.get(Meeting, existing_id) if existing_id else None
    if row is None:
        row = Meeting(cell_id=draft.cell_id, held_on=draft.held_on)
        session.add(row)
    row.held_on = draft.held_on
    row.kind = draft.kind.value
    row.expected = draft.expected
    row.present = draft.present
    row.absent_excused = draft.absent_excused
    row.absent_unexcused = draft.absent_unexcused
    row.committee_member_attended = draft.committee_member_attended
    row.reported_by = user_id
    await session.flush()
    await session.execute(delete(MeetingAbsence).where(MeetingAbsence.meeting_id == row.id))
    session.add_all(
        [MeetingAbsence(meeting_id=row.id, member_id=m, excused=True) for m in draft.excused_member_ids]
        + [MeetingAbsence(meeting_id=row.id, member_id=m, excused=False)
           for m in draft.unexcused_member_ids]
    )
    return row.id


async def list_active_members(session: AsyncSession, cell_id: int) -> list[MemberInfo]:
    rows = await session.execute(
        select(Member.id, Member.full_name, Member.status)
        .where(Member.cell_id == cell_id, Member.active)
    )
    # Sorted as a Vietnamese reader expects ("Đỗ" beside "Do", not after "Z"), not by code point.
    return sorted((MemberInfo(i, n, s) for i, n, s in rows), key=lambda m: fold_name(m.full_name))
