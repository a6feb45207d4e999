"""A year's figures in the words of a ward report: "Năm 2023, Đảng bộ kết nạp được 45 đảng viên,
đạt 104,65 % chỉ tiêu Thành ủy giao (vượt 4,65 %), bằng 375 % so với cùng kỳ năm 2022".

Used by /tonghop (the ward, in one message at any ward size) and /tiendo (a cell's members).
"""

from __future__ import annotations

from decimal import Decimal

from bot.domain.cells import natural_key
from bot.domain.membership import Movement
from bot.domain.quotas import Progress, Quota, QuotaSource
from bot.domain.status import WardNow, WardSummary
from bot.domain.yearfigures import CellYear, WardYear
from bot.texts import t
from bot.texts.formatting import format_date, format_percent

# /tonghop names this many cells most behind; the rest are in /baocao's workbook.
MOST_BEHIND = 5
# …and this many names in a list of cells (missing meetings, a committee member's cells).
MAX_NAMES = 6

MESSAGES: dict[str, dict[str, str]] = {
    "quota.by.plan": {"vi": "chỉ tiêu {set_by}", "en": "the quota ({set_by})"},
    "quota.by.plan_unnamed": {"vi": "chỉ tiêu được giao", "en": "the quota set"},
    "quota.by.cell": {"vi": "chỉ tiêu Đảng ủy giao", "en": "the quota set by the ward"},
    "quota.by.default": {"vi": "chỉ tiêu theo mức mặc định", "en": "the default quota"},
    "quota.by.cells": {"vi": "tổng chỉ tiêu các chi bộ", "en": "the sum of the cells' quotas"},
    "report.none_admitted": {"vi": "chưa kết nạp được đảng viên nào",
                             "en": "nobody admitted yet"},
    "report.header": {"vi": "📋 {committee} — tổng hợp năm {year}",
                      "en": "📋 {committee} — summary for {year}"},
    "report.when.year": {"vi": "Năm {year}", "en": "In {year}"},
    "report.when.running": {"vi": "Từ đầu năm {year} đến ngày {date}",
                            "en": "From 1 January {year} to {date}"},
    "report.admitted": {
        "vi": "{when}, Đảng bộ kết nạp được {admitted} đảng viên, đạt {percent} {quota_by}{beyond}",
        "en": "{when}, the ward admitted {admitted} members: {percent} of {quota_by}{beyond}"},
    "report.admitted_none": {
        "vi": "{when}, Đảng bộ chưa kết nạp được đảng viên nào ({quota_by}: {quota})",
        "en": "{when}, the ward has admitted nobody ({quota_by}: {quota})"},
    "report.admitted_no_quota": {"vi": "{when}, Đảng bộ kết nạp được {admitted} đảng viên",
                                 "en": "{when}, the ward admitted {admitted} members"},
    "report.exceeded": {"vi": " (vượt {over})", "en": " (exceeded by {over})"},
    "report.missing": {"vi": ", còn thiếu {missing} đảng viên", "en": ", {missing} to go"},
    "report.vs_last_year": {"vi": ", bằng {percent} so với cùng kỳ năm {last_year} ({last} đảng viên).",
                            "en": ", {percent} of the same period of {last_year} ({last})."},
    "report.vs_last_year_none": {
        "vi": "; cùng kỳ năm {last_year} chưa kết nạp được đảng viên nào.",
        "en": "; nobody was admitted in the same period of {last_year}."},
    "report.members": {
        "vi": "{when_members} toàn Đảng bộ có {members} đảng viên, {change} so với cuối năm "
              "{last_year}{detail}.",
        "en": "{when_members} the ward has {members} members, {change} on the end of {last_year}{detail}."},
    "members.at_year_end": {"vi": "Cuối năm {year}", "en": "At the end of {year}"},
    "members.now": {"vi": "Hiện nay", "en": "Today"},
    "members.up": {"vi": "tăng {n}", "en": "up {n}"},
    "members.down": {"vi": "giảm {n}", "en": "down {n}"},
    "members.same": {"vi": "không tăng không giảm", "en": "unchanged"},
    "members.detail": {"vi": " ({parts})", "en": " ({parts})"},
    "members.admitted": {"vi": "kết nạp {n}", "en": "admitted {n}"},
    "members.transferred_in": {"vi": "chuyển đến {n}", "en": "transferred in {n}"},
    "members.transferred_out": {"vi": "chuyển đi {n}", "en": "transferred out {n}"},
    "members.died": {"vi": "từ trần {n}", "en": "died {n}"},
    "members.removed": {"vi": "xóa tên hoặc khai trừ {n}", "en": "struck off or expelled {n}"},
    "members.other_left": {"vi": "ra khỏi danh sách {n}", "en": "left {n}"},
    "members.cell": {
        "vi": "Đảng viên {when}: {members}, {change} so với cuối năm {last_year}{detail}",
        "en": "Members {when}: {members}, {change} on the end of {last_year}{detail}"},
    "members.cell_when.year_end": {"vi": "cuối năm {year}", "en": "at the end of {year}"},
    "members.cell_when.now": {"vi": "hiện nay", "en": "today"},
    "report.cells": {
        "vi": "Có {reached}/{total} chi bộ đạt chỉ tiêu; {behind} chi bộ chưa đạt, trong đó {none} chi bộ "
              "chưa kết nạp được đảng viên nào.",
        "en": "{reached} of {total} cells reached their quota; {behind} did not, {none} of them admitted "
              "nobody."},
    "report.cells_all": {"vi": "Tất cả {total} chi bộ đạt chỉ tiêu.",
                         "en": "All {total} cells reached their quota."},
    "report.behind_header": {"vi": "Các chi bộ chậm nhất:", "en": "Cells furthest behind:"},
    "report.cell_line": {"vi": "🔴 {cell}: {admitted}/{quota} — {phrase}",
                         "en": "🔴 {cell}: {admitted}/{quota} — {phrase}"},
    "report.more_behind": {"vi": "… và {n} chi bộ chưa đạt khác.", "en": "… and {n} more cells behind."},
    "report.see_workbook": {"vi": "Xem đủ từng chi bộ trong /baocao.",
                            "en": "Every cell is in /baocao."},
    "report.current_header": {"vi": "Tình hình hiện nay:", "en": "Where things stand now:"},
    "report.more_names": {"vi": "{names} và {n} chi bộ khác", "en": "{names} and {n} more"},
    "report.meetings_missing": {
        "vi": "• Chưa báo cáo sinh hoạt tháng {month}/{year}: {count} chi bộ ({cells}).",
        "en": "• No meeting reported for {month}/{year}: {count} cells ({cells})."},
    "report.meetings_all": {"vi": "• Tất cả chi bộ đã báo cáo sinh hoạt tháng {month}/{year}.",
                            "en": "• Every cell reported a meeting for {month}/{year}."},
    "report.committee_absent": {
        "vi": "• {count} cấp ủy viên chưa dự sinh hoạt chi bộ phụ trách {window}: {people}.",
        "en": "• {count} committee members have not attended their cells in {window}: {people}."},
    "report.committee_all": {"vi": "• Cấp ủy viên đều đã dự sinh hoạt chi bộ phụ trách {window}.",
                             "en": "• Every committee member attended their cells in {window}."},
    "report.more_people": {"vi": "{names} và {n} đồng chí khác", "en": "{names} and {n} more"},
    "report.meetings_cell": {"vi": "Sinh hoạt: {held}/{due} tháng có họp; tỷ lệ dự {attendance}",
                             "en": "Meetings: {held} of {due} months; attendance {attendance}"},
    "report.meetings_cell_no_attendance": {"vi": "Sinh hoạt: {held}/{due} tháng có họp",
                                           "en": "Meetings: {held} of {due} months"},
}


