"""The acting user is checked again inside each write: someone replaced (or re-roled, or
deactivated) after the handler looked them up cannot write even once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, update

from bot.config import Settings
from bot.domain.candidates import Background, CandidateDraft, Gender
from bot.domain.dates import LooseDate
from bot.domain.errors import PermissionDenied
from bot.domain.meetings import MeetingDraft, MeetingKind
from bot.domain.roles import Actor, Role
from bot.domain.stages import Stage
from bot.services.candidates import drop_candidate, record_step, report_candidate
from bot.services.meetings import record_meeting
from bot.services.onboarding import create_invite, redeem_invite
from bot.services.reminder_prefs import snooze_all
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import Candidate, Cell, Meeting, User
from tests.conftest import add_actor

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
SETTINGS = Settings()


async def _cell(db: Database) -> int:
    async with db.write() as session:
        committee_id, _ = await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ", "")
        cell = Cell(committee_id=committee_id, name="Chi bộ tổ 16", kind="residential")
        session.add(cell)
        await session.flush()
        return cell.id


def _meeting(cell: int) -> MeetingDraft:
    return MeetingDraft(cell_id=cell, held_on=date(2026, 11, 20), kind=MeetingKind.REGULAR, expected=4,
                        present=4, absent_excused=0, absent_unexcused=0, committee_member_attended=True)


def _candidate(cell: int) -> CandidateDraft:
    return CandidateDraft(cell_id=cell, full_name="Nguyễn Thị Hoa", birth=LooseDate(2000, 5, 1),
                          gender=Gender.FEMALE, background=Background.YOUTH_UNION,
                          spotted_on=date(2025, 1, 10))


async def _replace_secretary(db: Database) -> None:
    """A new secretary registers for the cell with an invite: the old one loses access."""
    invite = await create_invite(db, SETTINGS, role=Role.SECRETARY, cell_names_=["Chi bộ tổ 16"],
                                 now=NOW, actor_label="cli")
    await redeem_invite(db, channel="telegram", external_id="777", chat_id=777,
                        display_name="Bí thư mới", typed_code=invite.code, now=NOW)


async def _count(db: Database, model: type) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_replaced_secretary_cannot_report_a_meeting(db: Database) -> None:
    cell = await _cell(db)
    old = await add_actor(db, Role.SECRETARY, cell_id=cell)  # what acting() read a moment ago
    await _replace_secretary(db)
    with pytest.raises(PermissionDenied) as info:
        await record_meeting(db, old, _meeting(cell), today=TODAY, rules=SETTINGS.rules)
    assert info.value.data["reason"] == "access_lost"
    assert await _count(db, Meeting) == 0


async def test_a_replaced_secretary_cannot_report_or_advance_a_candidate(db: Database) -> None:
    cell = await _cell(db)
    old = await add_actor(db, Role.SECRETARY, cell_id=cell)
    saved = await report_candidate(db, old, _candidate(cell), today=TODAY, rules=SETTINGS.rules)
    await _replace_secretary(db)
    with pytest.raises(PermissionDenied, match="access_lost"):
        await report_candidate(db, old, _candidate(cell), today=TODAY, rules=SETTINGS.rules)
    with pytest.raises(PermissionDenied, match="access_lost"):
        await record_step(db, old, saved.candidate.id, Stage.COURSE, date(2025, 3, 1), today=TODAY)
    with pytest.raises(PermissionDenied, match="access_lost"):
        await drop_candidate(db, old, saved.candidate.id, reason="chuyển đi", on=TODAY, today=TODAY)
    assert await _count(db, Candidate) == 1
    async with db.read() as session:
        stage = await session.scalar(select(Candidate.stage))
    assert stage == Stage.SPOTTED.value


@pytest.mark.parametrize("change", [
    {"active": False},
    {"role": Role.COMMITTEE.value, "cell_id": None},
    {"cell_id": "other"},
])
async def test_an_actor_whose_role_or_cell_changed_cannot_write(db: Database, change: dict) -> None:
    cell = await _cell(db)
    async with db.write() as session:
        other = Cell(committee_id=1, name="Chi bộ tổ 3", kind="residential")
        session.add(other)
        await session.flush()
        other_id = other.id
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    values = {k: (other_id if v == "other" else v) for k, v in change.items()}
    async with db.write() as session:
        await session.execute(update(User).where(User.id == sec.user_id).values(**values))
    with pytest.raises(PermissionDenied, match="access_lost"):
        await record_meeting(db, sec, _meeting(cell), today=TODAY, rules=SETTINGS.rules)
    with pytest.raises(PermissionDenied, match="access_lost"):
        await snooze_all(db, SETTINGS, sec, 7, NOW)


async def test_an_unknown_actor_cannot_write(db: Database) -> None:
    cell = await _cell(db)
    ghost = Actor(user_id=9999, role=Role.SECRETARY, cell_id=cell)
    with pytest.raises(PermissionDenied, match="access_lost"):
        await record_meeting(db, ghost, _meeting(cell), today=TODAY, rules=SETTINGS.rules)


async def test_an_unchanged_actor_still_writes(db: Database) -> None:
    cell = await _cell(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    await record_meeting(db, sec, _meeting(cell), today=TODAY, rules=SETTINGS.rules)
    assert await _count(db, Meeting) == 1
