"""Peak memory of `chibo run` and of the demo generator, today's code against the code before the
scale work (bench.versions.BASE), side by side in one run, on SQLite.

`chibo run` (each version in its own process, on the demo ward its own generator wrote) polls a local
Bot API emulator, makes its start-up sweep, and answers --updates messages from as many cell
secretaries (/tiendo) and the ward office (/tonghop); its peak resident memory (VmHWM) is read
before it is stopped. The demo generator's peak is that of a process writing the ward.

    python -m bench.run_memory                      # scale 10 and 100
    python -m bench.run_memory --scales 300         # the large one (long)
    python -m bench.run_memory --scales 0.5 --updates 3   # the CI smoke
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.versions import BASE, ROOT, export, run
from bot.demo.ward import DEMO_ADMIN_ID, SECRETARY_ID_BASE
from bot.sandbox.emulator import BotApiEmulator

TOKEN = "424242:bench-run-memory"


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")  # pragma: no cover - not Linux


async def run_peak(tree: Path, db: Path, updates: int) -> dict[str, float]:
    """Start `chibo run` from `tree` on `db`, drive it, return its peak memory and answer times."""
    async with BotApiEmulator(token=TOKEN) as emu:
        config = db.with_suffix(".toml")
        config.write_text(f'[database]\nurl = "{db}"\n[telegram]\nbase_url = "{emu.base_url}"\n'
                          f'base_file_url = "{emu.base_file_url}"\n', encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(tree), "CHIBO_TELEGRAM_TOKEN": TOKEN}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(config), cwd=tree, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        try:
            await emu.wait_until(lambda: bool(emu.calls("getUpdates")), timeout=600, what="polling")
            start = time.perf_counter()
            talkers = [(SECRETARY_ID_BASE + k + 1, "/tiendo") for k in range(updates)]
            for user_id, text in [*talkers, (DEMO_ADMIN_ID, "/tonghop")]:
                emu.add_user(user_id, f"u{user_id}")
                emu.send_text(user_id, text)
                await emu.wait_for_messages(user_id, timeout=300)
            answering = time.perf_counter() - start
            peak = _peak_mb(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), timeout=120)
    return {"peak_mb": peak, "answering": answering}


def main(scales: list[float], updates: int, base: str) -> None:
    rows: list[tuple[float, dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old_tree = export(base, folder / "base")
        for scale in scales:
            # Each version writes its own ward, with its own schema: `chibo run` refuses a
            # database migrated past the revisions its version knows.
            written = {name: folder / f"scale-{scale:g}-{name}.db" for name in ("new", "old")}
            gen_new = run(ROOT, "generate", f"sqlite+aiosqlite:///{written['new']}", str(scale))
            gen_old = run(old_tree, "generate", f"sqlite+aiosqlite:///{written['old']}", str(scale))
            peaks = {}
            for name, tree in (("new", ROOT), ("old", old_tree)):
                peaks[name] = asyncio.run(run_peak(tree, written[name], updates))
                written[name].unlink()
            rows.append((scale, gen_old, gen_new, peaks["old"], peaks["new"]))
    print(f"sqlite: today's code vs {base}; peak resident memory in MB (VmHWM / ru_maxrss), "
          f"chibo run answering {updates} × /tiendo and 1 × /tonghop")
    print(f"{'scale':>6}{'members':>9}{'demo old':>10}{'new':>6}{'old÷new':>9}"
          f"{'chibo run old':>15}{'new':>6}{'old÷new':>9}")
    for scale, g_old, g_new, r_old, r_new in rows:
        print(f"{scale:>6g}{g_new['members']:>9}{g_old['peak_mb']:>10.0f}{g_new['peak_mb']:>6.0f}"
              f"{g_old['peak_mb'] / g_new['peak_mb']:>9.2f}{r_old['peak_mb']:>15.0f}{r_new['peak_mb']:>6.0f}"
              f"{r_old['peak_mb'] / r_new['peak_mb']:>9.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[10.0, 100.0])
    parser.add_argument("--updates", type=int, default=20, help="secretaries asking /tiendo")
    parser.add_argument("--base", default=BASE, help=f"the older commit (default {BASE})")
    args = parser.parse_args()
    main(args.scales, args.updates, args.base)
