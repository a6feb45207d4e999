"""The benchmark still runs (a tiny smoke: benchmarks are not tests and their numbers are not checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_scale_benchmark_runs_and_prints_its_ratios() -> None:
    result = subprocess.run([sys.executable, "-m", "bench.scale", "--big", "1.5", "--repeat", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("members: ") and " → " in lines[0]  # the demo ward's rows, any year
    assert [line.split()[0] for line in lines[2:]] == ["generate", "sweep", "summary"]


def test_import_lock_benchmark_runs_and_prints_its_ratios() -> None:
    result = subprocess.run([sys.executable, "-m", "bench.import_lock", "--small", "200", "--big", "2000"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("rows: 200 → 2000")
    assert [" ".join(line.split()[:2]) for line in lines[2:]] == [
        "create import", "create lock", "update import", "update lock"]


def test_report_benchmark_runs_and_prints_its_ratios() -> None:
    result = subprocess.run([sys.executable, "-m", "bench.report", "--scales", "1", "1.2", "--repeat", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("members: ") and lines[0].count(" → ") == 2  # scale 1, 1.2: members, KiB
    assert [line.split()[0] for line in lines[2:]] == ["/baocao", "chibo"]


# The smoke keeps the two-version machinery working; it compares HEAD with itself, because a
# shallow CI clone may not hold the older commit the recorded benchmark was measured against.
SMOKE_BASE = ("--base", "HEAD")


def test_sweep_benchmark_compares_two_versions_and_prints_its_ratios() -> None:
    result = subprocess.run([sys.executable, "-m", "bench.sweep", "--scales", "0.25", "0.5", "--repeat", "1",
                             *SMOKE_BASE],
                            cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("sqlite: today's code vs ")
    assert [line.split()[0] for line in lines[2:4]] == ["0.25", "0.5"]
    assert all(line.split()[-2] == "yes" for line in lines[2:4])  # both versions decided the same
    assert [line.split()[0] for line in lines[4:7]] == ["wall", "cpu", "tiendo"]


def test_run_memory_benchmark_compares_two_versions_and_prints_its_ratios() -> None:
    result = subprocess.run([sys.executable, "-m", "bench.run_memory", "--scales", "0.25", "--updates", "2",
                             *SMOKE_BASE],
                            cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("sqlite: today's code vs ")
    assert len(lines) == 3 and lines[2].split()[0] == "0.25"
