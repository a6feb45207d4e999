"""/baocao [year]: the year's báo cáo paragraph, its charts and the workbook, in the chat.

The admin gets the ward, a committee member the cells in their charge, a secretary their cell
(the service decides). Building the files is CPU work (matplotlib, openpyxl): it runs in a worker
thread so the bot keeps answering others meanwhile.
"""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.domain.roles import Role
from bot.handlers.common import registered_user, reply
from bot.handlers.files import OutgoingFile, deliver_files
from bot.handlers.runtime import ChiboContext
from bot.handlers.status import _asked_year as asked_year
from bot.reports.bundle import XLSX, build_report_files
from bot.services.reports import year_report
from bot.texts import t
from bot.texts.status import split_message


async def send_report(update: Update, context: ChiboContext) -> None:
    rt, lang = context.runtime, context.runtime.lang
    user = await registered_user(update, context)
    if user.actor().role is Role.PROVINCE:  # a province reads its wards in /tonghop, not one ward's
        await reply(update, context, t("province.use_tonghop", lang))
        return
    year = await asked_year(update, context, "baocao", " ".join(context.args or []))
    if year is None:
        return
    report = await year_report(rt.db, user.actor(), year=year, today=rt.today(), settings=rt.settings)
    await reply(update, context, t("report.working", lang, year=year))
    files = await asyncio.to_thread(build_report_files, report, rt.settings, rt.now())
    for chunk in split_message(files.paragraph.split("\n")):
        await reply(update, context, chunk)
    outgoing = [OutgoingFile(c.name, c.png, "image/png", c.caption, t("report.file.chart", lang, n=n),
                             photo=True) for n, c in enumerate(files.charts, start=1)]
    outgoing.append(OutgoingFile(files.workbook_name, files.workbook, XLSX,
                                 t("report.workbook.caption", lang, year=year),
                                 t("report.file.workbook", lang)))
    if not await deliver_files(update, context, outgoing):
        await reply(update, context, t("report.no_public_url", lang, year=year))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("baocao", send_report))
