"""The year's report on the demo ward: the workbook opened with openpyxl, the charts decoded, the
paragraph — the seed's figures (45 admitted, quota 43, 104,65 %, 375 %; Tổ 16 at 200 %, 119
members, +2, its quota set by the Đảng ủy), typed cells, and names that look like formulas kept as text."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from bot.config import Settings
from bot.domain.candidates import Background, CandidateDraft, Gender
from bot.domain.dates import LooseDate
from bot.domain.errors import PermissionDenied
from bot.domain.reports import Members
from bot.domain.roles import Actor, Role
from bot.reports.bundle import build_report_files
from bot.reports.charts import MAX_CELLS, build_charts
from bot.services.reports import year_report
from bot.services.yearfigures import year_figures
from bot.store.candidates import add_candidate
from bot.store.db import Database
from bot.store.models import Cell
from bot.texts.report import format_int
from tests.conftest import load_demo_ward

DOCS = Path(__file__).resolve().parents[2] / "docs" / "report"
TODAY = date(2026, 11, 28)
EXPORTED = datetime(2026, 11, 28, 3, 30, tzinfo=UTC)  # 10:30 in Hà Nội
SETTINGS = Settings()
ADMIN = Actor(0, Role.ADMIN)
FORMULA = '=HYPERLINK("x")'


@pytest.fixture
async def demo(sqlite_db: Database) -> Database:
    await load_demo_ward(sqlite_db, today=TODAY)
    return sqlite_db


def _rows(ws) -> dict[str, tuple]:  # type: ignore[no-untyped-def,type-arg]
    """A sheet's data rows keyed by their first text column (the figure or the cell's name)."""
    out = {}
    for row in ws.iter_rows(min_row=5):
        key = row[1].value if isinstance(row[0].value, int) or row[0].value == "" else row[0].value
        if key is not None:
            out[str(key)] = row
    return out


async def test_workbook_2023_reproduces_the_seed_with_numbers_and_dates(demo: Database) -> None:
    report = await year_report(demo, ADMIN, year=2023, today=TODAY, settings=SETTINGS)
    files = build_report_files(report, SETTINGS, EXPORTED)
    wb = load_workbook(io.BytesIO(files.workbook))
    assert wb.sheetnames == ["Tổng hợp", "Từng chi bộ", "Quần chúng", "Sinh hoạt", "Ghi chú"]

    summary = _rows(wb["Tổng hợp"])
    assert summary["Kết nạp đảng viên trong năm"][1].value == 45
    assert summary["Chỉ tiêu kết nạp"][1].value == 43
    assert summary["Chỉ tiêu kết nạp"][2].value == "Thành ủy giao"
    reached = summary["Đạt (% chỉ tiêu)"][1]
    assert reached.value == pytest.approx(1.0465) and reached.number_format == "0.00 %"
    assert summary["Vượt (% so với chỉ tiêu)"][1].value == pytest.approx(0.0465)
    assert summary["Kết nạp cùng kỳ năm 2022"][1].value == 12
    assert summary["Bằng (% so với cùng kỳ)"][1].value == pytest.approx(3.75)

    cells = _rows(wb["Từng chi bộ"])
    to16 = [c.value for c in cells["Chi bộ tổ 16"]]
    # quota, admitted, reached, result, last year, vs last, members, change
    assert to16[2:10] == [1, 2, pytest.approx(2.0), "Vượt", 0, None, 119, 2]
    behind = [name for name, row in cells.items() if row[5].value == "Chưa đạt"]
    first = list(cells)[:len(behind)]
    assert behind and first == behind  # the cells behind come first
    assert all(isinstance(v, int) for v in to16[2:4]) and isinstance(to16[8], int)
    assert to16[16] == "Đảng ủy giao"  # who set the cell's quota for the year

    candidates = wb["Quần chúng"]
    assert candidates.freeze_panes == "C5"
    assert candidates.page_setup.orientation == "landscape" and candidates.page_setup.paperSize == 9  # A4
    assert candidates.print_title_rows == "$4:$4"
    first_row = [c.value for c in candidates[5]]
    assert isinstance(first_row[4], datetime) and isinstance(first_row[5], int)  # date entered, days
    assert candidates["E5"].number_format == "dd/mm/yyyy"
    assert candidates.max_row - 4 == len(report.candidates) > 0
    stages_by_cell: dict[str, list[str]] = {}
    for row in candidates.iter_rows(min_row=5, values_only=True):
        stages_by_cell.setdefault(str(row[1]), []).append(str(row[3]))
    probation = "Đảng viên dự bị"
    assert any(probation in stages for stages in stages_by_cell.values())
    for stages in stages_by_cell.values():  # in each cell, the quần chúng before the dự bị (#10.5)
        assert stages == sorted(stages, key=lambda s: s == probation)

    notes = _rows(wb["Ghi chú"])
    exported = notes["Xuất lúc"][1]
    assert exported.value == datetime(2026, 11, 28, 10, 30) and exported.number_format == "dd/mm/yyyy hh:mm"

    assert files.paragraph.startswith(
        "Năm 2023, Đảng bộ kết nạp được 45 đảng viên, đạt 104,65 % chỉ tiêu Thành ủy giao "
        "(43 đảng viên), vượt 4,65 %; bằng 375 % so với cùng kỳ năm 2022 (12 đảng viên).")
    # Members as /tonghop counts them (bot.services.yearfigures): "trên 1.700 đảng viên" in the seed.
    ward = await year_figures(demo, ADMIN, year=2023, today=TODAY, settings=SETTINGS)
    assert 1700 < ward.members_end < 1800 and report.total.members == Members(ward.members_end, ward.change)
    assert (f"Đến cuối năm 2023, Đảng bộ có {format_int(ward.members_end)} đảng viên, tăng {ward.change} "
            "so với cuối năm 2022.") in files.paragraph
    assert summary["Đảng viên cuối kỳ"][1].value == ward.members_end


async def test_secretary_report_is_their_cell_only(demo: Database) -> None:
    async with demo.read() as session:
        to16 = await session.scalar(select(Cell.id).where(Cell.name == "Chi bộ tổ 16"))
    report = await year_report(demo, Actor(1, Role.SECRETARY, cell_id=to16), year=2023, today=TODAY,
                               settings=SETTINGS)
    assert [c.name for c in report.cells] == ["Chi bộ tổ 16"] and report.scope == "cell"
    assert report.total.members is not None and report.total.members.at_end == 119
    paragraph = build_report_files(report, SETTINGS, EXPORTED).paragraph
    assert paragraph.startswith("Năm 2023, Chi bộ tổ 16 kết nạp được 2 đảng viên, đạt 200 % chỉ tiêu "
                                "(1 đảng viên), vượt 100 %")
    with pytest.raises(PermissionDenied):
        await year_report(demo, Actor(2, Role.COMMITTEE), year=2023, today=TODAY, settings=SETTINGS)


async def test_typed_text_that_looks_like_a_formula_is_stored_as_text(demo: Database) -> None:
    async with demo.write() as session:
        committee_id = await session.scalar(select(Cell.committee_id).limit(1))
        cell = Cell(committee_id=committee_id, name="@SUM(A1)", kind="residential")
        session.add(cell)
        await session.flush()
        await add_candidate(session, CandidateDraft(
            cell_id=cell.id, full_name=FORMULA, birth=LooseDate(1998, 3, 12), gender=Gender.FEMALE,
            background=Background.WORKER, spotted_on=date(2026, 5, 1)),
            None)
    report = await year_report(demo, ADMIN, year=2026, today=TODAY, settings=SETTINGS)
    wb = load_workbook(io.BytesIO(build_report_files(report, SETTINGS, EXPORTED).workbook))
    names = [(r[1], r[2]) for r in wb["Quần chúng"].iter_rows(min_row=5) if r[2].value == FORMULA]
    assert len(names) == 1
    cell_name, name = names[0]
    assert name.data_type == "s" and cell_name.value == "@SUM(A1)" and cell_name.data_type == "s"
    listed = [r[1] for r in wb["Từng chi bộ"].iter_rows(min_row=5) if r[1].value == "@SUM(A1)"]
    assert listed and listed[0].data_type == "s"


def _ink(png: bytes) -> tuple[tuple[int, int], float]:
    """Image size and the share of pixels that are not white."""
    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()  # pixels per grey level, 0 (black) to 255 (white)
    return image.size, sum(histogram[:240]) / sum(histogram)


async def test_charts_show_the_ward_readably(demo: Database) -> None:
    report = await year_report(demo, ADMIN, year=2023, today=TODAY, settings=SETTINGS)
    quota, months, funnel = build_charts(report)
    for chart in (quota, months, funnel):
        (width, height), ink = _ink(chart.png)
        assert width == 1080 and 600 <= height <= 2400
        assert 0.02 < ink < 0.6, chart.name  # drawn on, not a blank or solid image
    # 32 cells: the 20 shown are the cells behind first, then the rest by name
    assert len(quota.data["labels"]) == MAX_CELLS
    behind = [c for c in report.cells if c.progress.behind]
    assert quota.data["behind"][:len(behind)] == [True] * len(behind)
    assert quota.data["labels"][0] == behind[0].name.removeprefix("Chi bộ ").capitalize()
    assert months.data["this_year"][-1] == 45 and months.data["last_year"][-1] == 12
    assert months.data["this_year"] == sorted(months.data["this_year"])  # cumulative
    assert sum(funnel.data["counts"]) == len(report.candidates)
    assert all(m is None or m >= 0 for m in funnel.data["median_days"])
    for chart in (quota, months, funnel):  # the examples kept in docs/ are these charts
        kept = Image.open(DOCS / chart.name)
        assert kept.size == Image.open(io.BytesIO(chart.png)).size
