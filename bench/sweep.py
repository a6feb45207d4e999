"""The reminder sweep and /tiendo at several ward sizes, today's code against the code before the
scale work (bench.versions.BASE), side by side in one run, on SQLite or PostgreSQL.

For each scale the demo ward is written once (today's generator), then both versions measure on
the same database: the sweep's decision (dry run, best of --repeat), a plain GROUP BY over the same
candidates and steps (the floor), and /tiendo for one cell (Chi bộ tổ 16's secretary, 60 calls,
p50 and p99). Printed: old ÷ new per scale (wall time, and the CPU time of the measuring process,
steadier on a shared machine; on PostgreSQL it leaves out the server), whether both decided the
same reminders, the fitted exponent of cost against members (1 = linear), and /tiendo's p99 at
the largest scale ÷ the smallest.

    python -m bench.sweep                                   # SQLite, scales 1 10 100
    python -m bench.sweep --scales 1 10 100 300 --repeat 1  # the full run (long)
    python -m bench.sweep --pg postgresql://…/scratch       # PostgreSQL (its schema is dropped!)
    python -m bench.sweep --scales 0.5 1 --repeat 1         # the CI smoke
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path
from typing import Any

from bench.versions import BASE, ROOT, asyncpg_url, empty_postgres, exponent, export, run


def _url(pg: str | None, folder: Path, scale: float) -> str:
    if pg:
        asyncio.run(empty_postgres(pg))
        return asyncpg_url(pg)
    return f"sqlite+aiosqlite:///{folder / f'scale-{scale:g}.db'}"


def main(scales: list[float], repeat: int, pg: str | None, base: str) -> None:
    rows: list[tuple[float, dict[str, Any], dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = export(base, Path(tmp) / "base")
        for scale in scales:
            url = _url(pg, Path(tmp), scale)
            run(ROOT, "generate", url, str(scale))
            new = run(ROOT, "sweep", url, str(repeat))
            old = run(old_tree, "sweep", url, str(repeat))
            rows.append((scale, old, new))
            if not pg:
                (Path(tmp) / f"scale-{scale:g}.db").unlink()
    print(f"{'pg' if pg else 'sqlite'}: today's code vs {base}; "
          "times in ms (indicative), ratios measured side by side")
    print(f"{'scale':>6}{'members':>9}{'sweep old':>10}{'new':>7}{'old÷new':>8}{'cpu old':>9}{'new':>7}"
          f"{'old÷new':>8}{'new÷GROUP BY':>13}{'tiendo p50 old':>15}{'new':>6}{'p99 old':>8}{'new':>6}"
          "  same reminders")
    for scale, old, new in rows:
        same = "yes" if old["digest"] == new["digest"] else "NO"
        print(f"{scale:>6g}{new['members']:>9}{old['sweep'] * 1e3:>10.0f}{new['sweep'] * 1e3:>7.0f}"
              f"{old['sweep'] / new['sweep']:>8.1f}"
              f"{old['sweep_cpu'] * 1e3:>9.0f}{new['sweep_cpu'] * 1e3:>7.0f}"
              f"{old['sweep_cpu'] / new['sweep_cpu']:>8.1f}{new['sweep'] / new['group_by']:>13.1f}"
              f"{old['tiendo_p50'] * 1e3:>15.1f}{new['tiendo_p50'] * 1e3:>6.1f}"
              f"{old['tiendo_p99'] * 1e3:>8.1f}{new['tiendo_p99'] * 1e3:>6.1f}  {same} ({new['reminders']})")
    sizes = [float(new["members"]) for _, _, new in rows]
    first, last = rows[0], rows[-1]
    for measure in ("sweep", "sweep_cpu"):
        print(f"{'cpu' if measure.endswith('cpu') else 'wall'} cost exponent (members): "
              f"old {exponent(sizes, [o[measure] for _, o, _ in rows]):.2f}, "
              f"new {exponent(sizes, [n[measure] for _, _, n in rows]):.2f}")
    flat_old = last[1]["tiendo_p99"] / first[1]["tiendo_p99"]
    flat_new = last[2]["tiendo_p99"] / first[2]["tiendo_p99"]
    print(f"tiendo p99 scale {last[0]:g} ÷ scale {first[0]:g}: old {flat_old:.1f}, new {flat_new:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0, 100.0])
    parser.add_argument("--repeat", type=int, default=3, help="sweeps per version and scale; the best counts")
    parser.add_argument("--pg", help="a scratch PostgreSQL URL (its public schema is dropped and rebuilt)")
    parser.add_argument("--base", default=BASE, help=f"the older commit (default {BASE})")
    args = parser.parse_args()
    main(args.scales, args.repeat, args.pg, args.base)
