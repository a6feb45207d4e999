"""/chitieu: the admin sets the plan — a cell's admission quota for a year, or the ward's own —
and who set it ("Thành ủy Thái Nguyên giao", "Đảng ủy giao"), as reports will name it.

Steps: the year (this one or next, or typed) → the cell (Toàn Đảng bộ first, a page of cells, or
type part of a name) → the quota (typed; the current one is shown) → who set it (the superior
committee, the ward committee, or typed) → saved, with one service call. A flow like every other
(`trail`: one asker per question, `goto`, « Quay lại); the admin check is the service's.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.cells import resolve_cell
from bot.domain.errors import DomainError
from bot.domain.roles import Role, require_admin
from bot.domain.wards import resolve_ward
from bot.handlers import trail
from bot.handlers.common import acting, error_text
from bot.handlers.flow import (
    ask,
    begin,
    cancel_button,
    confirm_saved,
    draft,
    make_conversation,
    pressed_part,
    refuse,
)
from bot.handlers.keyboards import page_count, paged_keyboard, parse_int
from bot.handlers.runtime import ChiboContext
from bot.handlers.trail import asks, goto
from bot.services.directory import visible_cells
from bot.services.membership import MAX_QUOTA, current_quota, plan_quota, superior_name
from bot.services.province import province_wards
from bot.texts import t

FLOW_NAME = "chitieu"
CHOOSING_YEAR = "ct_year"
CHOOSING_CELL = "ct_cell"
ASKING_QUOTA = "ct_quota"
CHOOSING_SET_BY = "ct_set_by"
WARD = "ward"


def _nav(lang: str) -> list[tuple[str, str]]:
    return [(t("button.back", lang), "ct:back"), cancel_button(lang)]


def _typed(update: Update) -> str:
    message = update.effective_message
    return (message.text or "").strip() if message is not None else ""


def _target(d: dict[str, Any], lang: str) -> str:
    if d.get("ward_id") is not None:  # the province setting one ward's quota
        return str(d["cell_name"])
    return t("ct.ward", lang) if d["cell"] == WARD else str(d["cell_name"])


async def _choices(update: Update, context: ChiboContext) -> list[Any]:
    """What the question offers: a province its wards; an admin their ward's cells."""
    actor = await acting(update, context)
    if actor.role is Role.PROVINCE:
        return list(await province_wards(context.runtime.db, actor))
    return list(await visible_cells(context.runtime.db, actor))


@asks(CHOOSING_YEAR)
async def ask_year(update: Update, context: ChiboContext) -> None:
    """Asks for which year (this one, next, or typed)."""
    lang, year = context.runtime.lang, context.runtime.today().year
    await ask(update, context, t("ct.ask_year", lang),
               [[(str(year), f"ct:y:{year}"), (str(year + 1), f"ct:y:{year + 1}")], [cancel_button(lang)]])


@asks(CHOOSING_CELL)
async def ask_cell(update: Update, context: ChiboContext) -> None:
    """Asks whose quota: the whole ward first, then the cells a page at a time (or typed)."""
    lang, d = context.runtime.lang, draft(context)
    cells = await _choices(update, context)
    markup = paged_keyboard(
        cells, int(d.get("page", 0)), label=lambda c: c.name, data=lambda c: f"ct:c:{c.id}",
        page_data=lambda p: f"ct:p:{p}", lang=lang,
        extra_rows=[[InlineKeyboardButton(label, callback_data=data) for label, data in _nav(lang)]])
    if d.get("province"):
        await ask(update, context, t("ct.ask_ward", lang, year=d["year"], pages=page_count(len(cells))),
                  [[(b.text, str(b.callback_data)) for b in row] for row in markup.inline_keyboard])
        return
    rows = [[InlineKeyboardButton(t("ct.ward", lang), callback_data="ct:w")], *markup.inline_keyboard]
    await ask(update, context, t("ct.ask_cell", lang, year=d["year"], pages=page_count(len(cells))),
               [[(b.text, str(b.callback_data)) for b in row] for row in rows])


@asks(ASKING_QUOTA)
async def ask_quota(update: Update, context: ChiboContext) -> None:
    """Asks the number, saying what the plan says now."""
    lang, d = context.runtime.lang, draft(context)
    now = await current_quota(context.runtime.db, await acting(update, context),
                              None if d["cell"] == WARD else d["cell"], d["year"], d.get("ward_id"))
    current = (t("ct.current", lang, quota=now.quota, set_by=now.set_by or t("ct.nobody", lang))
               if now.quota is not None else t("ct.current_none", lang))
    await ask(update, context, t("ct.ask_quota", lang, target=_target(d, lang), year=d["year"],
                                  current=current), [_nav(lang)])


@asks(CHOOSING_SET_BY)
async def ask_set_by(update: Update, context: ChiboContext) -> None:
    """Asks who set it: the superior committee, the ward committee, or typed."""
    lang, d = context.runtime.lang, draft(context)
    choices = d["choices"]
    rows = [[(choice, f"ct:b:{k}")] for k, choice in enumerate(choices)]
    await ask(update, context, t("ct.ask_set_by", lang, quota=d["quota"], target=_target(d, lang),
                                  year=d["year"]), [*rows, _nav(lang)])


