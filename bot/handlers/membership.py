"""/dangvien: the secretary (or the admin, for any cell) records a member who transferred in, or
one who left — transferred out, died, struck off (xóa tên) or expelled (khai trừ) — with the date.

Steps: (admin: the cell) → what happened → transferred in: the name, full or probationary; leaving:
the member, picked from the cell's list or found by typing part of the name → the date → summary
→ ✅ Lưu, which makes the one service call. A flow like every other (`trail`: one asker per
question, `goto`, « Quay lại). Buttons carry only "dv:…" choices; the service checks the actor.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.cells import resolve_cell
from bot.domain.dates import parse_date
from bot.domain.errors import DomainError, InvalidInput
from bot.domain.members import MemberStatus
from bot.domain.membership import LeaveKind
from bot.domain.roles import Role
from bot.handlers import trail
from bot.handlers.common import acting, error_text, reply
from bot.handlers.flow import (
    END,
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
from bot.handlers.member_picker import member_page
from bot.handlers.runtime import ChiboContext
from bot.handlers.trail import asks, goto
from bot.services.directory import visible_cells
from bot.services.membership import cell_members, record_leaving, record_transfer_in
from bot.texts import t
from bot.texts.formatting import format_date

FLOW_NAME = "dangvien"
CHOOSING_CELL = "dv_cell"
CHOOSING_KIND = "dv_kind"
ASKING_NAME = "dv_name"
CHOOSING_STATUS = "dv_status"
PICKING_MEMBER = "dv_member"
ASKING_DATE = "dv_date"
CONFIRMING = "dv_confirm"
TRANSFER_IN = "transferred_in"
KINDS = (TRANSFER_IN, *(k.value for k in LeaveKind if k is not LeaveKind.UNKNOWN))


def _nav(lang: str) -> list[tuple[str, str]]:
    return [(t("button.back", lang), "dv:back"), cancel_button(lang)]


def _nav_buttons(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(label, callback_data=data) for label, data in _nav(lang)]


def _typed(update: Update) -> str:
    message = update.effective_message
    return (message.text or "").strip() if message is not None else ""


# ── the questions ────────────────────────────────────────────────────────────────────────────

@asks(CHOOSING_CELL)
async def ask_cell(update: Update, context: ChiboContext) -> None:
    """Asks the admin which cell (a page of cells, or type part of its name)."""
    lang, d = context.runtime.lang, draft(context)
    cells = await visible_cells(context.runtime.db, await acting(update, context))
    markup = paged_keyboard(cells, int(d.get("page", 0)), label=lambda c: c.name,
                            data=lambda c: f"dv:c:{c.id}", page_data=lambda p: f"dv:p:{p}", lang=lang,
                            extra_rows=[[InlineKeyboardButton(*cancel_button(lang))]])
    await ask(update, context, t("dv.ask_cell", lang, pages=page_count(len(cells))), markup)


@asks(CHOOSING_KIND)
async def ask_kind(update: Update, context: ChiboContext) -> None:
    """Asks what happened: transferred in, or one of the ways of leaving."""
    lang, d = context.runtime.lang, draft(context)
    rows = [[(t(f"dv.kind.{k}", lang), f"dv:k:{k}")] for k in KINDS]
    nav = _nav(lang) if d.get("admin") else [cancel_button(lang)]
    await ask(update, context, t("dv.ask_kind", lang, cell=d["cell_name"]), [*rows, nav])


@asks(ASKING_NAME)
async def ask_name(update: Update, context: ChiboContext) -> None:
    """Asks the full name of the member who transferred in."""
    lang = context.runtime.lang
    await ask(update, context, t("dv.ask_name", lang, cell=draft(context)["cell_name"]), [_nav(lang)])


@asks(CHOOSING_STATUS)
async def ask_status(update: Update, context: ChiboContext) -> None:
    """Asks whether the member is a full or a probationary member."""
    lang = context.runtime.lang
    rows = [[(t(f"dv.status.{s.value}", lang), f"dv:s:{s.value}")] for s in MemberStatus]
    await ask(update, context, t("dv.ask_status", lang, name=draft(context)["name"]), [*rows, _nav(lang)])


@asks(PICKING_MEMBER)
async def ask_member(update: Update, context: ChiboContext) -> None:
    """Asks who left: a page of the cell's members, narrowed by typing part of a name."""
    lang, d = context.runtime.lang, draft(context)
    members = await cell_members(context.runtime.db, await acting(update, context), d["cell"])
    page = member_page(members, query=d.get("q", ""), page=int(d.get("mpage", 0)), pick="dv:m:",
                       turn="dv:mp:", lang=lang, extra_rows=[_nav_buttons(lang)])
    key = "dv.ask_member_found" if d.get("q") else "dv.ask_member"
    text = t(key, lang, kind=t(f"dv.kind.{d['kind']}", lang), count=len(page.shown), query=d.get("q", ""))
    await ask(update, context, text, page.markup)