def quota_by(quota: Quota, lang: str) -> str:
    """Who set the quota, as the report names it: "chỉ tiêu Thành ủy giao", "… theo mức mặc định"."""
    if quota.source is QuotaSource.PLAN:
        return t("quota.by.plan", lang, set_by=quota.set_by) if quota.set_by \
            else t("quota.by.plan_unnamed", lang)
    return t(f"quota.by.{quota.source.value}", lang)


def change_words(change: int, lang: str) -> str:
    if change > 0:
        return t("members.up", lang, n=change)
    if change < 0:
        return t("members.down", lang, n=-change)
    return t("members.same", lang)


def movement_detail(m: Movement, lang: str) -> str:
    """" (kết nạp 2, chuyển đi 1)": the non-zero parts of who came and went, or nothing."""
    parts = [t(f"members.{name}", lang, n=n) for name, n in (
        ("admitted", m.admitted), ("transferred_in", m.transferred_in),
        ("transferred_out", m.transferred_out), ("died", m.died), ("removed", m.removed),
        ("other_left", m.other_left)) if n]
    return t("members.detail", lang, parts=", ".join(parts)) if parts else ""


def thousands(n: int, lang: str) -> str:
    """1712 → "1.712" (Vietnamese) or "1,712"."""
    return f"{n:,}".replace(",", ".") if lang == "vi" else f"{n:,}"


