"""/tiendo [year] and /tonghop [year]: where a cell, or the whole ward, stands."""

from __future__ import annotations

from datetime import date

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.handlers.common import registered_user, reply
from bot.handlers.runtime import ChiboContext
from bot.services.status import CellStatus, WardSummary, cell_statuses, ward_summary
from bot.texts import t
from bot.texts.formatting import format_date, format_percent
from bot.texts.status import phrase, split_message, stage_lines, window_label

MIN_YEAR = 2000


def render_cell(status: CellStatus, lang: str, today: date) -> list[str]:
    p = status.progress
    lines = [t("status.header", lang, cell=status.cell.name, year=status.year),
             t("status.quota", lang, admitted=p.admitted, quota=p.quota, phrase=phrase(p, lang))]
    if status.admitted:
        names = ", ".join(f"{name} ({format_date(on, lang)})" for name, on in status.admitted)
        lines.append(t("status.admitted_names", lang, names=names))
    stages = stage_lines(status.stages, lang)
    lines += [t("status.stages_header", lang), *stages] if stages else [t("status.no_candidates", lang)]
    m = status.last_meeting
    if m is None:
        lines.append(t("status.no_meeting", lang))
    else:
        committee = t("status.committee_attended" if m.committee_member_attended
                      else "status.committee_absent", lang)
        lines.append(t("status.last_meeting", lang, date=format_date(m.held_on, lang),
                       kind=t(f"meeting_kind.{m.kind.value}", lang), present=m.present,
                       expected=m.expected, committee=committee))
    if status.deadlines:
        lines.append(t("status.deadlines_header", lang))
        for item in status.deadlines:
            overdue = t("status.overdue", lang) if item.deadline.due < today else ""
            lines.append(t("status.deadline_line", lang, date=format_date(item.deadline.due, lang),
                           name=item.candidate_name, clock=t(f"clock.{item.deadline.clock.value}", lang),
                           overdue=overdue))
    return lines


def render_compact(status: CellStatus, lang: str) -> str:
    p = status.progress
    meeting = (format_date(status.last_meeting.held_on, lang) if status.last_meeting
               else t("status.never", lang))
    return t("status.compact", lang, cell=status.cell.name, admitted=p.admitted, quota=p.quota,
             phrase=phrase(p, lang), candidates=sum(status.stages.values()), meeting=meeting)


def render_summary(s: WardSummary, lang: str) -> list[str]:
    p = s.progress
    lines = [t("summary.header", lang, committee=s.committee_name, year=s.year)]
    if s.same_period_until is not None:
        lines.append(t("summary.until", lang, date=format_date(s.same_period_until, lang)))
    lines.append(t("summary.total", lang, admitted=p.admitted, quota=p.quota, phrase=phrase(p, lang)))
    if s.vs_last_year is None:
        lines.append(t("summary.vs_last_year_none", lang, last_year=s.year - 1))
    else:
        lines.append(t("summary.vs_last_year", lang, last_year=s.year - 1, last=s.last_year_admitted,
                       percent=format_percent(s.vs_last_year, lang=lang)))
    lines += ["", t("summary.cells_header", lang)]
    for row in s.rows:
        rp = row.progress
        lines.append(t("summary.cell_line", lang, mark="🔴" if rp.behind else "🟢", cell=row.cell.name,
                       admitted=rp.admitted, quota=rp.quota, phrase=phrase(rp, lang)))
    year, month = s.missing_meeting_month
    lines.append("")
    if s.cells_missing_meeting:
        lines.append(t("summary.missing_meetings", lang, month=month, year=year,
                       count=len(s.cells_missing_meeting), cells=", ".join(s.cells_missing_meeting)))
    else:
        lines.append(t("summary.all_met", lang, month=month, year=year))
    window = window_label(s.committee_window, lang)
    if s.committee_not_attended:
        lines.append(t("summary.committee_absent", lang, window=window))
        lines += [t("summary.committee_line", lang, name=name, cells=", ".join(cells))
                  for name, cells in s.committee_not_attended]
    else:
        lines.append(t("summary.committee_all", lang, window=window))
    return lines


async def _asked_year(update: Update, context: ChiboContext, command: str) -> int | None:
    """The year after the command (default: this year); a bad one is answered with an example."""
    today = context.runtime.today()
    if not context.args:
        return today.year
    typed = " ".join(context.args)
    if typed.isascii() and typed.isdigit() and MIN_YEAR <= int(typed) <= today.year:
        return int(typed)
    await reply(update, context, t("status.bad_year", context.runtime.lang, value=typed[:20],
                                   command=command, example=today.year - 1))
    return None


async def show_progress(update: Update, context: ChiboContext) -> None:
    """Shows the secretary's cell in full, or each cell in a committee member's charge, compactly."""
    rt, lang = context.runtime, context.runtime.lang
    user = await registered_user(update, context)
    year = await _asked_year(update, context, "tiendo")
    if year is None:
        return
    statuses = await cell_statuses(rt.db, user.actor(), year=year, today=rt.today(), settings=rt.settings)
    if not statuses:
        await reply(update, context, t("status.no_cells", lang))
        return
    if len(statuses) == 1:
        lines = render_cell(statuses[0], lang, rt.today())
    else:
        lines = [render_compact(s, lang) for s in statuses]
    for chunk in split_message(lines):
        await reply(update, context, chunk)


async def show_summary(update: Update, context: ChiboContext) -> None:
    """Shows the ward's totals, each cell (behind first), missing meetings and absent committee members."""
    rt, lang = context.runtime, context.runtime.lang
    user = await registered_user(update, context)
    year = await _asked_year(update, context, "tonghop")
    if year is None:
        return
    summary = await ward_summary(rt.db, user.actor(), year=year, today=rt.today(), settings=rt.settings)
    for chunk in split_message(render_summary(summary, lang)):
        await reply(update, context, chunk)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("tiendo", show_progress))
    app.add_handler(CommandHandler("tonghop", show_summary))
