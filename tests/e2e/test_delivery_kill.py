"""A sender process killed with SIGKILL in the middle of a batch: a fresh sender finishes it,
nothing is lost and at most the one message in flight is sent twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from telegram import Bot

from bot.config import Settings
from bot.domain.roles import Role
from bot.jobs.sender import Sender
from bot.sandbox.emulator import BotApiEmulator
from bot.store.db import Database
from bot.store.models import Outbox
from bot.store.outbox import enqueue
from bot.store.users import upsert_user

TOKEN = "777:KILL-test-token"
PEOPLE = 40

NOON = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # 12:00 in Hà Nội: outside quiet hours

# The sender as `chibo run` would run it, in its own process, on a clock running at real speed
# from the given moment.
SENDER_PROCESS = """
import asyncio, sys, time
from datetime import datetime, timedelta
from telegram import Bot
from bot.config import Settings
from bot.jobs.sender import Sender
from bot.store.db import Database

async def main(url, base_url, token, start):
    db, began, start = Database(url), time.monotonic(), datetime.fromisoformat(start)
    clock = lambda: start + timedelta(seconds=time.monotonic() - began)
    async with Bot(token, base_url=base_url) as bot:
        await Sender(db, Settings(), clock).drain({"telegram": bot})

asyncio.run(main(*sys.argv[1:5]))
"""


async def test_a_sender_killed_mid_batch_loses_nothing_and_repeats_at_most_one(sqlite_db: Database) -> None:
    now = NOON
    emulator = BotApiEmulator(token=TOKEN)
    await emulator.start()
    try:
        rows = []
        async with sqlite_db.write() as session:
            for n in range(PEOPLE):
                chat = 940_000 + n
                user_id, _ = await upsert_user(session, channel="telegram", external_id=str(chat),
                                               chat_id=chat, display_name=f"Người {n}", role=Role.COMMITTEE,
                                               cell_id=None, cell_ids=frozenset())
                emulator.add_user(chat, first_name=f"Người {n}")
                rows.append({"rule": "quota_pace", "subject": f"cell:{n}", "period": "2026", "payload": {
                    "cell": "Chi bộ", "year": 2026, "admitted": 0, "quota": 1}, "recipient_user_id": user_id,
                    "due_at": now - timedelta(minutes=1), "message_group": "g", "created_at": now,
                    "attempts": 0})
            await enqueue(session, rows)
        emulator.inject_fault("sendMessage", None, delay=0.05, times=10_000)  # a batch takes a while
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", SENDER_PROCESS, sqlite_db.url, emulator.base_url, TOKEN, NOON.isoformat(),
            stderr=asyncio.subprocess.PIPE)
        try:
            await emulator.wait_until(lambda: len(emulator.calls("sendMessage")) >= 10, timeout=30,
                                      what="ten reminders sent by the doomed process")
            assert process.returncode is None, "it finished before it could be killed"
        finally:
            if process.returncode is None:
                os.kill(process.pid, signal.SIGKILL)
            await process.wait()
        first_part = len([c for c in emulator.calls("sendMessage") if c.status == 200])
        assert 10 <= first_part < PEOPLE, "killed mid-batch"
        # A fresh process after the dead one's lease ran out.
        async with Bot(TOKEN, base_url=emulator.base_url) as bot:
            later = NOON + timedelta(minutes=3)
            await Sender(sqlite_db, Settings(), lambda: later).drain({"telegram": bot})
        got = Counter(int(c.params["chat_id"]) for c in emulator.calls("sendMessage")
                      if c.status in (200, None))  # None: it arrived, then its sender died
        assert set(got) == {940_000 + n for n in range(PEOPLE)}  # nothing lost
        assert sum(got.values()) - PEOPLE <= 1  # at most the one in flight, twice
        async with sqlite_db.read() as session:
            unsent = await session.scalar(
                select(func.count()).select_from(Outbox).where(Outbox.sent_at.is_(None)))
        assert unsent == 0
    finally:
        await emulator.stop()