def _pct(value: Decimal, lang: str) -> str:
    return format_percent(value, lang=lang)


def admitted_sentence(w: WardYear, lang: str) -> str:
    """The report's first sentence: admitted, against whose quota, against last year."""
    p = w.period
    when = (t("report.when.running", lang, year=w.year, date=format_date(p.end, lang)) if p.running
            else t("report.when.year", lang, year=w.year))
    by = quota_by(w.quota, lang)
    progress = w.progress
    if progress.percent is None:
        text = t("report.admitted_no_quota", lang, when=when, admitted=w.admitted)
    elif w.admitted == 0:
        text = t("report.admitted_none", lang, when=when, quota_by=by, quota=w.quota.value)
    else:
        beyond = (t("report.exceeded", lang, over=_pct(progress.exceeded_by, lang))
                  if progress.exceeded_by is not None
                  else t("report.missing", lang, missing=progress.missing) if progress.behind else "")
        text = t("report.admitted", lang, when=when, admitted=w.admitted,
                 percent=_pct(progress.percent, lang), quota_by=by, beyond=beyond)
    if w.vs_last_year is None:
        return text + t("report.vs_last_year_none", lang, last_year=w.year - 1)
    return text + t("report.vs_last_year", lang, percent=_pct(w.vs_last_year, lang),
                    last_year=w.year - 1, last=w.last_year_admitted)


def members_sentence(w: WardYear, lang: str) -> str:
    when = (t("members.now", lang) if w.period.running
            else t("members.at_year_end", lang, year=w.year))
    return t("report.members", lang, when_members=when, members=thousands(w.members_end, lang),
             change=change_words(w.change, lang), last_year=w.year - 1,
             detail=movement_detail(w.movement, lang))


def cell_phrase(progress: Progress, lang: str) -> str:
    """"chưa kết nạp được đảng viên nào" for none, else "đạt 50 % (còn thiếu 1)" as /tiendo says."""
    from bot.texts.status import phrase  # /tiendo's wording, one place for both

    if progress.admitted == 0 and progress.quota > 0:
        return t("report.none_admitted", lang)
    return phrase(progress, lang)


def most_behind(cells: tuple[CellYear, ...]) -> list[CellYear]:
    """Cells below their quota, the furthest behind first (most missing, then lowest percent)."""
    behind = [c for c in cells if c.progress.behind]
    return sorted(behind, key=lambda c: (-c.progress.missing, c.progress.percent or 0,
                                         natural_key(c.cell.name)))


