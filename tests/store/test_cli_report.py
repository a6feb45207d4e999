"""`chibo report` writes the same workbook and charts as /baocao, for the office's computer."""

from __future__ import annotations

import asyncio
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from bot.store.db import Database
from tests.conftest import load_demo_ward


async def chibo(*argv: str) -> int:
    """`chibo …` as the shell runs it (its own event loop, so in a thread beside the test's)."""
    return await asyncio.to_thread(main, list(argv))


async def _demo_file(db: Database) -> str:
    await load_demo_ward(db, today=date(2026, 11, 28))
    await db.dispose()
    return str(db.engine.url.database)


async def test_report_writes_the_workbook_and_charts(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = await _demo_file(sqlite_db)
    charts = tmp_path / "charts"
    charts.mkdir()
    out = tmp_path / "bao-cao-2023.xlsx"
    code = await chibo("report", "--db", path, "--year", "2023", "--out", str(out), "--charts", str(charts),
                       "--today", "2026-11-28")
    printed = capsys.readouterr().out
    assert code == 0
    assert printed.startswith("Năm 2023, Đảng bộ kết nạp được 45 đảng viên, đạt 104,65 % chỉ tiêu")
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    summary = {r[0].value: r[1].value for r in wb["Tổng hợp"].iter_rows(min_row=5)}
    assert summary["Kết nạp đảng viên trong năm"] == 45 and summary["Chỉ tiêu kết nạp"] == 43
    written = sorted(p.name for p in charts.iterdir())
    assert written == ["1-chi-tieu.png", "2-theo-thang.png", "3-cac-buoc.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in charts.iterdir())


async def test_report_for_one_cell_and_mistakes_in_one_line(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = await _demo_file(sqlite_db)
    out = tmp_path / "to16.xlsx"
    assert await chibo("report", "--db", path, "--year", "2023", "--cell", "Tổ 16", "--out", str(out),
                       "--today", "2026-11-28") == 0
    assert capsys.readouterr().out.startswith("Năm 2023, Chi bộ tổ 16 kết nạp được 2 đảng viên, đạt 200 %")
    cells = [r[1].value for r in load_workbook(out)["Từng chi bộ"].iter_rows(min_row=5)]
    assert cells == ["Chi bộ tổ 16", "Tổng cộng"]
    for argv, expected in ((["--cell", "Tổ 99"], "Tổ 99"), (["--charts", str(tmp_path / "nope")], "nope"),
                           (["--year", "2031"], "--year")):
        assert await chibo("report", "--db", path, "--today", "2026-11-28", "--out", str(out), *argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and expected in err
