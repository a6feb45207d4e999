"""Two people (or one double tap on two devices) saving the same report at the same moment:
one row is written and every other save gets the friendly "already reported" refusal, on
both backends (PostgreSQL's READ COMMITTED lets both transactions read "nothing yet")."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import func, select

from bot.config import Settings
from bot.domain.candidates import Background, CandidateDraft, Gender
from bot.domain.dates import LooseDate
from bot.domain.errors import InvalidInput
from bot.domain.meetings import MeetingDraft, MeetingKind
from bot.domain.roles import Role
from bot.services.candidates import report_candidate
from bot.services.meetings import MeetingExists, record_meeting
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import Candidate, Cell, Meeting
from tests.conftest import add_actor

TODAY = date(2026, 11, 28)
RULES = Settings().rules
RACERS = 6


async def _cell(db: Database) -> int:
    async with db.write() as session:
        committee_id, _ = await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ", "")
        cell = Cell(committee_id=committee_id, name="Chi bộ tổ 16", kind="residential")
        session.add(cell)
        await session.flush()
        return cell.id


async def _count(db: Database, model: type) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_concurrent_meeting_reports_save_one_and_refuse_the_rest(db: Database) -> None:
    cell = await _cell(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    draft = MeetingDraft(cell_id=cell, held_on=date(2026, 11, 20), kind=MeetingKind.REGULAR, expected=4,
                         present=4, absent_excused=0, absent_unexcused=0, committee_member_attended=True)
    results = await asyncio.gather(
        *(record_meeting(db, sec, draft, today=TODAY, rules=RULES) for _ in range(RACERS)),
        return_exceptions=True)
    saved = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, MeetingExists)]
    assert (len(saved), len(refused)) == (1, RACERS - 1), results
    assert await _count(db, Meeting) == 1


async def test_concurrent_identical_candidate_reports_save_one_and_refuse_the_rest(db: Database) -> None:
    cell = await _cell(db)
    sec = await add_actor(db, Role.SECRETARY, cell_id=cell)
    draft = CandidateDraft(cell_id=cell, full_name="Nguyễn Thị Hoa", birth=LooseDate(2000, 5, 1),
                           gender=Gender.FEMALE, background=Background.YOUTH_UNION,
                           spotted_on=date(2025, 1, 10))
    results = await asyncio.gather(
        *(report_candidate(db, sec, draft, today=TODAY, rules=RULES) for _ in range(RACERS)),
        return_exceptions=True)
    saved = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results
               if isinstance(r, InvalidInput) and r.data.get("reason") == "duplicate_candidate"]
    assert (len(saved), len(refused)) == (1, RACERS - 1), results
    assert await _count(db, Candidate) == 1
