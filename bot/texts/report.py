"""/baocao and `chibo report`: the báo cáo paragraph, the workbook's and charts' words, the chat's.

The paragraph is what a ward report writes, ready to paste: "Năm 2023, Đảng bộ kết nạp được 45
đảng viên, đạt 104,65 % chỉ tiêu Thành ủy Thái Nguyên giao, vượt 4,65 %; bằng 375 % so với cùng
kỳ năm 2022 …".
"""

from __future__ import annotations

from bot.domain.reports import YearFigures, YearReport
from bot.domain.stages import Stage
from bot.texts import t
from bot.texts.formatting import format_date, format_percent

MAX_NAMED = 10  # cells behind named in the paragraph; the workbook lists every one

MESSAGES: dict[str, dict[str, str]] = {
    # --- the paragraph ---
    "report.p.period": {"vi": "Năm {year}", "en": "In {year}"},
    "report.p.period_running": {"vi": "Từ đầu năm {year} đến ngày {date}",
                                "en": "From 1 January {year} to {date}"},
    "report.p.subject_ward": {"vi": "Đảng bộ", "en": "the ward committee"},
    "report.p.subject_again": {"vi": "các chi bộ này", "en": "these cells"},
    "report.p.subject_cells": {"vi": "{count} chi bộ ({names})", "en": "{count} cells ({names})"},
    "report.p.admitted": {"vi": "{period}, {subject} kết nạp được {admitted} đảng viên",
                          "en": "{period}, {subject} admitted {admitted} members"},
    "report.p.none": {"vi": "{period}, {subject} chưa kết nạp được đảng viên nào",
                      "en": "{period}, {subject} has not admitted anyone yet"},
    "report.p.quota_by": {"vi": "chỉ tiêu {who}", "en": "the quota ({who})"},
    "report.p.quota": {"vi": "chỉ tiêu", "en": "the quota"},
    "report.p.reached": {"vi": ", đạt {percent} {quota} ({target} đảng viên)",
                         "en": ", {percent} of {quota} ({target})"},
    "report.p.exceeded": {"vi": ", vượt {over}", "en": ", exceeded by {over}"},
    "report.p.missing": {"vi": ", còn thiếu {missing} đảng viên", "en": ", {missing} to go"},
    "report.p.zero_quota": {"vi": " ({quota}: {target} đảng viên)", "en": " ({quota}: {target})"},
    "report.p.vs_last": {"vi": "; bằng {percent} so với cùng kỳ năm {last_year} ({last} đảng viên)",
                         "en": "; {percent} of the same period of {last_year} ({last})"},
    "report.p.vs_last_none": {"vi": "; cùng kỳ năm {last_year} không kết nạp được đảng viên nào",
                              "en": "; nobody was admitted in the same period of {last_year}"},
    "report.p.cells": {"vi": " {reached}/{count} chi bộ đạt và vượt chỉ tiêu",
                       "en": " {reached} of {count} cells reached their quota"},
    "report.p.cells_behind": {"vi": "; {behind} chi bộ chưa đạt: {names}",
                              "en": "; {behind} behind: {names}"},
    "report.p.more_cells": {"vi": " và {more} chi bộ khác", "en": " and {more} more"},
    "report.p.members": {"vi": " Đến {when}, {subject} có {members} đảng viên, {change} so với cuối năm "
                               "{last_year}.",
                         "en": " At {when}, {subject} has {members} members, {change} on the end of "
                               "{last_year}."},
    "report.p.end_of_year": {"vi": "cuối năm {year}", "en": "the end of {year}"},
    "report.p.up": {"vi": "tăng {n}", "en": "up {n}"},
    "report.p.down": {"vi": "giảm {n}", "en": "down {n}"},
    "report.p.same": {"vi": "không thay đổi", "en": "unchanged"},
    "report.p.candidates": {
        "vi": " Hiện có {candidates} quần chúng đang được bồi dưỡng, xem xét kết nạp và {probation} đảng "
              "viên dự bị.",
        "en": " There are now {candidates} candidates in the pipeline and {probation} probationary members."},
    "report.p.candidates_year_end": {
        "vi": " Cuối năm {year} có {candidates} quần chúng đang được bồi dưỡng, xem xét kết nạp và "
              "{probation} "
              "đảng viên dự bị.",
        "en": " At the end of {year} there were {candidates} candidates in the pipeline and {probation} "
              "probationary members."},
    "report.p.meetings": {
        "vi": " Các chi bộ sinh hoạt định kỳ {held}/{due} tháng, tỷ lệ đảng viên dự sinh hoạt bình quân "
              "đạt {attendance}; "
              "cấp ủy viên phụ trách dự {committee} số buổi sinh hoạt.",
        "en": " Cells met in {held} of {due} months, with {attendance} average attendance; committee members "
              "attended {committee} of the meetings."},
    "report.p.no_meetings": {"vi": " Chưa có báo cáo sinh hoạt chi bộ nào trong năm.",
                             "en": " No cell meeting was reported in the year."},
    # --- charts (short: they are read on a phone) ---
    "chart.quota": {"vi": "Chỉ tiêu", "en": "Quota"},
    "chart.reached": {"vi": "Đạt, vượt", "en": "Reached"},
    "chart.behind": {"vi": "Chưa đạt", "en": "Behind"},
    "chart.quota_title": {"vi": "Kết nạp / chỉ tiêu năm {year}", "en": "Admitted / quota {year}"},
    "chart.quota_shown": {"vi": "\n{shown}/{total} chi bộ, chưa đạt lên trước",
                          "en": "\n{shown} of {total} cells, behind first"},
    "chart.quota_line": {"vi": "Chỉ tiêu ({quota})", "en": "Quota ({quota})"},
    "chart.month": {"vi": "T{n}", "en": "{n}"},
    "chart.months_title": {"vi": "Kết nạp cộng dồn: {year} so với {last}", "en": "Cumulative: {year} vs "
                                                                                 "{last}"},
    "chart.funnel_title": {
        "vi": "Quần chúng và đảng viên dự bị theo từng bước\n(số người · số ngày đã ở bước, trung vị)",
        "en": "Candidates and probationary members by stage\n(people · median days at the stage)"},
    "chart.funnel_note": {"vi": "{n} người · {days} ngày", "en": "{n} · {days} days"},
    "chart.stage.spotted": {"vi": "Quần chúng ưu tú", "en": "Spotted"},
    "chart.stage.course": {"vi": "Học lớp nhận thức", "en": "Course"},
    "chart.stage.dossier": {"vi": "Hồ sơ", "en": "Dossier"},
    "chart.stage.introduced": {"vi": "Có người giới thiệu", "en": "Introduced"},
    "chart.stage.cell_vote": {"vi": "Chi bộ đã xét", "en": "Cell voted"},
    "chart.stage.ward_resolution": {"vi": "Đảng ủy đã xét", "en": "Ward resolved"},
    "chart.stage.decision": {"vi": "Có quyết định", "en": "Decision"},
    "chart.stage.ceremony": {"vi": "Dự bị", "en": "Probation"},
    # --- chat ---
    "report.working": {"vi": "⏳ Đang lập báo cáo năm {year}, đồng chí chờ trong giây lát…",
                       "en": "⏳ Preparing the {year} report…"},
    "report.chart.caption.quota": {"vi": "Kết nạp so với chỉ tiêu, từng chi bộ — năm {year}",
                                   "en": "Admissions against quota, by cell — {year}"},
    "report.chart.caption.months": {"vi": "Kết nạp cộng dồn theo tháng: năm {year} và năm {last}",
                                    "en": "Cumulative admissions by month: {year} and {last}"},
    "report.chart.caption.funnel": {
        "vi": "Quần chúng và đảng viên dự bị theo từng bước, số ngày ở bước hiện tại (trung vị)",
        "en": "Candidates and probationary members by stage, median days at their stage"},
    "report.workbook.caption": {"vi": "Bảng tính báo cáo năm {year} (mở bằng Excel)",
                                "en": "The {year} report workbook (open with Excel)"},
    "report.links_header": {"vi": "📎 Tải các tệp báo cáo (liên kết dùng được đến {until}):",
                            "en": "📎 Download the report files (links work until {until}):"},
    "report.link_line": {"vi": "• {title}: {url}", "en": "• {title}: {url}"},
    "report.no_public_url": {
        "vi": "Zalo chỉ nhận ảnh và tệp qua đường dẫn, nên chưa gửi được biểu đồ và bảng tính. "
              "Đồng chí nhờ người quản trị máy chủ khai báo địa chỉ công khai của chibo ở mục "
              "[files] public_url trong chibo.toml (ví dụ https://chibo.example.org/files), "
              "hoặc lấy bảng tính trên máy bằng lệnh: chibo report --year {year} --out bao-cao-{year}.xlsx",
        "en": "Zalo takes pictures and files only by link, so the charts and workbook were not sent. "
              "Ask whoever runs the server to set [files] public_url in chibo.toml (e.g. "
              "https://chibo.example.org/files), or run: chibo report --year {year} --out "
              "bao-cao-{year}.xlsx"},
    "report.file.workbook": {"vi": "Bảng tính (Excel)", "en": "Workbook (Excel)"},
    "report.file.chart": {"vi": "Biểu đồ {n}", "en": "Chart {n}"},
    "error.report_not_allowed": {
        "vi": "Lệnh /baocao dành cho Văn phòng Đảng ủy, cấp ủy viên và bí thư chi bộ.",
        "en": "/baocao is for the ward office, committee members and cell secretaries."},
    "error.report_unknown_cell": {"vi": "Không có chi bộ «{name}» (hoặc có nhiều chi bộ trùng tên này).",
                                  "en": "No cell «{name}» (or several cells match it)."},
    "report.cli_written": {"vi": "Đã ghi {path}", "en": "Wrote {path}"},
    "error.report_no_cells": {"vi": "Đồng chí chưa được phân công phụ trách chi bộ nào nên chưa có gì để "
                                    "báo cáo.",
                              "en": "You are not in charge of any cell yet, so there is nothing to report."},
}


