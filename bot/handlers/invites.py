"""/moi: the admin creates an invite from chat — role, then cell(s), then a code and link to pass on.

A flow like every other (`trail`: one asker per question, `goto`, « Quay lại): role → the cell
(secretary: one) or the cells (committee member: several, each marked ✅, then Xong) → the invite.
An admin invite needs no cell. Buttons carry only the choice ("inv:r:secretary", "inv:c:12"); the
admin check happens in the service on every press, so a forged button from a non-admin changes
nothing, in the flow or outside it.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.cells import CellInfo
from bot.domain.channels import TELEGRAM
from bot.domain.errors import DomainError
from bot.domain.invites import format_code
from bot.domain.roles import Actor, Role, require_admin
from bot.handlers import trail
from bot.handlers.common import acting, error_text, reply
from bot.handlers.flow import (
    END,
    PROMPT,
    acknowledge,
    ask,
    begin,
    cancel_button,
    draft,
    drop_keyboard,
    finish,
    make_conversation,
    markup_rows,
    pressed_part,
    recently_finished,
    refuse,
    remember_finished,
    user_data,
)
from bot.handlers.keyboards import page_count, paged_keyboard, parse_int
from bot.handlers.resilience import edit_in_place
from bot.handlers.runtime import ChiboContext
from bot.handlers.trail import asks, goto
from bot.services.directory import visible_cells
from bot.services.onboarding import create_invite
from bot.texts import t
from bot.texts.formatting import format_date
from bot.texts.onboarding import invite_text

FLOW_NAME = "moi"

# What the bot waits for.
CHOOSING_ROLE = "inv_role"
CHOOSING_CELL = "inv_cell"  # a secretary's one cell
CHOOSING_CELLS = "inv_cells"  # a committee member's cells
CHOSEN = "chosen"  # draft key: cell ids picked so far for a committee-member invite


async def _admin(update: Update, context: ChiboContext) -> Actor:
    actor = await acting(update, context)
    require_admin(actor)
    return actor


def _nav(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(label, callback_data=data)
            for label, data in ((t("button.back", lang), "inv:back"), cancel_button(lang))]


def _cell_keyboard(
    cells: list[CellInfo], role: Role, page: int, chosen: set[int], lang: str
) -> InlineKeyboardMarkup:
    if role is Role.SECRETARY:
        return paged_keyboard(cells, page, label=lambda c: c.name, data=lambda c: f"inv:c:{c.id}",
                              page_data=lambda p: f"inv:p:s:{p}", lang=lang, extra_rows=[_nav(lang)])
    done = [InlineKeyboardButton(t("button.done", lang), callback_data="inv:d")]
    return paged_keyboard(
        cells, page, label=lambda c: ("✅ " if c.id in chosen else "") + c.name,
        data=lambda c: f"inv:t:{c.id}:{page}", page_data=lambda p: f"inv:p:k:{p}", lang=lang,
        extra_rows=[done, _nav(lang)],
    )


def _chosen_names(cells: list[CellInfo], chosen: set[int], lang: str) -> str:
    names = [c.name for c in cells if c.id in chosen]
    return ", ".join(names) if names else t("invite.none_chosen", lang)


async def _cells_view(update: Update, context: ChiboContext, role: Role) -> tuple[str, InlineKeyboardMarkup]:
    """The cell question for `role` and its keyboard, from the draft's page and choices."""
    lang, d = context.runtime.lang, draft(context)
    cells = await visible_cells(context.runtime.db, await _admin(update, context))
    chosen = set(d.get(CHOSEN, []))
    markup = _cell_keyboard(cells, role, int(d.get("page", 0)), chosen, lang)
    if role is Role.SECRETARY:
        text = t("invite.choose_cell", lang, page=1, pages=page_count(len(cells)))
    else:
        text = t("invite.committee_pick_hint", lang, chosen=_chosen_names(cells, chosen, lang))
    return text, markup


# ── the questions ────────────────────────────────────────────────────────────────────────────

@asks(CHOOSING_ROLE)
async def ask_role(update: Update, context: ChiboContext) -> None:
    """Asks which role the invite is for."""
    lang = context.runtime.lang
    roles = (Role.SECRETARY, Role.COMMITTEE, Role.ADMIN)
    rows = [[(t(f"role.{r.value}", lang), f"inv:r:{r.value}")] for r in roles]
    await ask(update, context, t("invite.choose_role", lang), [*rows, [cancel_button(lang)]])


@asks(CHOOSING_CELL)
async def ask_cell(update: Update, context: ChiboContext) -> None:
    """Asks which cell the new secretary leads."""
    await ask(update, context, *await _cells_view(update, context, Role.SECRETARY))


@asks(CHOOSING_CELLS)
async def ask_cells(update: Update, context: ChiboContext) -> None:
    """Asks which cells the new committee member is in charge of (several, then Xong)."""
    await ask(update, context, *await _cells_view(update, context, Role.COMMITTEE))


# ── the answers ──────────────────────────────────────────────────────────────────────────────

async def start_invite(update: Update, context: ChiboContext) -> str:
    """Checks that the admin is asking and asks which role the invite is for."""
    await _admin(update, context)
    begin(context, FLOW_NAME, {CHOSEN: [], "page": 0})
    return await goto(update, context, CHOOSING_ROLE)


