"""Reminders for a ward whose people are on both channels: each goes out once, on its own channel,
through 429s and 5xx errors injected on each platform."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import select, update

from bot.config import Settings
from bot.demo.write import write_demo_ward
from bot.domain.channels import TELEGRAM, ZALO, sample_external_id
from bot.jobs.sender import Sender
from bot.sandbox.local import LocalBot, ManualClock
from bot.sandbox.zalo_local import ZaloLocalBot
from bot.services.reminders import run_due_sweeps, scheduled_moment
from bot.store.db import Database
from bot.store.models import Outbox, User
from bot.texts import t

SETTINGS = Settings()
SWEEP_DAY = date(2026, 12, 1)


async def _move_every_other_person_to_zalo(db: Database) -> dict[int, tuple[str, str]]:
    """Half the demo users re-registered on Zalo; user id → (channel, chat id)."""
    async with db.write() as session:
        rows = (await session.execute(select(User.id, User.external_id).where(User.active))).all()
        for user_id, external in rows:
            if user_id % 2 == 0:
                zid = sample_external_id(ZALO, int(external))
                await session.execute(update(User).where(User.id == user_id).values(
                    channel=ZALO, external_id=zid, chat_id=zid))
    async with db.read() as session:
        people = (await session.execute(select(User.id, User.channel, User.chat_id, User.display_name)
                                        .where(User.active))).all()
    return {uid: (channel, chat) for uid, channel, chat, _ in people}


async def _unsent(db: Database) -> int:
    async with db.read() as session:
        rows = await session.scalars(
            select(Outbox.id).where(Outbox.sent_at.is_(None), Outbox.gave_up_at.is_(None)))
        return len(list(rows))


async def test_a_sweep_reaches_each_person_once_on_their_own_channel(
    sqlite_db: Database, clock: ManualClock,
) -> None:
    await write_demo_ward(sqlite_db, today=date(2026, 11, 28))
    people = await _move_every_other_person_to_zalo(sqlite_db)
    assert {channel for channel, _ in people.values()} == {TELEGRAM, ZALO}
    async with LocalBot(SETTINGS, sqlite_db, clock=clock) as telegram, \
            ZaloLocalBot(SETTINGS, sqlite_db, clock=clock) as zalo:
        for channel, chat in people.values():
            if channel == TELEGRAM:
                telegram.emulator.add_user(int(chat), first_name="Đồng chí")
            else:
                zalo.zalo.add_user(chat, "Đồng chí")
        clock.now = scheduled_moment(SWEEP_DAY, SETTINGS)
        results = await run_due_sweeps(sqlite_db, SETTINGS, clock())
        recipients = {p.reminder.recipient for r in results for p in r.planned if not p.skipped}
        assert recipients
        for emulator in (telegram.emulator, zalo.zalo):
            emulator.inject_fault("sendMessage", 429, retry_after=1, times=2)
            emulator.inject_fault("sendMessage", 502, times=2)
        assert telegram.app is not None and zalo.app is not None
        bots = {TELEGRAM: telegram.app.bot, ZALO: zalo.app.bot}
        sender = Sender(sqlite_db, SETTINGS, clock)
        for _ in range(10):
            await sender.drain(bots)
            if await _unsent(sqlite_db) == 0:
                break
            clock.now += timedelta(minutes=10)
        assert await _unsent(sqlite_db) == 0
        header = t("rm.header", "vi")
        on_telegram = Counter(m.chat_id for chat in telegram.emulator.users
                              for m in telegram.emulator.messages(chat) if (m.text or "").startswith(header))
        on_zalo = Counter(m.chat_id for m in zalo.zalo.sent if m.text.startswith(header))
    expected_telegram = Counter({int(people[u][1]): 1 for u in recipients if people[u][0] == TELEGRAM})
    expected_zalo = Counter({people[u][1]: 1 for u in recipients if people[u][0] == ZALO})
    assert expected_telegram and expected_zalo
    assert on_telegram == expected_telegram and on_zalo == expected_zalo
    zalo_errors = Counter(c.error_code for c in zalo.zalo.calls_of("sendMessage") if not c.ok)
    assert zalo_errors[429] == 2 and zalo_errors[502] == 2
