"""How the ward-wide work grows with the ward: demo generation, the reminder sweep (dry run) and the
/tonghop summary at scale 1 and at a larger scale, on SQLite, in one run.

Set-based queries should make the cost grow with the data (about linearly), not with the number of
queries: the printed "cost ratio ÷ size ratio" stays near or below 1 when that holds, and would sit
far above it if a sweep ran one query per cell or per candidate.

    python -m bench.scale            # scale 1 vs 10, best of 3
    python -m bench.scale --big 3 --repeat 1   # the CI smoke
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from bot.config import Settings
from bot.demo.write import write_demo_ward
from bot.domain.roles import Actor, Role
from bot.services.reminders import scheduled_moment, sweep
from bot.services.status import ward_summary
from bot.store.db import Database
from bot.store.schema import upgrade_schema

TODAY = date(2026, 11, 28)
SWEEP_DAY = date(2026, 12, 1)
SETTINGS = Settings()


async def _best(repeat: int, work: Callable[[], Awaitable[object]]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        await work()
        best = min(best, time.perf_counter() - start)
    return best


async def measure(scale: float, folder: Path, repeat: int) -> dict[str, float]:
    db = Database(f"sqlite+aiosqlite:///{folder / f'scale-{scale}.db'}")
    await upgrade_schema(db)
    start = time.perf_counter()
    summary = await write_demo_ward(db, today=TODAY, scale=scale)
    generate = time.perf_counter() - start
    admin = Actor(user_id=0, role=Role.ADMIN)
    now = scheduled_moment(SWEEP_DAY, SETTINGS)
    result = await sweep(db, SETTINGS, as_of=SWEEP_DAY, now=now, dry_run=True)
    out = {
        "members": float(summary.members),
        "reminders": float(len(result.planned)),
        "generate": generate,
        "sweep": await _best(repeat, lambda: sweep(db, SETTINGS, as_of=SWEEP_DAY, now=now, dry_run=True)),
        "summary": await _best(repeat, lambda: ward_summary(db, admin, year=2026, today=TODAY,
                                                            settings=SETTINGS)),
    }
    await db.dispose()
    return out


async def main(big: float, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small = await measure(1.0, Path(tmp), repeat)
        large = await measure(big, Path(tmp), repeat)
    size = large["members"] / small["members"]
    print(f"members: {small['members']:.0f} → {large['members']:.0f} (size ratio {size:.2f}); "
          f"reminders decided: {small['reminders']:.0f} → {large['reminders']:.0f}")
    print(f"{'step':<10}{'scale 1 (s)':>14}{f'scale {big:g} (s)':>16}{'cost ratio':>12}{'÷ size':>9}")
    for step in ("generate", "sweep", "summary"):
        ratio = large[step] / small[step]
        print(f"{step:<10}{small[step]:>14.3f}{large[step]:>16.3f}{ratio:>12.2f}{ratio / size:>9.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big", type=float, default=10.0, help="the larger scale (default 10)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step; the best counts")
    args = parser.parse_args()
    asyncio.run(main(args.big, args.repeat))