@asks(ASKING_DATE)
async def ask_date(update: Update, context: ChiboContext) -> None:
    """Asks the date it happened (Hôm nay, or typed)."""
    lang, d = context.runtime.lang, draft(context)
    who = d.get("member_name") or d.get("name")
    await ask(update, context, t("dv.ask_date", lang, kind=t(f"dv.kind.{d['kind']}", lang), name=who),
              [[(t("button.today", lang), "dv:today")], _nav(lang)])


@asks(CONFIRMING)
async def ask_confirm(update: Update, context: ChiboContext) -> None:
    """Shows what will be saved, with ✅ Lưu."""
    lang, d = context.runtime.lang, draft(context)
    await ask(update, context, _summary(d, lang), [[(t("button.save", lang), "dv:save")], _nav(lang)])


def _summary(d: dict[str, Any], lang: str) -> str:
    on = format_date(date.fromisoformat(d["on"]), lang)
    if d["kind"] == TRANSFER_IN:
        return t("dv.summary_in", lang, name=d["name"], cell=d["cell_name"], date=on,
                 status=t(f"dv.status.{d['status']}", lang))
    return t("dv.summary_out", lang, name=d["member_name"], cell=d["cell_name"], date=on,
             kind=t(f"dv.kind.{d['kind']}", lang))


# ── the answers ──────────────────────────────────────────────────────────────────────────────

async def start(update: Update, context: ChiboContext) -> str | int:
    """The secretary records for their cell; the admin first picks one; others are told no."""
    actor = await acting(update, context)
    lang = context.runtime.lang
    if actor.role is Role.SECRETARY and actor.cell_id is not None:
        cells = await visible_cells(context.runtime.db, actor)
        begin(context, FLOW_NAME, {"cell": actor.cell_id, "cell_name": cells[0].name if cells else ""})
        return await goto(update, context, CHOOSING_KIND)
    if actor.role is Role.ADMIN:
        begin(context, FLOW_NAME, {"admin": True, "page": 0})
        return await goto(update, context, CHOOSING_CELL)
    await reply(update, context, t("dv.not_for_you", lang))
    return END


async def on_cell_page(update: Update, context: ChiboContext) -> str:
    draft(context)["page"] = parse_int(pressed_part(update)) or 0
    await ask_cell(update, context)
    return CHOOSING_CELL


async def on_cell(update: Update, context: ChiboContext) -> str | None:
    """Takes the cell pressed (only one the admin may see)."""
    cell_id = parse_int(pressed_part(update))
    cells = await visible_cells(context.runtime.db, await acting(update, context))
    cell = next((c for c in cells if c.id == cell_id), None)
    if cell is None:
        await refuse(update, context, t("error.stale_button", context.runtime.lang))
        return None
    draft(context).update({"cell": cell.id, "cell_name": cell.name})
    return await goto(update, context, CHOOSING_KIND)


async def on_cell_typed(update: Update, context: ChiboContext) -> str | None:
    """Takes a cell typed by name ("Tổ 16"), as the CSV import reads it."""
    cells = await visible_cells(context.runtime.db, await acting(update, context))
    by_name = {c.name: c for c in cells}
    stored = resolve_cell(_typed(update), by_name)
    if stored is None:
        await refuse(update, context, t("dv.unknown_cell", context.runtime.lang, value=_typed(update)[:60]))
        return None
    draft(context).update({"cell": by_name[stored].id, "cell_name": stored})
    return await goto(update, context, CHOOSING_KIND)


async def on_kind(update: Update, context: ChiboContext) -> str:
    kind = pressed_part(update)
    draft(context).update({"kind": kind, "q": "", "mpage": 0})
    return await goto(update, context, ASKING_NAME if kind == TRANSFER_IN else PICKING_MEMBER)


async def on_name(update: Update, context: ChiboContext) -> str | None:
    name = " ".join(_typed(update).split())
    if not name or len(name) > 120 or not any(c.isalpha() for c in name):
        await refuse(update, context, t("dv.bad_name", context.runtime.lang))
        return None
    draft(context)["name"] = name
    return await goto(update, context, CHOOSING_STATUS)


async def on_status(update: Update, context: ChiboContext) -> str:
    draft(context)["status"] = pressed_part(update)
    return await goto(update, context, ASKING_DATE)


