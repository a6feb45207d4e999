"""The report workbook: five print-ready sheets (A4 landscape, frozen headers, titles on each page).

Numbers are written as numbers, dates as dates and percentages as fractions with a percent
format, so the office can sum and sort them; Excel shows the decimal comma of a Vietnamese
locale by itself. Text people typed (names of cells and candidates) is always written as text:
one starting with "=", "+", "-" or "@" would otherwise become a formula (CSV/formula injection).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.config import Settings
from bot.domain.reports import YearFigures, YearReport
from bot.domain.stages import Stage
from bot.texts import t
from bot.texts.formatting import format_date
from bot.texts.report import report_paragraph

PERCENT = "0.00 %"
INTEGER = "#,##0"
SIGNED = "+#,##0;-#,##0;0"
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"
FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
BEHIND_FILL = PatternFill("solid", fgColor="FBE3E1")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ROW = 4  # rows 1–3: title, scope, blank


class Rules:
    """What the notes sheet quotes from the configuration (plain values, no settings import)."""

    def __init__(self, settings: Settings) -> None:
        self.count_by = settings.quotas.count_by
        self.residential = settings.quotas.residential
        self.agency = settings.quotas.agency
        r = settings.rules
        self.certificate, self.dossier = r.certificate_valid_months, r.dossier_max_age_months
        self.decision, self.ceremony = r.decision_due_working_days, r.ceremony_due_working_days
        self.probation = r.probation_months


def _put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> Cell:
    """One value, typed: text that looks like a formula stays text; Decimals become numbers."""
    cell: Cell = ws.cell(row=row, column=col)
    if isinstance(value, Decimal):
        value = float(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True  # Excel keeps it text when someone edits the cell
    if fmt:
        cell.number_format = fmt
    elif isinstance(value, datetime):
        cell.number_format = DATETIME
    elif isinstance(value, date):
        cell.number_format = DATE
    return cell


def _fraction(percent: Decimal | None) -> float | None:
    """104.65 (percent) → 1.0465, shown as "104,65 %" by the percent format."""
    return None if percent is None else float(percent / 100)


def _sheet(wb: Workbook, title: str, report: YearReport, lang: str, first: bool = False) -> Worksheet:
    ws = wb.active if first else wb.create_sheet()
    assert ws is not None
    ws.title = title
    heading = (t("wb.title_running", lang, year=report.year, date=format_date(report.today, lang))
               if report.same_period_until else t("wb.title", lang, year=report.year))
    _put(ws, 1, 1, heading).font = Font(bold=True, size=13)
    scope = report.committee if report.scope == "ward" else report.total.name
    _put(ws, 2, 1, t("wb.scope", lang, scope=scope)).font = Font(italic=True)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddHeader.center.text = f"{report.committee} — {title} — {report.year}"
    ws.oddFooter.center.text = t("wb.page", lang)
    return ws


def _table(ws: Worksheet, headers: list[str], widths: list[int]) -> None:
    """The header row, frozen and repeated on every printed page."""
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(ws, HEADER_ROW, col, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 32
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(headers))}{HEADER_ROW}"


def _summary(wb: Workbook, r: YearReport, lang: str, rules: Rules) -> None:
    ws = _sheet(wb, t("wb.sheet.summary", lang), r, lang, first=True)
    _table(ws, [t("wb.col.figure", lang), t("wb.col.value", lang), t("wb.col.note", lang)], [52, 16, 60])
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    f = r.total
    p = f.progress
    quota_note = t("wb.quota_by", lang, who=f.quota_set_by) if f.quota_set_by else t("wb.quota_sum", lang)
    rows: list[tuple[str, Any, str | None, str]] = [
        (t("wb.row.admitted", lang), p.admitted, INTEGER, ""),
        (t("wb.row.quota", lang), p.quota, INTEGER, quota_note),
        (t("wb.row.percent", lang), _fraction(p.percent), PERCENT, ""),
        (t("wb.row.over", lang), _fraction(p.exceeded_by) or 0.0, PERCENT, ""),
        (t("wb.row.missing", lang), p.missing, INTEGER, ""),
        (t("wb.row.last_year", lang, year=r.year - 1), f.last_year, INTEGER, ""),
        (t("wb.row.vs_last", lang), _fraction(f.vs_last_year), PERCENT, ""),
    ]
    if f.members is not None:
        rows += [(t("wb.row.members", lang), f.members.at_end, INTEGER, ""),
                 (t("wb.row.members_change", lang, year=r.year - 1), f.members.change, SIGNED, "")]
    behind = [c.name for c in r.cells if c.progress.behind]
    rows += [(t("wb.row.cells", lang), len(r.cells), INTEGER, ""),
             (t("wb.row.cells_behind", lang), len(behind), INTEGER, ", ".join(behind[:30])),
             (t("wb.row.candidates", lang), f.candidates - f.stages.get(Stage.CEREMONY, 0), INTEGER, "")]
    rows += [(t("wb.row.stage", lang, stage=t(f"stage.{s.value}", lang)), f.stages.get(s, 0), INTEGER, "")
             for s in (x.stage for x in r.funnel)]
    m = f.meetings
    rows += [(t("wb.row.meetings_held", lang), m.held, INTEGER, ""),
             (t("wb.row.meetings_due", lang), m.due, INTEGER, ""),
             (t("wb.row.meetings_count", lang), m.meetings, INTEGER, ""),
             (t("wb.row.attendance", lang), _fraction(m.attendance), PERCENT, ""),
             (t("wb.row.committee", lang), _fraction(m.committee_rate), PERCENT, "")]
    row = HEADER_ROW
    for label, value, fmt, note in rows:
        row += 1
        _put(ws, row, 1, label).border = BOX
        _put(ws, row, 2, value, fmt).border = BOX
        _put(ws, row, 3, note).border = BOX
    row += 2
    _put(ws, row, 1, t("wb.row.paragraph", lang)).font = Font(bold=True)
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    cell = _put(ws, row, 1, report_paragraph(r, lang))
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row].height = 150


def _cell_columns(lang: str) -> tuple[list[str], list[int]]:
    keys = ["no", "cell", "quota", "admitted", "percent", "status", "last_year", "vs_last", "members",
            "change", "candidates", "probation", "held", "due", "attendance", "committee", "quota_by"]
    widths = [6, 30, 9, 9, 11, 10, 11, 11, 11, 10, 12, 10, 11, 11, 12, 11, 22]
    return [t(f"wb.h.{k}", lang) for k in keys], widths


def _status(f: YearFigures, lang: str) -> str:
    p = f.progress
    if p.behind:
        return t("wb.status.behind", lang)
    return t("wb.status.exceeded" if p.exceeded_by is not None else "wb.status.reached", lang)


def _cells(wb: Workbook, r: YearReport, lang: str) -> None:
    ws = _sheet(wb, t("wb.sheet.cells", lang), r, lang)
    headers, widths = _cell_columns(lang)
    _table(ws, headers, widths)
    row = HEADER_ROW
    for n, f in enumerate((*r.cells, r.total), start=1):
        row += 1
        is_total = n == len(r.cells) + 1
        m = f.meetings
        values: list[tuple[Any, str | None]] = [
            ("" if is_total else n, None), (t("wb.h.total", lang) if is_total else f.name, None),
            (f.progress.quota, INTEGER), (f.progress.admitted, INTEGER),
            (_fraction(f.progress.percent), PERCENT), (_status(f, lang), None),
            (f.last_year, INTEGER), (_fraction(f.vs_last_year), PERCENT),
            (f.members.at_end if f.members else None, INTEGER),
            (f.members.change if f.members else None, SIGNED),
            (f.candidates - f.stages.get(Stage.CEREMONY, 0), INTEGER),
            (f.stages.get(Stage.CEREMONY, 0), INTEGER),
            (m.held, INTEGER), (m.due, INTEGER), (_fraction(m.attendance), PERCENT),
            (m.committee_attended, INTEGER), (f.quota_set_by or None, None),
        ]
        for col, (value, fmt) in enumerate(values, start=1):
            cell = _put(ws, row, col, value, fmt)
            cell.border = BOX
            if is_total:
                cell.font = Font(bold=True)
            elif f.progress.behind:
                cell.fill = BEHIND_FILL


def _candidates(wb: Workbook, r: YearReport, lang: str) -> None:
    ws = _sheet(wb, t("wb.sheet.candidates", lang), r, lang)
    keys = ["no", "cell", "name", "stage", "entered", "days", "next", "due_date", "overdue"]
    _table(ws, [t(f"wb.h.{k}", lang) for k in keys], [6, 26, 28, 30, 13, 10, 40, 13, 10])
    overdue = t("wb.status.overdue", lang)
    for n, c in enumerate(r.candidates, start=1):
        row = HEADER_ROW + n
        values = [n, c.cell, c.name, t(f"stage.{c.stage.value}", lang), c.entered, c.days_in_stage,
                  t(f"clock.{c.next_clock.value}", lang) if c.next_clock else None, c.next_due,
                  overdue if c.overdue else None]
        for col, value in enumerate(values, start=1):
            cell = _put(ws, row, col, value, INTEGER if col in (1, 6) else None)
            if c.overdue:
                cell.fill = BEHIND_FILL


def _meetings(wb: Workbook, r: YearReport, lang: str) -> None:
    ws = _sheet(wb, t("wb.sheet.meetings", lang), r, lang)
    keys = ["no", "cell", "month", "meetings", "expected", "present", "attendance", "absent_excused",
            "absent_unexcused", "committee"]
    _table(ws, [t(f"wb.h.{k}", lang) for k in keys], [6, 30, 8, 9, 12, 10, 12, 12, 12, 11])
    for n, m in enumerate(r.meetings, start=1):
        row = HEADER_ROW + n
        rate = m.present / m.expected if m.expected else None
        values = [(n, INTEGER), (m.cell, None), (m.month, "0"), (m.meetings, INTEGER), (m.expected, INTEGER),
                  (m.present, INTEGER), (rate, PERCENT), (m.absent_excused, INTEGER),
                  (m.absent_unexcused, INTEGER), (m.committee_attended, INTEGER)]
        for col, (value, fmt) in enumerate(values, start=1):
            _put(ws, row, col, value, fmt)


def _notes(wb: Workbook, r: YearReport, lang: str, rules: Rules, exported: datetime) -> None:
    ws = _sheet(wb, t("wb.sheet.notes", lang), r, lang)
    _table(ws, [t("wb.col.figure", lang), t("wb.col.note", lang)], [34, 110])
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    step = t(f"wb.step.{rules.count_by}", lang)
    notes = [
        (t("wb.row.admitted", lang), t("wb.note.admitted", lang, step=step)),
        (t("wb.row.quota", lang),
         t("wb.note.quota", lang, residential=rules.residential, agency=rules.agency)),
        (t("wb.row.percent", lang), t("wb.note.percent", lang)),
        (t("wb.row.vs_last", lang), t("wb.note.vs_last", lang)),
        (t("wb.row.members", lang), t("wb.note.members", lang)),
        (t("wb.sheet.candidates", lang), t("wb.note.candidates", lang, certificate=rules.certificate,
                                           dossier=rules.dossier, decision=rules.decision,
                                           ceremony=rules.ceremony, probation=rules.probation)),
        (t("wb.sheet.meetings", lang), t("wb.note.meetings", lang)),
        (t("wb.note.funnel_label", lang), t("wb.note.funnel", lang)),
    ]
    row = HEADER_ROW
    for label, text in notes:
        row += 1
        _put(ws, row, 1, label).alignment = Alignment(vertical="top", wrap_text=True)
        _put(ws, row, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
    row += 2
    _put(ws, row, 1, t("wb.exported", lang)).font = Font(bold=True)
    _put(ws, row, 2, exported.replace(tzinfo=None), DATETIME).alignment = Alignment(horizontal="left")
    _put(ws, row + 1, 2, t("wb.exported_note", lang, zone=str(exported.tzinfo)))


def build_workbook(report: YearReport, settings: Settings, exported: datetime, lang: str = "vi") -> bytes:
    """The .xlsx file's bytes. `exported` is the export moment in the ward's time zone."""
    rules = Rules(settings)
    wb = Workbook()
    _summary(wb, report, lang, rules)
    _cells(wb, report, lang)
    _candidates(wb, report, lang)
    _meetings(wb, report, lang)
    _notes(wb, report, lang, rules, exported)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
