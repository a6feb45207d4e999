"""Everything one report delivers: the paragraph, the charts and the workbook, built in one call
(CPU work: callers in the event loop run it in a worker thread)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config import Settings
from bot.domain.reports import YearReport
from bot.reports.charts import Chart, build_charts
from bot.reports.workbook import build_workbook
from bot.texts.report import report_paragraph

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ReportFiles:
    paragraph: str
    charts: list[Chart]
    workbook_name: str
    workbook: bytes


def workbook_name(report: YearReport) -> str:
    return f"bao-cao-{report.year}.xlsx"


def build_report_files(report: YearReport, settings: Settings, exported: datetime) -> ReportFiles:
    """`exported`: the moment of the export, aware (shown in the ward's zone in the notes)."""
    lang = settings.general.language
    local = exported.astimezone(settings.tz)
    return ReportFiles(paragraph=report_paragraph(report, lang), charts=build_charts(report, lang),
                       workbook_name=workbook_name(report),
                       workbook=build_workbook(report, settings, local, lang))
