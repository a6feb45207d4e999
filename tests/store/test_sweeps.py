"""Sweeps on both backends: decided once whatever happens, caught up after downtime, quiet hours kept."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot.config import Settings
from bot.demo.write import write_demo_ward
from bot.domain.roles import Role
from bot.domain.stages import Stage
from bot.services.reminders import run_due_sweeps, scheduled_moment, sweep
from bot.services.status import ward_summary
from bot.store.db import Database
from bot.store.models import Candidate, CandidateEvent, JobRun, Meeting, MeetingAbsence, Member, Outbox
from bot.store.recipients import unexcused_absences_named
from tests.conftest import add_actor

SETTINGS = Settings()
TODAY = date(2026, 11, 28)


async def _outbox(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Outbox)) or 0)


async def _keys(db: Database) -> set[tuple[str, str, str, int]]:
    async with db.read() as session:
        rows = await session.execute(
            select(Outbox.rule, Outbox.subject, Outbox.period, Outbox.recipient_user_id))
        return {(r, s, p, u) for r, s, p, u in rows}


async def test_a_sweep_run_twice_or_concurrently_queues_once(db: Database) -> None:
    await write_demo_ward(db, today=TODAY)
    as_of = date(2026, 12, 1)
    now = scheduled_moment(as_of, SETTINGS)
    first = await sweep(db, SETTINGS, as_of=as_of, now=now)
    assert first.queued > 10 and first.queued == await _outbox(db)
    again = await sweep(db, SETTINGS, as_of=as_of, now=now)
    assert again.queued == 0 and len(again.planned) == len(first.planned)
    # Three replicas sweeping the next date at once still queue each new reminder exactly once.
    later = date(2026, 12, 7)
    before = await _keys(db)
    racing = await asyncio.gather(*(sweep(db, SETTINGS, as_of=later, now=scheduled_moment(later, SETTINGS))
                                     for _ in range(3)))
    wanted = {(p.reminder.rule.value, p.reminder.subject, p.reminder.period, p.reminder.recipient)
              for p in racing[0].planned if not p.skipped}
    assert wanted - before, "the later date must decide something new, or the race proves nothing"
    assert sum(r.queued for r in racing) == len(wanted - before)
    assert await _keys(db) == before | wanted


async def test_dry_run_changes_nothing(db: Database) -> None:
    await write_demo_ward(db, today=TODAY)
    as_of = date(2026, 10, 1)
    result = await sweep(db, SETTINGS, as_of=as_of, now=scheduled_moment(as_of, SETTINGS), dry_run=True)
    assert result.planned and result.queued == 0 and await _outbox(db) == 0


async def test_catch_up_sweeps_every_missed_date_once(db: Database) -> None:
    await write_demo_ward(db, today=TODAY)
    # First ever run at 09:00 on 30/11: only that day's sweep.
    first = await run_due_sweeps(db, SETTINGS, datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
    assert [r.as_of for r in first] == [date(2026, 11, 30)]
    # Down until 06:00 on 03/12 (before the 08:00 sweep): 01/12 and 02/12 are swept now.
    back = await run_due_sweeps(db, SETTINGS, datetime(2026, 12, 2, 23, 0, tzinfo=UTC))
    assert [r.as_of for r in back] == [date(2026, 12, 1), date(2026, 12, 2)]
    assert any(r.queued for r in back)  # 01/12 is a quota day: something was due
    assert await run_due_sweeps(db, SETTINGS, datetime(2026, 12, 2, 23, 30, tzinfo=UTC)) == []
    async with db.read() as session:
        run = await session.get(JobRun, "daily_sweep")
    assert run is not None and run.last_due_at == scheduled_moment(date(2026, 12, 2), SETTINGS)


async def test_reminders_decided_in_quiet_hours_wait_for_the_morning(db: Database) -> None:
    await write_demo_ward(db, today=TODAY)
    late = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)  # 22:30 in Hà Nội
    result = await sweep(db, SETTINGS, as_of=date(2026, 12, 1), now=late)
    queued = [p for p in result.planned if not p.skipped]
    assert queued and all(p.due_at == datetime(2026, 12, 2, 0, 0, tzinfo=UTC) for p in queued)  # 07:00
    async with db.read() as session:
        earliest = await session.scalar(select(func.min(Outbox.due_at)))
    assert earliest is not None and earliest >= late + timedelta(hours=8, minutes=30)


async def test_absences_count_months_and_late_drop_outs_keep_past_figures(db: Database) -> None:
    """Two meetings missed in one month are one month; a 2025 drop-out stays admitted in 2024."""

    await write_demo_ward(db, today=TODAY)
    async with db.write() as session:
        member = (await session.scalars(select(Member).where(Member.full_name.is_not(None)).limit(1))).one()
        for day in (date(2026, 2, 3), date(2026, 2, 24), date(2026, 3, 10)):
            meeting = Meeting(cell_id=member.cell_id, held_on=day, kind="regular", expected=2, present=1,
                              absent_excused=0, absent_unexcused=1, committee_member_attended=True)
            session.add(meeting)
            await session.flush()
            session.add(MeetingAbsence(meeting_id=meeting.id, member_id=member.id, excused=False))
    async with db.read() as session:
        counts = {m: n for m, _, _, n in await unexcused_absences_named(session, date(2026, 2, 1),
                                                                        date(2026, 3, 31))}
    assert counts[member.id] == 2  # February (twice) and March
    admin = await add_actor(db, Role.ADMIN)
    before = (await ward_summary(db, admin, year=2024, today=TODAY, settings=SETTINGS)).progress.admitted
    async with db.write() as session:  # someone admitted in 2024 leaves in 2025
        admitted_2024 = (await session.scalars(
            select(Candidate).join(CandidateEvent, CandidateEvent.candidate_id == Candidate.id)
            .where(CandidateEvent.stage == Stage.DECISION.value,
                   CandidateEvent.happened_on.between(date(2024, 1, 1), date(2024, 12, 31)))
            .limit(1))).one()
        admitted_2024.dropped_on = date(2025, 6, 1)
        admitted_2024.dropped_reason = "Chuyển đi nơi khác"
    after = (await ward_summary(db, admin, year=2024, today=TODAY, settings=SETTINGS)).progress.admitted
    assert after == before
