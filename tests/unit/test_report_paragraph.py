"""The báo cáo paragraph in the words of a ward report, at its edges: nobody admitted, nobody last
year, fewer members, a big ward's list of cells behind."""

from __future__ import annotations

from datetime import date

from bot.domain.quotas import Progress
from bot.domain.reports import MeetingFigures, Members, YearFigures, YearReport
from bot.domain.stages import Stage
from bot.texts.report import MAX_NAMED, report_paragraph

NO_MEETINGS = MeetingFigures(held=0, due=12, present=0, expected=0, committee_attended=0, meetings=0)


def _figures(name: str, admitted: int, quota: int, last: int, members: Members | None = None,
             **kw: object) -> YearFigures:
    return YearFigures(name=name, progress=Progress(admitted, quota), last_year=last, members=members,
                       stages={Stage.SPOTTED: 3, Stage.CEREMONY: 1}, meetings=kw.get("meetings", NO_MEETINGS),  # type: ignore[arg-type]
                       quota_set_by=str(kw.get("set_by", "")))


def _report(total: YearFigures, cells: list[YearFigures], scope: str = "ward",
            running: date | None = None) -> YearReport:
    return YearReport(committee="Đảng bộ phường X", superior="Thành ủy Y", scope=scope, year=2024,
                      today=date(2026, 11, 28), same_period_until=running, total=total, cells=tuple(cells),
                      candidates=(), meetings=(), monthly=(0,) * 12, monthly_last_year=(0,) * 12, funnel=())


def test_nobody_admitted_nobody_last_year_and_fewer_members() -> None:
    cell = _figures("Chi bộ tổ 3", 0, 1, 0, Members(40, -2))
    text = report_paragraph(_report(cell, [cell], scope="cell"))
    assert text.startswith("Năm 2024, Chi bộ tổ 3 chưa kết nạp được đảng viên nào (chỉ tiêu: 1 đảng viên); "
                           "cùng kỳ năm 2023 không kết nạp được đảng viên nào.")
    assert "đạt 0 %" not in text
    assert "Đến cuối năm 2024, Chi bộ tổ 3 có 40 đảng viên, giảm 2 so với cuối năm 2023." in text
    assert "Cuối năm 2024 có 3 quần chúng" in text and "1 đảng viên dự bị" in text  # a past year


def test_a_running_year_and_a_big_ward_name_only_the_first_cells_behind() -> None:
    cells = [_figures(f"Chi bộ tổ {i}", 0, 1, 1) for i in range(1, 40)]
    meetings = MeetingFigures(held=30, due=39, present=900, expected=1000, committee_attended=20, meetings=40)
    total = _figures("Đảng bộ", 1234, 1000, 1000, Members(17005, 0), meetings=meetings,
                     set_by="Thành ủy Y giao")
    text = report_paragraph(_report(total, cells, running=date(2024, 11, 28)))
    assert text.startswith(
        "Từ đầu năm 2024 đến ngày 28/11/2024, Đảng bộ kết nạp được 1.234 đảng viên, đạt 123,4 % chỉ tiêu "
        "Thành ủy Y giao (1.000 đảng viên), vượt 23,4 %; bằng 123,4 % so với cùng kỳ năm 2023 "
        "(1.000 đảng viên).")
    assert "0/39 chi bộ đạt và vượt chỉ tiêu; 39 chi bộ chưa đạt: Chi bộ tổ 1," in text
    assert f"Chi bộ tổ {MAX_NAMED} và {39 - MAX_NAMED} chi bộ khác." in text
    assert "có 17.005 đảng viên, không thay đổi" in text
    assert "Hiện có 3 quần chúng" in text  # the running year: today's candidates
    assert "sinh hoạt định kỳ 30/39 tháng, tỷ lệ đảng viên dự sinh hoạt bình quân đạt 90 %; " \
           "cấp ủy viên phụ trách dự 50 % số buổi sinh hoạt." in text
