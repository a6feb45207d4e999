"""Today's code against an older commit, side by side in one run: the older one is exported with
`git archive` into a temporary folder and measured by the same script (bench/worker.py) in a
subprocess whose PYTHONPATH points at it. Shared by the benchmarks that print old ÷ new ratios."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
WORKER = ROOT / "bench" / "worker.py"
# main just before the scale work (#12 items 3-4) was rebased onto it: "today's code" as measured.
BASE = "f1c766a"


def export(rev: str, folder: Path) -> Path:
    """The `bot` package as of `rev`, written under `folder`; returns the tree's root."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", rev, "bot"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def run(tree: Path, *args: str, timeout: float = 3600) -> dict[str, Any]:
    """bench/worker.py run against the code in `tree`; its JSON answer."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, str(WORKER), *args], env=env, cwd=tree, capture_output=True,
                          text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"worker {args[0]} in {tree} failed:\n{done.stderr[-3000:]}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def asyncpg_url(url: str) -> str:
    """A postgresql:// URL on the async driver the bot uses."""
    plain = "postgresql://"
    return "postgresql+asyncpg://" + url[len(plain):] if url.startswith(plain) else url


async def empty_postgres(url: str) -> None:
    """Drop and recreate the public schema of a scratch PostgreSQL database."""
    engine = create_async_engine(asyncpg_url(url))
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def exponent(sizes: list[float], costs: list[float]) -> float:
    """The k in cost ≈ a·sizeᵏ, fitted by least squares on the logarithms."""
    xs, ys = [math.log(s) for s in sizes], [math.log(max(c, 1e-9)) for c in costs]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    if len(set(xs)) < 2:
        return math.nan  # one size: nothing to fit
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
