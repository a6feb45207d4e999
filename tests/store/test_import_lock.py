"""A large members import must not lock every other writer out while it runs: the file is
checked and the changes planned before the write transaction, which then only writes (in bulk)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from bench.import_lock import TODAY, WriteLockTimer, members_csv, ward_database
from bot.services.importing import import_members
from bot.store.models import Member

ROWS = 20_000
MAX_LOCK_SECONDS = 1.5  # the whole import takes several times this on a slow machine


class OtherWriter(threading.Thread):
    """Another process's writer (the bot, another `chibo` command): takes the write lock every
    few milliseconds, waiting at most `timeout` seconds for it as a busy timeout would."""

    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__(daemon=True)
        self.path, self.timeout = path, timeout
        self.done = threading.Event()
        self.writes, self.failures, self.longest_wait = 0, [], 0.0

    def run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            while not self.done.is_set():
                start = time.perf_counter()
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("COMMIT")
                    self.writes += 1
                except sqlite3.OperationalError as exc:  # "database is locked"
                    self.failures.append(str(exc))
                self.longest_wait = max(self.longest_wait, time.perf_counter() - start)
                time.sleep(0.01)
        finally:
            conn.close()


async def test_a_large_import_leaves_other_writers_a_turn(tmp_path: Path) -> None:
    db = await ward_database(tmp_path, ROWS)
    data = members_csv(ROWS)
    timer = WriteLockTimer(db)
    other = OtherWriter(tmp_path / f"import-{ROWS}.db", timeout=MAX_LOCK_SECONDS)
    other.start()
    try:
        started = time.perf_counter()
        report = await import_members(db, data, actor_label="cli:test", today=TODAY)
        took = time.perf_counter() - started
    finally:
        other.done.set()
        other.join()
    async with db.read() as session:
        stored = await session.scalar(select(func.count()).select_from(Member))
    await db.dispose()
    assert report.created == ROWS and stored == ROWS
    assert other.failures == [] and other.writes > 0
    assert timer.longest < MAX_LOCK_SECONDS, (timer.longest, took)
