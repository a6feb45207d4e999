"""How long a members import holds SQLite's write lock, at 10k and at 100k rows.

While the lock is held every other writer (the running bot, any other `chibo` command) waits, and
gives up with "database is locked" after the busy timeout. An import that validates and plans
first and then writes in bulk holds it for the writing alone; this prints that time for both sizes
and their ratio (about the size ratio, 10, when the write is linear; what matters is that the
100k figure is seconds, not the whole import).

    python -m bench.import_lock                 # 10k vs 100k
    python -m bench.import_lock --small 2000 --big 20000   # quicker
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bot.services.importing import import_cells, import_members
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.schema import upgrade_schema

TODAY = date(2026, 11, 28)
MEMBERS_PER_CELL = 100
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
_MIDDLE = ("Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Quang", "Hồng")
_GIVEN = ("An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Mai", "Nam", "Thắng", "Tú", "Yến")


def cells_csv(count: int) -> bytes:
    lines = ["tên chi bộ,loại,chỉ tiêu"] + [f"Chi bộ tổ {i},tổ dân phố," for i in range(1, count + 1)]
    return ("\n".join(lines) + "\n").encode()


def members_csv(rows: int, status: str = "chính thức") -> bytes:
    """`rows` members, MEMBERS_PER_CELL to a cell, names unique within their cell. Cells go by the
    short form people type ("Tổ 16") and dates are on every tenth row only, as in real rosters;
    that also keeps 100k rows under the 5 MB file limit."""
    lines = ["chi bộ,họ và tên,trạng thái,ngày kết nạp"]
    for i in range(rows):
        name = f"{_FAMILY[i % 10]} {_MIDDLE[(i // 100) % 8]} {_GIVEN[(i // 10) % 12]}"
        admitted = f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1980 + i % 40}" if i % 10 == 0 else ""
        lines.append(f"Tổ {i // MEMBERS_PER_CELL + 1},{name},{status},{admitted}")
    return ("\n".join(lines) + "\n").encode()


@dataclass
class WriteLockTimer:
    """Times every write transaction of `db`, from its BEGIN IMMEDIATE (the lock taken) to its
    COMMIT or ROLLBACK (the lock released)."""

    db: Database
    held: list[float] = field(default_factory=list)
    _started: dict[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        engine = self.db.engine.sync_engine
        # Registered after Database's own "begin" listener, so the clock starts once BEGIN
        # IMMEDIATE has returned, i.e. with the lock in hand.
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _begin(self, conn: Any) -> None:
        if conn.get_execution_options().get("chibo_write"):
            self._started[id(conn)] = time.perf_counter()

    def _end(self, conn: Any) -> None:
        start = self._started.pop(id(conn), None)
        if start is not None:
            self.held.append(time.perf_counter() - start)

    @property
    def longest(self) -> float:
        return max(self.held, default=0.0)


async def ward_database(folder: Path, rows: int) -> Database:
    """A fresh SQLite ward with enough cells for `rows` members."""
    db = Database(f"sqlite+aiosqlite:///{folder / f'import-{rows}.db'}")
    await upgrade_schema(db)
    async with db.write() as session:
        await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ", "Tỉnh ủy Thái Nguyên")
    cells = -(-rows // MEMBERS_PER_CELL)
    await import_cells(db, cells_csv(cells), actor_label="bench", today=TODAY)
    return db


async def measure(rows: int, folder: Path) -> dict[str, float]:
    """Seconds for the whole import and the longest the write lock was held during it: a first
    import (every row new), then a second one that changes every row (probation ended)."""
    db = await ward_database(folder, rows)
    timer = WriteLockTimer(db)
    out: dict[str, float] = {}
    for label, status in (("create", "dự bị"), ("update", "chính thức")):
        timer.held.clear()
        start = time.perf_counter()
        report = await import_members(db, members_csv(rows, status), actor_label="bench", today=TODAY)
        out[f"{label} import"] = time.perf_counter() - start
        out[f"{label} lock"] = timer.longest
        assert rows == (report.created if label == "create" else report.updated), report
    await db.dispose()
    return out


async def main(small: int, big: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        a = await measure(small, folder)
        b = await measure(big, folder)
    print(f"rows: {small} → {big} (×{big / small:g}); lock = longest write transaction")
    print(f"{'':14}{small:>10}{big:>10}{'ratio':>8}")
    for key in a:
        print(f"{key:14}{a[key]:>9.2f}s{b[key]:>9.2f}s{b[key] / max(a[key], 1e-9):>8.1f}")

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000, help="rows of the first import")
    parser.add_argument("--big", type=int, default=100_000, help="rows of the second import")
    args = parser.parse_args()
    asyncio.run(main(args.small, args.big))
