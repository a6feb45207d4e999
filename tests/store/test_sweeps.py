"""Sweeps on both backends: decided once whatever happens, caught up after downtime, quiet hours kept."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot.config import Settings
from bot.services.reminders import run_due_sweeps, scheduled_moment, sweep
from bot.store.db import Database
from bot.store.demo import write_demo_ward
from bot.store.models import JobRun, Outbox

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
