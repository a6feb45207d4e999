"""/moi: the admin creates an invite from chat — role, then cell(s), then a code and link to pass on.

Buttons carry only the choice ("inv:r:secretary", "inv:c:12"); the admin check happens in the
service on every press, so a forged button from a non-admin changes nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.cells import CellInfo
from bot.domain.channels import TELEGRAM
from bot.domain.errors import DomainError
from bot.domain.roles import Actor, Role, require_admin
from bot.handlers.common import acting, error_text, registered_user, reply
from bot.handlers.keyboards import page_count, paged_keyboard, parse_int
from bot.handlers.runtime import ChiboContext
from bot.services.directory import visible_cells
from bot.services.onboarding import create_invite
from bot.texts import t
from bot.texts.onboarding import invite_text

_CHOSEN = "invite_cells"  # user_data key: cell ids picked so far for a committee-member invite


async def _admin(update: Update, context: ChiboContext) -> Actor:
    actor = await acting(update, context)
    require_admin(actor)
    return actor


async def start_invite(update: Update, context: ChiboContext) -> None:
    """Asks which role the invite is for."""
    await _admin(update, context)
    lang = context.runtime.lang
    context.user_data.pop(_CHOSEN, None)  # type: ignore[union-attr]
    keyboard = InlineKeyboardMarkup([
        [InlineKeyboardButton(t(f"role.{r.value}", lang), callback_data=f"inv:r:{r.value}")]
        for r in (Role.SECRETARY, Role.COMMITTEE, Role.ADMIN)
    ])
    await reply(update, context, t("invite.choose_role", lang), reply_markup=keyboard)


def _cell_keyboard(
    cells: list[CellInfo], role: Role, page: int, chosen: set[int], lang: str
) -> InlineKeyboardMarkup:
    if role is Role.SECRETARY:
        return paged_keyboard(cells, page, label=lambda c: c.name, data=lambda c: f"inv:c:{c.id}",
                              page_data=lambda p: f"inv:p:s:{p}", lang=lang)
    done = [[InlineKeyboardButton(t("button.done", lang), callback_data="inv:d")]]
    return paged_keyboard(
        cells, page, label=lambda c: ("✅ " if c.id in chosen else "") + c.name,
        data=lambda c: f"inv:t:{c.id}:{page}", page_data=lambda p: f"inv:p:k:{p}", lang=lang,
        extra_rows=done,
    )


def _chosen_names(cells: list[CellInfo], chosen: set[int], lang: str) -> str:
    names = [c.name for c in cells if c.id in chosen]
    return ", ".join(names) if names else t("invite.none_chosen", lang)


async def on_button(update: Update, context: ChiboContext) -> None:
    """Handles every /moi button: role, page, cell, toggle, done."""
    query = update.callback_query
    assert query is not None and query.data is not None
    actor = await _admin(update, context)
    rt, lang = context.runtime, context.runtime.lang
    parts = query.data.split(":")
    user_data = context.user_data
    assert user_data is not None
    chosen = set(user_data.get(_CHOSEN, []))
    cells = await visible_cells(rt.db, actor)
    await query.answer()
    match parts:
        case ["inv", "r", "admin"]:
            await _finish(update, context, Role.ADMIN, [])
        case ["inv", "r", "secretary"]:
            await query.edit_message_text(
                t("invite.choose_cell", lang, page=1, pages=page_count(len(cells))),
                reply_markup=_cell_keyboard(cells, Role.SECRETARY, 0, chosen, lang))
        case ["inv", "r", "committee"]:
            user_data[_CHOSEN] = []
            await query.edit_message_text(
                t("invite.committee_pick_hint", lang, chosen=_chosen_names(cells, set(), lang)),
                reply_markup=_cell_keyboard(cells, Role.COMMITTEE, 0, set(), lang))
        case ["inv", "p", "s" | "k" as which, page] if parse_int(page) is not None:
            role = Role.SECRETARY if which == "s" else Role.COMMITTEE
            await query.edit_message_reply_markup(
                _cell_keyboard(cells, role, int(page), chosen, lang))
        case ["inv", "c", cell_id] if parse_int(cell_id) is not None:
            await _finish(update, context, Role.SECRETARY, [int(cell_id)])
        case ["inv", "t", cell_id, page] if parse_int(cell_id) is not None and parse_int(page) is not None:
            chosen ^= {int(cell_id)}
            user_data[_CHOSEN] = sorted(chosen)
            await query.edit_message_text(
                t("invite.committee_pick_hint", lang, chosen=_chosen_names(cells, chosen, lang)),
                reply_markup=_cell_keyboard(cells, Role.COMMITTEE, int(page), chosen, lang))
        case ["inv", "d"]:
            user_data.pop(_CHOSEN, None)
            await _finish(update, context, Role.COMMITTEE, sorted(chosen))
        case _:
            await reply(update, context, t("error.stale_button", lang))


async def _finish(update: Update, context: ChiboContext, role: Role, cell_ids: list[int]) -> None:
    rt, lang = context.runtime, context.runtime.lang
    user = await registered_user(update, context)
    try:
        created = await create_invite(rt.db, rt.settings, role=role, cell_ids=cell_ids,
                                      now=rt.now(), actor=user.actor())
    except DomainError as exc:
        await reply(update, context, error_text(exc, lang, prefix="invite."))
        return
    telegram_bot = context.bot if context.channel == TELEGRAM else rt.bots.get(TELEGRAM)
    await reply(update, context, invite_text(
        role=created.role, cell_names=created.cell_names, code=created.code,
        expires_on=created.expires_at.astimezone(rt.settings.tz).date(),
        channels=sorted(rt.bots) or [context.channel],  # every channel this deployment runs
        bot_username=telegram_bot.username if telegram_bot else rt.settings.telegram.bot_username,
        lang=lang))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("moi", start_invite))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^inv:"))
