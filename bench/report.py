"""What the year's report costs as the ward grows: `/baocao` through the real bot and the Bot API
emulator, and `chibo report` (workbook and charts to files), on the demo ward at several scales,
on SQLite, in one run.

The report reads a handful of set-based queries and writes one row per candidate and per cell and
month, so its cost should grow with the data and no faster: the printed "÷ size" (cost ratio over
size ratio) stays at or below about 1 when that holds. Charts are of fixed size (a big ward shows
its 20 cells most behind), so at small scales they dominate and the ratio sits well below 1.

    python -m bench.report                      # scale 1, 10 and 100 (several minutes)
    python -m bench.report --scales 1 1.5 --repeat 1   # the CI smoke
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.cli import main as chibo
from bot.config import Settings
from bot.demo.ward import DEMO_USERS, demo_display_name
from bot.demo.write import write_demo_ward
from bot.sandbox.local import LocalBot, ManualClock
from bot.store.db import Database
from bot.store.schema import upgrade_schema

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
YEAR = 2026  # the running year: every sheet has rows (meetings, candidates, admissions)


async def _baocao(db: Database) -> tuple[float, int]:
    """Seconds from sending /baocao to the last file delivered; bytes of the workbook."""
    bot = LocalBot(Settings(), db, clock=ManualClock(NOW))
    await bot.start()
    try:
        bot.add_user(DEMO_USERS["admin"], demo_display_name("admin"))
        start = time.perf_counter()
        bot.emulator.mark_seen(DEMO_USERS["admin"])
        bot.emulator.send_text(DEMO_USERS["admin"], f"/baocao {YEAR}")
        await bot.settle(timeout=1800)  # a big ward's report takes longer than a reply
        replies = bot.emulator.new_messages(DEMO_USERS["admin"])
        took = time.perf_counter() - start
    finally:
        await bot.stop()
    documents = [m for m in replies if m.kind == "document" and m.file is not None]
    if len(documents) != 1 or sum(m.kind == "photo" for m in replies) != 3:
        raise RuntimeError(f"/baocao did not deliver its files: {[m.kind for m in replies]}")
    return took, documents[0].file.size  # type: ignore[union-attr]


def _quiet_chibo(argv: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()):  # the paragraph and file names it prints
        return chibo(argv)


async def _report_cli(path: Path, folder: Path) -> float:
    start = time.perf_counter()
    code = await asyncio.to_thread(_quiet_chibo, [
        "report", "--db", str(path), "--year", str(YEAR), "--today", NOW.date().isoformat(),
        "--out", str(folder / "bao-cao.xlsx"), "--charts", str(folder)])
    if code != 0:
        raise RuntimeError(f"chibo report exited with {code}")
    return time.perf_counter() - start


async def measure(scale: float, folder: Path, repeat: int) -> dict[str, float]:
    path = folder / f"scale-{scale}.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    await upgrade_schema(db)
    summary = await write_demo_ward(db, today=NOW.date(), scale=scale)
    print(f"scale {scale:g}: {summary.members} members written", file=sys.stderr)
    baocao, size = min([await _baocao(db) for _ in range(repeat)])
    await db.dispose()
    cli = min([await _report_cli(path, folder) for _ in range(repeat)])
    return {"members": float(summary.members), "candidates": float(summary.candidates),
            "workbook_kb": size / 1024, "/baocao": baocao, "chibo report": cli}


async def main(scales: list[float], repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = [await measure(s, Path(tmp), repeat) for s in scales]
    base = results[0]
    members = " → ".join(f"{r['members']:.0f}" for r in results)
    kib = " → ".join(f"{r['workbook_kb']:.0f}" for r in results)
    print(f"members: {members}; workbook (KiB): {kib}")
    header = "".join(f"{f'scale {s:g} (s)':>16}" for s in scales)
    ratios = "".join(f"{f'×{s / scales[0]:g} ratio':>13}{'÷ size':>9}" for s in scales[1:])
    print(f"{'step':<14}{header}{ratios}")
    for step in ("/baocao", "chibo report"):
        line = f"{step:<14}" + "".join(f"{r[step]:>16.3f}" for r in results)
        for r in results[1:]:
            ratio, size = r[step] / base[step], r["members"] / base["members"]
            line += f"{ratio:>13.2f}{ratio / size:>9.2f}"
        print(line)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0, 100.0],
                        help="demo ward scales, the first is the base (default 1 10 100)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per step; the best counts")
    args = parser.parse_args()
    asyncio.run(main(args.scales, args.repeat))