async def start(update: Update, context: ChiboContext) -> str:
    """The admin (their ward's plan) and the province (each ward's own quota); anyone else is
    told who sets quotas."""
    actor = await acting(update, context)
    province = actor.role is Role.PROVINCE
    if not province:
        require_admin(actor)
    superior = await superior_name(context.runtime.db, actor)
    choices = [f"{superior} giao" if superior else t("ct.superior", context.runtime.lang)]
    if not province:
        choices.append(t("ct.ward_committee", context.runtime.lang))
    begin(context, FLOW_NAME, {"page": 0, "choices": choices, "province": province})
    return await goto(update, context, CHOOSING_YEAR)


def _year_ok(year: int | None, today_year: int) -> bool:
    return year is not None and 2000 <= year <= today_year + 1


async def on_year(update: Update, context: ChiboContext) -> str | None:
    lang, this_year = context.runtime.lang, context.runtime.today().year
    typed = pressed_part(update) if update.callback_query is not None else _typed(update)
    year = parse_int(typed)
    if year is None or not _year_ok(year, this_year):
        await refuse(update, context, t("ct.bad_year", lang, value=typed[:20], last=this_year + 1,
                                        example=this_year))
        return None
    draft(context).update({"year": year, "page": 0})
    return await goto(update, context, CHOOSING_CELL)


async def on_page(update: Update, context: ChiboContext) -> str:
    draft(context)["page"] = parse_int(pressed_part(update)) or 0
    await ask_cell(update, context)
    return CHOOSING_CELL


async def on_ward(update: Update, context: ChiboContext) -> str:
    draft(context).update({"cell": WARD, "cell_name": ""})
    return await goto(update, context, ASKING_QUOTA)


async def on_cell(update: Update, context: ChiboContext) -> str | None:
    """A cell (or for the province, a ward) pressed or typed."""
    cells = await _choices(update, context)
    province = bool(draft(context).get("province"))
    if update.callback_query is not None:
        cell_id = parse_int(pressed_part(update))
        cell = next((c for c in cells if c.id == cell_id), None)
    else:
        by_name = {c.name: c for c in cells}
        stored = (resolve_ward if province else resolve_cell)(_typed(update), by_name)
        cell = by_name[stored] if stored is not None else None
    if cell is not None and province:
        draft(context).update({"cell": WARD, "ward_id": cell.id, "cell_name": cell.name})
        return await goto(update, context, ASKING_QUOTA)
    if cell is None:
        await refuse(update, context, t("ct.unknown_cell", context.runtime.lang, value=_typed(update)[:60])
                     if update.callback_query is None else t("error.stale_button", context.runtime.lang))
        return None
    draft(context).update({"cell": cell.id, "cell_name": cell.name})
    return await goto(update, context, ASKING_QUOTA)


async def on_quota(update: Update, context: ChiboContext) -> str | None:
    typed = _typed(update)
    quota = parse_int(typed)
    if quota is None or quota > MAX_QUOTA:
        await refuse(update, context, t("ct.bad_quota", context.runtime.lang, value=typed[:20],
                                        limit=MAX_QUOTA))
        return None
    draft(context)["quota"] = quota
    return await goto(update, context, CHOOSING_SET_BY)


async def on_set_by(update: Update, context: ChiboContext) -> int | None:
    """Saves, with who set it: a button, or typed words (kept as typed)."""
    rt, lang, d = context.runtime, context.runtime.lang, draft(context)
    if update.callback_query is not None:
        k = parse_int(pressed_part(update))
        set_by = d["choices"][k] if k is not None and k < len(d["choices"]) else ""
    else:
        set_by = " ".join(_typed(update).split())
    if not set_by or len(set_by) > 200:
        await refuse(update, context, t("ct.bad_set_by", lang))
        return None
    try:
        await plan_quota(rt.db, await acting(update, context), None if d["cell"] == WARD else d["cell"],
                         d["year"], d["quota"], set_by, ward_id=d.get("ward_id"))
    except DomainError as exc:
        await refuse(update, context, error_text(exc, lang, prefix="ct."))
        return None
    return await confirm_saved(update, context, t("ct.saved", lang, target=_target(d, lang), year=d["year"],
                                                  quota=d["quota"], set_by=set_by))


def register(app: Application) -> None:  # type: ignore[type-arg]
    def button(callback: Any, pattern: str) -> CallbackQueryHandler[Any, Any]:
        return CallbackQueryHandler(callback, pattern=pattern)

    typed = filters.TEXT & ~filters.COMMAND
    back = button(trail.back(), r"^ct:back$")
    app.add_handler(make_conversation(
        name=FLOW_NAME,
        entry_points=[CommandHandler("chitieu", start)],
        states={
            CHOOSING_YEAR: [button(on_year, r"^ct:y:\d{4}$"), MessageHandler(typed, on_year)],
            CHOOSING_CELL: [button(on_ward, r"^ct:w$"), button(on_cell, r"^ct:c:\d{1,10}$"),
                            button(on_page, r"^ct:p:\d{1,5}$"), MessageHandler(typed, on_cell), back],
            ASKING_QUOTA: [MessageHandler(typed, on_quota), back],
            CHOOSING_SET_BY: [button(on_set_by, r"^ct:b:\d$"), MessageHandler(typed, on_set_by), back],
        },
        idle_seconds=app.runtime.idle_seconds,  # type: ignore[attr-defined]
    ))
