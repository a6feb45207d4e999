"""/tiendo [chi bộ] [năm] and /tonghop [năm]: where a cell, or the whole ward, stands.

A committee member's /tiendo lists their cells with a button each; pressing one (or typing
`/tiendo Tổ 16`) opens the drill-down: that cell's candidates by stage, days in stage, what is
overdue. The admin names the cell. The button carries only the cell and year: the permission
check is the service's, on every press.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.cells import CellInfo, resolve_cell
from bot.domain.roles import Role
from bot.handlers.common import registered_user, reply
from bot.handlers.flow import answered_during_flows
from bot.handlers.keyboards import parse_int
from bot.handlers.runtime import ChiboContext
from bot.services.directory import visible_cells
from bot.services.province import find_province_ward, province_year
from bot.services.status import cell_drilldown, cell_statuses, ward_summary
from bot.services.yearfigures import first_report_year
from bot.texts import t
from bot.texts.province import province_lines
from bot.texts.status import progress_lines, split_message, summary_lines

MIN_YEAR = 2000
DRILL = "td"  # button data "td:<cell id>:<year>"
WARD = "tw"  # button data "tw:<ward id>:<year>" (the province opening one ward)
MAX_WARD_BUTTONS = 10  # the wards furthest behind; any other by name


def _valid_year(typed: str, this_year: int) -> int | None:
    return int(typed) if typed.isascii() and typed.isdigit() and MIN_YEAR <= int(typed) <= this_year else None


async def _asked_year(update: Update, context: ChiboContext, command: str, typed: str) -> int | None:
    """The year typed (none: this year); a bad one is answered with an example."""
    today = context.runtime.today()
    if not typed:
        return today.year
    year = _valid_year(typed, today.year)
    if year is None:
        await reply(update, context, t("status.bad_year", context.runtime.lang, value=typed[:20],
                                       command=command, example=today.year - 1))
        return None
    actor = (await registered_user(update, context)).actor()
    first = await first_report_year(context.runtime.db, actor.committee_id, today=today,
                                    settings=context.runtime.settings)
    if year < first:  # before the ward's records: no report that says "nothing admitted"
        await reply(update, context, t("status.before_records", context.runtime.lang, year=year,
                                       first=first, command=command))
        return None
    return year


def _split_cell_and_year(args: list[str]) -> tuple[str, str]:
    """`/tiendo Tổ 16 2023` → ("Tổ 16", "2023"); `/tiendo 2023` → ("", "2023"); `/tiendo Tổ 3`
    → ("Tổ 3", ""); `/tiendo 16` → ("16", ""): a number is a year when it has four digits (a
    shorter one alone is a residential group, as people name their cell)."""
    if args and args[-1].isascii() and args[-1].isdigit() and len(args[-1]) == 4:
        return " ".join(args[:-1]), args[-1]
    return " ".join(args), ""


async def show_progress(update: Update, context: ChiboContext) -> None:
    """The secretary's cell in full; a committee member's cells compactly, with a button each;
    `/tiendo <chi bộ> [năm]` one cell in depth (committee member, admin)."""
    rt, lang = context.runtime, context.runtime.lang
    actor = (await registered_user(update, context)).actor()
    args = list(context.args or [])
    if actor.role is Role.PROVINCE:  # cells are the wards' business: the province reads wards
        await reply(update, context, t("province.use_tonghop", lang))
        return
    if actor.role is Role.SECRETARY:  # their one cell: whatever follows is the year
        name, typed_year = "", " ".join(args)
    else:
        name, typed_year = _split_cell_and_year(args)
    year = await _asked_year(update, context, "tiendo", typed_year)
    if year is None:
        return
    if not name:
        if actor.role is Role.ADMIN:
            await reply(update, context, t("status.admin_pick", lang))
        else:
            await _show_cells(update, context, year)
        return
    cell = _find_cell(await visible_cells(rt.db, actor), name)
    if cell is None:
        await reply(update, context, t("status.unknown_cell", lang, value=name[:60],
                                       example=rt.today().year - 1))
        return
    await _show_drilldown(update, context, cell.id, year)


def _find_cell(cells: list[CellInfo], name: str) -> CellInfo | None:
    by_name = {c.name: c for c in cells}
    stored = resolve_cell(name, by_name)
    if stored is None and name.isascii() and name.isdigit():  # "16": Tổ 16
        stored = resolve_cell(f"Tổ {name}", by_name)
    return by_name[stored] if stored is not None else None


async def _show_cells(update: Update, context: ChiboContext, year: int) -> None:
    rt, lang = context.runtime, context.runtime.lang
    user = await registered_user(update, context)
    statuses = await cell_statuses(rt.db, user.actor(), year=year, today=rt.today(), settings=rt.settings)
    chunks = split_message(progress_lines(statuses, lang, rt.today()))
    markup = _drill_buttons(statuses, year) if len(statuses) > 1 else None
    for k, chunk in enumerate(chunks):
        last = k == len(chunks) - 1
        if last and markup is not None:
            await reply(update, context, f"{chunk}\n\n{t('status.pick_cell', lang)}", reply_markup=markup)
        else:
            await reply(update, context, chunk)


def _drill_buttons(statuses: list, year: int) -> InlineKeyboardMarkup:  # type: ignore[type-arg]
    return InlineKeyboardMarkup([[InlineKeyboardButton(s.cell.name[:60],
                                                       callback_data=f"{DRILL}:{s.cell.id}:{year}")]
                                 for s in statuses])


async def _show_drilldown(update: Update, context: ChiboContext, cell_id: int, year: int) -> None:
    rt, lang = context.runtime, context.runtime.lang
    user = await registered_user(update, context)
    status = await cell_drilldown(rt.db, user.actor(), cell_id, year=year, today=rt.today(),
                                  settings=rt.settings)
    for chunk in split_message(progress_lines([status], lang, rt.today())):
        await reply(update, context, chunk)


async def on_drill_button(update: Update, context: ChiboContext) -> None:
    """A cell pressed under a committee member's /tiendo: that cell in depth."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, cell_part, year_part = query.data.split(":")
    cell_id, year = parse_int(cell_part), parse_int(year_part)
    today = context.runtime.today()
    await query.answer()
    if cell_id is None or year is None or not MIN_YEAR <= year <= today.year:
        await reply(update, context, t("error.stale_button", context.runtime.lang))
        return
    await _show_drilldown(update, context, cell_id, year)


