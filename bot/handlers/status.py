"""/tiendo [year] and /tonghop [year]: where a cell, or the whole ward, stands."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.handlers.common import registered_user, reply
from bot.handlers.flow import answered_during_flows
from bot.handlers.runtime import ChiboContext
from bot.services.status import cell_statuses, ward_summary
from bot.texts import t
from bot.texts.status import progress_lines, split_message, summary_lines

MIN_YEAR = 2000


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
    for chunk in split_message(progress_lines(statuses, lang, rt.today())):
        await reply(update, context, chunk)


async def show_summary(update: Update, context: ChiboContext) -> None:
    """Shows the ward's totals, each cell (behind first), missing meetings and absent committee members."""
    rt, lang = context.runtime, context.runtime.lang
    user = await registered_user(update, context)
    year = await _asked_year(update, context, "tonghop")
    if year is None:
        return
    summary = await ward_summary(rt.db, user.actor(), year=year, today=rt.today(), settings=rt.settings)
    for chunk in split_message(summary_lines(summary, lang)):
        await reply(update, context, chunk)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("tiendo", show_progress))
    app.add_handler(CommandHandler("tonghop", show_summary))
    answered_during_flows(["tiendo"], show_progress)
    answered_during_flows(["tonghop"], show_summary)