async def on_role(update: Update, context: ChiboContext) -> str | int | None:
    """Stores the role and asks for the cell(s); an admin invite is made at once."""
    role = Role(pressed_part(update))
    if role is Role.ADMIN:
        return await _finish(update, context, Role.ADMIN, [])
    draft(context).update({CHOSEN: [], "page": 0})
    return await goto(update, context, CHOOSING_CELL if role is Role.SECRETARY else CHOOSING_CELLS)


async def _redraw(update: Update, context: ChiboContext, role: Role) -> None:
    """Rewrites the cell question in place after a page turn or a toggle."""
    await acknowledge(update)
    text, markup = await _cells_view(update, context, role)
    user_data(context)[PROMPT] = {"text": text, "buttons": markup_rows(markup)}
    await edit_in_place(update, text, markup)


async def on_page(update: Update, context: ChiboContext) -> None:
    """Shows another page of the cells."""
    assert update.callback_query is not None and update.callback_query.data is not None
    draft(context)["page"] = parse_int(pressed_part(update)) or 0
    role = Role.SECRETARY if update.callback_query.data.startswith("inv:p:s:") else Role.COMMITTEE
    await _redraw(update, context, role)


async def on_cell(update: Update, context: ChiboContext) -> int | None:
    """Makes the secretary's invite for the cell pressed."""
    cell_id = parse_int(pressed_part(update))
    if cell_id is None:  # more digits than any id: forged
        await refuse(update, context, t("error.stale_button", context.runtime.lang))
        return None
    return await _finish(update, context, Role.SECRETARY, [cell_id])


async def on_toggle(update: Update, context: ChiboContext) -> None:
    """Marks or unmarks a cell for the committee member's invite."""
    assert update.callback_query is not None and update.callback_query.data is not None
    _, _, cell_id, page = (parse_int(part) for part in update.callback_query.data.split(":"))
    if cell_id is None:  # more digits than any id: forged
        await refuse(update, context, t("error.stale_button", context.runtime.lang))
        return
    d = draft(context)
    d[CHOSEN] = sorted(set(d.get(CHOSEN, [])) ^ {cell_id})
    d["page"] = page or 0
    await _redraw(update, context, Role.COMMITTEE)


async def on_done(update: Update, context: ChiboContext) -> int | None:
    """Makes the committee member's invite for the cells marked."""
    return await _finish(update, context, Role.COMMITTEE, sorted(draft(context).get(CHOSEN, [])))


async def _finish(update: Update, context: ChiboContext, role: Role, cell_ids: list[int]) -> int | None:
    """Creates the invite (one service call), ends the flow and passes on the code and link."""
    rt, lang = context.runtime, context.runtime.lang
    try:
        created = await create_invite(rt.db, rt.settings, role=role, cell_ids=cell_ids,
                                      now=rt.now(), actor=await _admin(update, context))
    except DomainError as exc:
        await refuse(update, context, error_text(exc, lang, prefix="invite."))
        return None  # the same question stays
    await acknowledge(update)
    expires_on = created.expires_at.astimezone(rt.settings.tz).date()
    # One code per run: the list's buttons go, and whatever still reaches this run (an old
    # button, a number typed on Zalo, /huy) is told which code it issued.
    remember_finished(context, t("invite.already_issued", lang, code=format_code(created.code),
                                 expires=format_date(expires_on, lang)))
    finish(context)
    await drop_keyboard(update)
    telegram_bot = context.bot if context.channel == TELEGRAM else rt.bots.get(TELEGRAM)
    await reply(update, context, invite_text(
        role=created.role, cell_names=created.cell_names, code=created.code, expires_on=expires_on,
        channels=sorted(rt.bots) or [context.channel],  # every channel this deployment runs
        bot_username=telegram_bot.username if telegram_bot else rt.settings.telegram.bot_username,
        lang=lang))
    return END


async def stray_button(update: Update, context: ChiboContext) -> None:
    """A /moi button outside the flow (an old message, or forged): the admin check first, then
    which code this run already issued, or "send the command again"."""
    await _admin(update, context)
    assert update.callback_query is not None
    answer = recently_finished(context) or t("error.stale_button", context.runtime.lang)
    await update.callback_query.answer(answer, show_alert=True)


def register(app: Application) -> None:  # type: ignore[type-arg]
    def button(callback: Any, pattern: str) -> CallbackQueryHandler[Any, Any]:
        return CallbackQueryHandler(callback, pattern=pattern)

    back = button(trail.back(), r"^inv:back$")
    app.add_handler(make_conversation(
        name=FLOW_NAME,
        entry_points=[CommandHandler("moi", start_invite)],
        states={
            CHOOSING_ROLE: [button(on_role, r"^inv:r:(secretary|committee|admin)$")],
            CHOOSING_CELL: [button(on_cell, r"^inv:c:\d{1,10}$"),
                            button(on_page, r"^inv:p:s:\d{1,4}$"), back],
            CHOOSING_CELLS: [button(on_toggle, r"^inv:t:\d{1,10}:\d{1,4}$"),
                             button(on_page, r"^inv:p:k:\d{1,4}$"), button(on_done, r"^inv:d$"), back],
        },
        idle_seconds=app.runtime.idle_seconds,  # type: ignore[attr-defined]
    ))
    app.add_handler(CallbackQueryHandler(stray_button, pattern=r"^inv:"))