async def on_member_page(update: Update, context: ChiboContext) -> str:
    draft(context)["mpage"] = parse_int(pressed_part(update)) or 0
    await ask_member(update, context)
    return PICKING_MEMBER


async def on_member_search(update: Update, context: ChiboContext) -> str:
    """Typing part of a name narrows the list (the question is asked again with the matches)."""
    draft(context).update({"q": _typed(update)[:60], "mpage": 0})
    await ask_member(update, context)
    return PICKING_MEMBER


async def on_member(update: Update, context: ChiboContext) -> str | None:
    """Takes the member pressed: only one on the cell's list today."""
    d = draft(context)
    member_id = parse_int(pressed_part(update))
    members = await cell_members(context.runtime.db, await acting(update, context), d["cell"])
    member = next((m for m in members if m.id == member_id), None)
    if member is None:
        await refuse(update, context, t("error.stale_button", context.runtime.lang))
        return None
    d.update({"member": member.id, "member_name": member.full_name})
    return await goto(update, context, ASKING_DATE)


async def on_date(update: Update, context: ChiboContext) -> str | None:
    """Takes Hôm nay or a typed date; a date that cannot be read, or in the future, is refused."""
    today, lang = context.runtime.today(), context.runtime.lang
    if update.callback_query is not None:
        on = today
    else:
        try:
            on = parse_date(_typed(update), today)
        except InvalidInput:
            await refuse(update, context, t("dv.bad_date", lang, example=format_date(today, lang)))
            return None
    if on > today:
        await refuse(update, context, t("dv.future_date", lang, today=format_date(today, lang)))
        return None
    draft(context)["on"] = on.isoformat()
    return await goto(update, context, CONFIRMING)


async def on_save(update: Update, context: ChiboContext) -> int | None:
    """The one service call; a refusal is explained, then the date asked again (a date before they
    joined) or the summary (a name already on the list)."""
    rt, lang, d = context.runtime, context.runtime.lang, draft(context)
    actor = await acting(update, context)
    on = date.fromisoformat(d["on"])
    try:
        if d["kind"] == TRANSFER_IN:
            await record_transfer_in(rt.db, actor, d["cell"], d["name"], MemberStatus(d["status"]), on,
                                     today=rt.today())
        else:
            await record_leaving(rt.db, actor, d["member"], LeaveKind(d["kind"]), on, today=rt.today())
    except DomainError as exc:
        data = dict(exc.data)
        if isinstance(data.get("value"), str) and data.get("reason") == "before_joined":
            data["value"] = format_date(date.fromisoformat(data["value"]), lang)
            # The date is what is wrong: ask it again rather than the same summary.
            await reply(update, context, error_text(type(exc)(exc.code, **data), lang, prefix="dv."))
            return await goto(update, context, ASKING_DATE, rewind=True)
        await refuse(update, context, error_text(type(exc)(exc.code, **data), lang, prefix="dv."))
        return None
    return await confirm_saved(update, context, t("dv.saved", lang, summary=_summary(d, lang)))


def register(app: Application) -> None:  # type: ignore[type-arg]
    def button(callback: Any, pattern: str) -> CallbackQueryHandler[Any, Any]:
        return CallbackQueryHandler(callback, pattern=pattern)

    typed = filters.TEXT & ~filters.COMMAND
    back = button(trail.back(), r"^dv:back$")
    kinds = "|".join(KINDS)
    app.add_handler(make_conversation(
        name=FLOW_NAME,
        entry_points=[CommandHandler("dangvien", start)],
        states={
            CHOOSING_CELL: [button(on_cell, r"^dv:c:\d{1,10}$"), button(on_cell_page, r"^dv:p:\d{1,5}$"),
                            MessageHandler(typed, on_cell_typed)],
            CHOOSING_KIND: [button(on_kind, rf"^dv:k:({kinds})$"), back],
            ASKING_NAME: [MessageHandler(typed, on_name), back],
            CHOOSING_STATUS: [button(on_status, r"^dv:s:(full|probationary)$"), back],
            PICKING_MEMBER: [button(on_member, r"^dv:m:\d{1,10}$"),
                             button(on_member_page, r"^dv:mp:\d{1,5}$"),
                             MessageHandler(typed, on_member_search), back],
            ASKING_DATE: [button(on_date, r"^dv:today$"), MessageHandler(typed, on_date), back],
            CONFIRMING: [button(on_save, r"^dv:save$"), back],
        },
        idle_seconds=app.runtime.idle_seconds,  # type: ignore[attr-defined]
    ))
