"""End-to-end fixtures: the real Application over HTTP against the local Bot API emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.config import Settings
from bot.sandbox.local import LocalBot, ManualClock
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import Cell

# 10:00 in Hà Nội on a Saturday; tests move it when they need to.
START = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def small_ward(sqlite_db: Database) -> dict[str, int]:
    """A committee with three residential cells and no users."""
    async with sqlite_db.write() as session:
        committee_id, _ = await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ",
                                                 "Thành ủy Thái Nguyên")
        cells = [Cell(committee_id=committee_id, name=n, kind="residential")
                 for n in ("Chi bộ tổ 16", "Chi bộ tổ 3", "Chi bộ tổ 5")]
        session.add_all(cells)
        await session.flush()
        return {c.name: c.id for c in cells}


@pytest.fixture
async def local_bot(sqlite_db: Database, clock: ManualClock) -> AsyncIterator[LocalBot]:
    bot = LocalBot(Settings(), sqlite_db, clock=clock)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


@pytest.fixture
async def demo_bot(sqlite_db: Database, clock: ManualClock) -> AsyncIterator[LocalBot]:
    """The demo ward (generated for START's date) behind a running bot; the demo users are
    registered already: DEMO_USERS["secretary"] is the secretary of "Chi bộ tổ 16"."""
    from bot.store.demo import DEMO_USERS, demo_display_name, write_demo_ward

    await write_demo_ward(sqlite_db, today=START.date())
    bot = LocalBot(Settings(), sqlite_db, clock=clock, idle_seconds=2.0)
    await bot.start()
    for role, user_id in DEMO_USERS.items():
        bot.add_user(user_id, demo_display_name(role))
    try:
        yield bot
    finally:
        await bot.stop()
