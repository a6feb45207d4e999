"""Meeting reports through the service on both backends: once per date, corrections audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.domain.errors import InvalidInput, PermissionDenied
from bot.domain.meetings import MeetingDraft, MeetingKind
from bot.domain.roles import Role
from bot.services.meetings import MeetingExists, cell_members, record_meeting
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import AuditLog, Cell, Meeting, MeetingAbsence, Member
from tests.conftest import add_actor

TODAY = date(2026, 11, 28)
RULES = Settings().rules


async def _cell_with_members(db: Database) -> tuple[int, int, list[int]]:
    async with db.write() as session:
        committee_id, _ = await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ", "")
        cell = Cell(committee_id=committee_id, name="Chi bộ tổ 16", kind="residential")
        other = Cell(committee_id=committee_id, name="Chi bộ tổ 3", kind="residential")
        session.add_all([cell, other])
        await session.flush()
        members = [Member(cell_id=cell.id, full_name=n, status="full", active=True)
                   for n in ("Lê Văn An", "Trần Thị Bình", "Phạm Văn Cường", "Đỗ Thị Dung")]
        stranger = Member(cell_id=other.id, full_name="Ngô Văn Em", status="full", active=True)
        session.add_all([*members, stranger])
        await session.flush()
        return cell.id, other.id, [m.id for m in members] + [stranger.id]


def _draft(cell: int, **kw: object) -> MeetingDraft:
    base = dict(cell_id=cell, held_on=date(2026, 11, 20), kind=MeetingKind.REGULAR, expected=4, present=2,
                absent_excused=1, absent_unexcused=1, committee_member_attended=True)
    base.update(kw)
    return MeetingDraft(**base)  # type: ignore[arg-type]


async def test_meeting_saved_once_then_corrected(db: Database) -> None:
    cell, _, ids = await _cell_with_members(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    names = [m.full_name for m in await cell_members(db, sec, cell)]
    assert names == ["Đỗ Thị Dung", "Lê Văn An", "Phạm Văn Cường", "Trần Thị Bình"]
    first = await record_meeting(db, sec, _draft(cell, excused_member_ids=(ids[0],),
                                                 unexcused_member_ids=(ids[1],)), today=TODAY, rules=RULES)
    assert not first.corrected and first.meeting.unexcused_member_ids == (ids[1],)
    with pytest.raises(MeetingExists):
        await record_meeting(db, sec, _draft(cell, present=3, absent_unexcused=0), today=TODAY, rules=RULES)
    fixed = await record_meeting(db, sec, _draft(cell, present=3, absent_unexcused=0), today=TODAY,
                                 rules=RULES, correct_existing=True)
    assert fixed.corrected and fixed.meeting.present == 3 and fixed.meeting.id == first.meeting.id
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 1
        assert await session.scalar(select(func.count()).select_from(MeetingAbsence)) == 0
        audit = (await session.scalars(select(AuditLog).where(AuditLog.action == "correct_meeting"))).one()
    assert audit.before["present"] == 2 and audit.after["present"] == 3  # type: ignore[index]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [({"held_on": date(2026, 11, 29)}, "future"),
     ({"held_on": date(2026, 9, 1)}, "too_old"),
     ({"present": 5, "absent_excused": 0, "absent_unexcused": 0}, "present_exceeds_expected"),
     ({"present": 1}, "counts_do_not_add_up"),
     ({"expected": 0, "present": 0, "absent_excused": 0, "absent_unexcused": 0}, "count_range")],
)
async def test_bad_reports_change_nothing(db: Database, changes: dict, reason: str) -> None:  # type: ignore[type-arg]
    cell, _, _ = await _cell_with_members(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    with pytest.raises(InvalidInput) as info:
        await record_meeting(db, sec, _draft(cell, **changes), today=TODAY, rules=RULES)
    assert info.value.data["reason"] == reason
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 0


async def test_absentee_from_another_cell_and_other_secretary_are_refused(db: Database) -> None:
    cell, other, ids = await _cell_with_members(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    with pytest.raises(InvalidInput) as info:
        draft = _draft(cell, excused_member_ids=(ids[0],), unexcused_member_ids=(ids[4],))
        await record_meeting(db, sec, draft, today=TODAY, rules=RULES)
    assert info.value.data["reason"] == "unknown_member"
    intruder = await add_actor(db, Role.SECRETARY, cell_id=other)
    with pytest.raises(PermissionDenied):
        await record_meeting(db, intruder, _draft(cell), today=TODAY, rules=RULES)
    admin = await add_actor(db, Role.ADMIN)
    old = await record_meeting(db, admin, _draft(cell, held_on=date(2026, 6, 1)), today=TODAY, rules=RULES)
    assert old.meeting.held_on == date(2026, 6, 1)  # admins may report late