async def show_summary(update: Update, context: ChiboContext) -> None:
    """The ward report for the year, in one message; what is current only for the running year.
    The province sees every ward (wards behind first) and opens one: `/tonghop <đảng bộ> [năm]`."""
    rt, lang = context.runtime, context.runtime.lang
    user = await registered_user(update, context)
    if user.role is Role.PROVINCE:
        await _province_summary(update, context, list(context.args or []))
        return
    year = await _asked_year(update, context, "tonghop", " ".join(context.args or []))
    if year is None:
        return
    summary = await ward_summary(rt.db, user.actor(), year=year, today=rt.today(), settings=rt.settings)
    # One message at any ward size: the text names a few cells and sends the rest to /baocao.
    await reply(update, context, "\n".join(summary_lines(summary, lang)))


async def _province_summary(update: Update, context: ChiboContext, args: list[str]) -> None:
    rt, lang = context.runtime, context.runtime.lang
    actor = (await registered_user(update, context)).actor()
    name, typed_year = _split_cell_and_year(args)
    year = await _asked_year(update, context, "tonghop", typed_year)
    if year is None:
        return
    if name:
        ward = await find_province_ward(rt.db, actor, name)
        await _show_ward(update, context, ward.id, year)
        return
    figures = await province_year(rt.db, actor, year=year, today=rt.today(), settings=rt.settings)
    shown = figures.wards[:MAX_WARD_BUTTONS]
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(r.ward.name[:60],
                                                         callback_data=f"{WARD}:{r.ward.id}:{year}")]
                                   for r in shown]) if shown else None
    await reply(update, context, "\n".join(province_lines(figures, lang)), reply_markup=markup)


async def _show_ward(update: Update, context: ChiboContext, ward_id: int, year: int) -> None:
    rt = context.runtime
    actor = (await registered_user(update, context)).actor()
    summary = await ward_summary(rt.db, actor, year=year, today=rt.today(), settings=rt.settings,
                                 ward_id=ward_id)
    await reply(update, context, "\n".join(summary_lines(summary, rt.lang)))


async def on_ward_button(update: Update, context: ChiboContext) -> None:
    """A ward pressed under the province's /tonghop: that ward's own report."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, ward_part, year_part = query.data.split(":")
    ward_id, year = parse_int(ward_part), parse_int(year_part)
    await query.answer()
    if ward_id is None or year is None or not MIN_YEAR <= year <= context.runtime.today().year:
        await reply(update, context, t("error.stale_button", context.runtime.lang))
        return
    await _show_ward(update, context, ward_id, year)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("tiendo", show_progress))
    app.add_handler(CommandHandler("tonghop", show_summary))
    app.add_handler(CallbackQueryHandler(on_drill_button, pattern=rf"^{DRILL}:\d{{1,10}}:\d{{4}}$"))
    app.add_handler(CallbackQueryHandler(on_ward_button, pattern=rf"^{WARD}:\d{{1,10}}:\d{{4}}$"))
    answered_during_flows(["tiendo"], show_progress)
    answered_during_flows(["tonghop"], show_summary)
