"""One measurement inside one version of the code, printed as JSON on the last line.

Run as a script by the benchmarks (bench.sweep, bench.memory) with PYTHONPATH set to a checkout,
today's or an older one exported by `git archive`: it imports only what both versions have (the
demo writer, the sweep, /tiendo's service) so the same measurement runs on either side.

    python bench/worker.py generate URL SCALE     # write the demo ward; time and peak memory
    python bench/worker.py sweep URL REPEAT       # the reminder sweep (dry run) and /tiendo
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import resource
import statistics
import sys
import time
from datetime import date
from typing import Any

from sqlalchemy import text

from bot.config import Settings
from bot.domain.roles import Actor, Role
from bot.services.reminders import scheduled_moment, sweep
from bot.services.status import cell_statuses
from bot.store.db import Database

TODAY = date(2026, 11, 28)
SWEEP_DAY = date(2026, 12, 1)
SETTINGS = Settings()
TIENDO_CALLS = 60
# A plain GROUP BY over the same candidates and steps the sweep reads: the floor a set-based
# load cannot beat by much, so "sweep ÷ GROUP BY" says how far above reading the data it is.
GROUP_BY = text("SELECT c.cell_id, e.stage, count(*) FROM candidate_events e "
                "JOIN candidates c ON c.id = e.candidate_id GROUP BY c.cell_id, e.stage")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def generate(url: str, scale: float) -> dict[str, Any]:
    from bot.demo.write import write_demo_ward
    from bot.store.schema import upgrade_schema

    db = Database(url)
    await upgrade_schema(db)
    before = peak_mb()
    start = time.perf_counter()
    summary = await write_demo_ward(db, today=TODAY, scale=scale)
    seconds = time.perf_counter() - start
    if not db.is_sqlite:  # statistics as autovacuum would leave them, not those of an empty table
        async with db.write() as session:
            await session.execute(text("ANALYZE"))
    await db.dispose()
    return {"seconds": seconds, "peak_mb": peak_mb(), "start_mb": before, "cells": summary.cells,
            "members": summary.members, "candidates": summary.candidates}


async def _best(repeat: int, work: Any) -> tuple[float, float]:
    """The best wall time and the best CPU time of this process (the SQLite driver's thread
    included) over `repeat` runs: on a machine shared with other work the CPU time is the steadier
    measure of the work itself; on PostgreSQL it leaves out the server's share."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        await work()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def _digest(result: Any) -> str:
    """The reminders decided, as one hash: the same on both sides when the decisions are equal."""
    keys = sorted(f"{p.reminder.rule.value}|{p.reminder.subject}|{p.reminder.period}|{p.reminder.recipient}|"
                  f"{json.dumps(p.reminder.facts, sort_keys=True)}|{p.due_at.isoformat()}|{p.skipped}"
                  for p in result.planned)
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]


async def measure_sweep(url: str, repeat: int) -> dict[str, Any]:
    db = Database(url)
    now = scheduled_moment(SWEEP_DAY, SETTINGS)
    result = await sweep(db, SETTINGS, as_of=SWEEP_DAY, now=now, dry_run=True)  # warm caches
    async with db.read() as session:
        members = await session.scalar(text("SELECT count(*) FROM members"))
        cells = await session.scalar(text("SELECT count(*) FROM cells"))
        user_id, cell_id = (await session.execute(text(
            "SELECT u.id, u.cell_id FROM users u JOIN cells c ON c.id = u.cell_id "
            "WHERE u.role = 'secretary' AND c.name = 'Chi bộ tổ 16'"))).one()

    async def group_by() -> None:
        async with db.read() as session:
            (await session.execute(GROUP_BY)).all()

    secretary = Actor(user_id=user_id, role=Role.SECRETARY, cell_id=cell_id)
    tiendo = []
    for _ in range(TIENDO_CALLS):
        start = time.perf_counter()
        await cell_statuses(db, secretary, year=TODAY.year, today=TODAY, settings=SETTINGS)
        tiendo.append(time.perf_counter() - start)
    tiendo.sort()
    swept = await _best(repeat, lambda: sweep(db, SETTINGS, as_of=SWEEP_DAY, now=now, dry_run=True))
    out = {
        "members": members, "cells": cells, "reminders": len(result.planned), "digest": _digest(result),
        "sweep": swept[0], "sweep_cpu": swept[1], "group_by": (await _best(repeat, group_by))[0],
        "tiendo_p50": statistics.median(tiendo),
        "tiendo_p99": tiendo[min(len(tiendo) - 1, round(0.99 * (len(tiendo) - 1)))],
    }
    await db.dispose()
    return out


if __name__ == "__main__":
    what, url, arg = sys.argv[1], sys.argv[2], sys.argv[3]
    if what == "generate":
        found = asyncio.run(generate(url, float(arg)))
    else:
        found = asyncio.run(measure_sweep(url, int(arg)))
    print(json.dumps(found))