def cells_lines(w: WardYear, lang: str, limit: int = MOST_BEHIND) -> list[str]:
    """How many cells reached their quota, and the `limit` furthest behind."""
    behind = most_behind(w.cells)
    total = len(w.cells)
    if not behind:
        return [t("report.cells_all", lang, total=total), t("report.see_workbook", lang)]
    none = sum(1 for c in behind if c.admitted == 0)
    lines = [t("report.cells", lang, reached=total - len(behind), total=total, behind=len(behind),
               none=none), t("report.behind_header", lang)]
    for c in behind[:limit]:
        lines.append(t("report.cell_line", lang, cell=c.cell.name, admitted=c.admitted,
                       quota=c.quota.value, phrase=cell_phrase(c.progress, lang)))
    if len(behind) > limit:
        lines.append(t("report.more_behind", lang, n=len(behind) - limit))
    lines.append(t("report.see_workbook", lang))
    return lines


def capped(names: list[str], lang: str, key: str = "report.more_names", limit: int = MAX_NAMES) -> str:
    """"A, B, C" or "A, B, C và 12 chi bộ khác": a list that keeps the message short at any size."""
    if len(names) <= limit:
        return ", ".join(names)
    return t(key, lang, names=", ".join(names[:limit]), n=len(names) - limit)


def cell_members_line(row: CellYear, lang: str) -> str:
    """/tiendo: "Đảng viên cuối năm 2023: 119, tăng 2 so với cuối năm 2022 (kết nạp 2)"."""
    year = row.period.year
    when = (t("members.cell_when.now", lang) if row.period.running
            else t("members.cell_when.year_end", lang, year=year))
    return t("members.cell", lang, when=when, members=thousands(row.members_end, lang),
             change=change_words(row.change, lang), last_year=year - 1,
             detail=movement_detail(row.movement, lang))


def cell_meetings_line(row: CellYear, lang: str) -> str | None:
    """"Sinh hoạt: 11/12 tháng có họp; tỷ lệ dự 86,5 %", or None before any month is due (and for
    a past year with no meeting recorded at all: the bot was not in use yet, nothing to say)."""
    if row.meetings_due == 0 or (not row.period.running and row.meetings_held == 0):
        return None
    if row.attendance is None:
        return t("report.meetings_cell_no_attendance", lang, held=row.meetings_held, due=row.meetings_due)
    return t("report.meetings_cell", lang, held=row.meetings_held, due=row.meetings_due,
             attendance=format_percent(row.attendance, places=1, lang=lang))


def now_lines(now: WardNow, lang: str) -> list[str]:
    """"Tình hình hiện nay": last month's missing meetings, committee members absent — short lists."""
    from bot.texts.status import window_label

    year, month = now.missing_meeting_month
    lines = ["", t("report.current_header", lang)]
    if now.cells_missing_meeting:
        lines.append(t("report.meetings_missing", lang, month=month, year=year,
                       count=len(now.cells_missing_meeting),
                       cells=capped(list(now.cells_missing_meeting), lang)))
    else:
        lines.append(t("report.meetings_all", lang, month=month, year=year))
    window = window_label(now.committee_window, lang)
    if now.committee_not_attended:
        people = [f"{name} ({capped(list(cells), lang, limit=2)})"
                  for name, cells in now.committee_not_attended]
        lines.append(t("report.committee_absent", lang, count=len(people), window=window,
                       people=capped(people, lang, key="report.more_people", limit=4)))
    else:
        lines.append(t("report.committee_all", lang, window=window))
    return lines


def ward_report_lines(s: WardSummary, lang: str) -> list[str]:
    """/tonghop as one message at any ward size: the ward's sentences, how many cells reached their
    quota and the few furthest behind (the rest in /baocao), then what is current (running year)."""
    w = s.figures
    lines = [t("report.header", lang, committee=w.committee_name, year=w.year),
             admitted_sentence(w, lang), members_sentence(w, lang), "", *cells_lines(w, lang)]
    if s.now is not None:
        lines += now_lines(s.now, lang)
    return lines