def format_int(n: int, lang: str = "vi") -> str:
    """1556 → "1.556" in Vietnamese (dot for thousands), "1,556" in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "vi" else text


def _change(n: int, lang: str) -> str:
    if n > 0:
        return t("report.p.up", lang, n=format_int(n, lang))
    if n < 0:
        return t("report.p.down", lang, n=format_int(-n, lang))
    return t("report.p.same", lang)


def _subject(r: YearReport, lang: str) -> str:
    if r.scope == "ward":
        return t("report.p.subject_ward", lang)
    if len(r.cells) == 1:
        return r.cells[0].name
    return t("report.p.subject_cells", lang, count=len(r.cells), names=", ".join(c.name for c in r.cells))


def _admissions(r: YearReport, f: YearFigures, lang: str) -> str:
    period = (t("report.p.period_running", lang, year=r.year, date=format_date(r.same_period_until, lang))
              if r.same_period_until else t("report.p.period", lang, year=r.year))
    p = f.progress
    subject = _subject(r, lang)
    quota = t("report.p.quota_by", lang, who=f.quota_set_by) if f.quota_set_by else t("report.p.quota", lang)
    if p.admitted == 0:
        text = t("report.p.none", lang, period=period, subject=subject)
        if p.quota > 0:
            text += t("report.p.zero_quota", lang, quota=quota, target=format_int(p.quota, lang))
    else:
        text = t("report.p.admitted", lang, period=period, subject=subject,
                 admitted=format_int(p.admitted, lang))
        if p.percent is not None:
            text += t("report.p.reached", lang, percent=format_percent(p.percent, lang=lang), quota=quota,
                      target=format_int(p.quota, lang))
            if p.exceeded_by is not None:
                text += t("report.p.exceeded", lang, over=format_percent(p.exceeded_by, lang=lang))
            elif p.behind:
                text += t("report.p.missing", lang, missing=p.missing)
    if f.vs_last_year is None:
        text += t("report.p.vs_last_none", lang, last_year=r.year - 1)
    else:
        text += t("report.p.vs_last", lang, percent=format_percent(f.vs_last_year, lang=lang),
                  last_year=r.year - 1, last=format_int(f.last_year, lang))
    return text + "."


def report_paragraph(r: YearReport, lang: str = "vi") -> str:
    """The year in the sentences of a ward báo cáo, ready to paste."""
    f = r.total
    text = _admissions(r, f, lang)
    if len(r.cells) > 1:
        behind = [c.name for c in r.cells if c.progress.behind]
        text += t("report.p.cells", lang, reached=len(r.cells) - len(behind), count=len(r.cells))
        if behind:
            names = ", ".join(behind[:MAX_NAMED])
            if len(behind) > MAX_NAMED:
                names += t("report.p.more_cells", lang, more=len(behind) - MAX_NAMED)
            text += t("report.p.cells_behind", lang, behind=len(behind), names=names)
        text += "."
    if f.members is not None:
        when = (format_date(r.same_period_until, lang) if r.same_period_until
                else t("report.p.end_of_year", lang, year=r.year))
        again = _subject(r, lang) if r.scope != "cells" else t("report.p.subject_again", lang)
        text += t("report.p.members", lang, when=when, subject=again,
                  members=format_int(f.members.at_end, lang), change=_change(f.members.change, lang),
                  last_year=r.year - 1)
    probation = f.stages.get(Stage.CEREMONY, 0)
    # The stages are those at the end of a past year (as /tonghop shows them), today's otherwise.
    text += t("report.p.candidates" if r.same_period_until else "report.p.candidates_year_end", lang,
              year=r.year, candidates=format_int(f.candidates - probation, lang),
              probation=format_int(probation, lang))
    m = f.meetings
    if m.meetings and m.attendance is not None:
        text += t("report.p.meetings", lang, held=format_int(m.held, lang), due=format_int(m.due, lang),
                  attendance=format_percent(m.attendance, lang=lang),
                  committee=format_percent(m.committee_rate or 0, lang=lang))
    else:
        text += t("report.p.no_meetings", lang)
    return text
