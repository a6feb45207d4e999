"""What /capnhat and /ketnap share: the candidate picker, and reading and refusing answers.

Both flows (`candidate_update` for /capnhat, `admission` for /ketnap) go from question to question
and back through `bot.handlers.trail`, like every flow.
Buttons carry only choices ("cn:c:42", "cn:s:course"); the candidate is loaded afresh for every
question and the services re-check the actor's right to it, so a forged or stale button changes
nothing.

Also here: the paged list of the cell's candidates both flows start from (/ketnap's showing only
those awaiting the admission decision), the answer helpers (`typed_text`, `pressed_part`, `pressed_id`,
`date_answer`, `decision_number`), refusals in words (`problem`), and the small builders of the
conversation tables.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.domain.candidates import CandidateInfo, awaiting_decision
from bot.domain.dates import parse_date
from bot.domain.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from bot.domain.pipeline import validate_details
from bot.domain.roles import Actor
from bot.domain.stages import Stage
from bot.handlers.common import acting, error_text, registered_user, reply
from bot.handlers.flow import (
    PROMPT,
    cancel_button,
    draft,
    markup_rows,
    pressed_part,
    refuse,
    user_data,
)
from bot.handlers.keyboards import page_count, paged_keyboard, parse_int
from bot.handlers.runtime import ChiboContext
from bot.handlers.trail import TRAIL
from bot.services.candidate_checks import check_received_date
from bot.services.candidates import candidates_of_cell, get_candidate_for
from bot.services.directory import reporting_cell
from bot.texts import has_text, t
from bot.texts.candidate_update import refusal_values
from bot.texts.formatting import format_date

TEXT_ANSWER = filters.TEXT & ~filters.COMMAND

# The candidate picker's states, one per flow (each flow registers its own asker for its state).
CHOOSING_CANDIDATE = "cn_candidate"
KN_CHOOSING_CANDIDATE = "kn_candidate"

EXAMPLES = {"full_name": "Trần Thị Mai", "introducer": "Nguyễn Văn An", "helper": "Nguyễn Văn An",
            "decision_number": "123-QĐ/TU", "reason": "Chuyển đi nơi khác sinh sống."}


# ── small helpers ────────────────────────────────────────────────────────────────────────────

def nav(prefix: str, lang: str) -> list[tuple[str, str]]:
    return [(t("button.back", lang), f"{prefix}:back"), cancel_button(lang)]


def problem(error: DomainError, context: ChiboContext, example: str = "") -> str:
    """The refusal in words: dates as dd/mm/yyyy, steps by their names, an example to copy."""
    lang = context.runtime.lang
    data = dict(error.data)
    dated_value = data.get("reason") in ("future", "received_before_signed", "signed_after_received")
    for key in ("previous", "next", "ends", "signed", "received") + (("value",) if dated_value else ()):
        if isinstance(data.get(key), str):
            with contextlib.suppress(ValueError):
                data[key] = format_date(date.fromisoformat(data[key]), lang)
    for key in ("step", "missing"):
        if isinstance(data.get(key), str) and has_text(f"step.{data[key]}"):
            data[key] = t(f"step.{data[key]}", lang)
    data = refusal_values(data, lang)
    data.setdefault("today", format_date(context.runtime.today(), lang))
    data.setdefault("example", example or EXAMPLES.get(str(data.get("field")), ""))
    worded = type(error)(error.code, **data)
    return error_text(worded, lang, prefix="cn.")


async def chosen_candidate(update: Update, context: ChiboContext) -> CandidateInfo:
    """The draft's candidate, loaded afresh (the service checks the actor may see it)."""
    actor = await acting(update, context)
    return await get_candidate_for(context.runtime.db, actor, draft(context)["cid"])


def typed_text(update: Update) -> str:
    message = update.effective_message
    return (message.text or "") if message is not None else ""


def pressed_id(update: Update) -> int:
    """The id at the end of the pressed button's data; a forged, oversized one names nobody."""
    found = parse_int(pressed_part(update))
    if found is None:
        raise NotFound(entity="candidate")
    return found


async def date_answer(update: Update, context: ChiboContext) -> date | None:
    """The date typed (or "Hôm nay"); None after refusing a date that cannot be read."""
    today = context.runtime.today()
    if update.callback_query is not None:
        return today
    try:
        return parse_date(typed_text(update), today)
    except InvalidInput as exc:
        await refuse(update, context, problem(exc, context))
        return None


def date_rows(prefix: str, lang: str) -> list[list[tuple[str, str]]]:
    return [[(t("button.today", lang), f"{prefix}:today")], nav(prefix, lang)]


def received_rows(prefix: str, signed: date, lang: str) -> list[list[tuple[str, str]]]:
    """The received-date question's buttons: the signing day (the usual answer), today, « Quay lại."""
    return [[(t("cn.button.same_as_signed", lang, date=format_date(signed, lang)), f"{prefix}:signed")],
            *date_rows(prefix, lang)]


async def received_answer(update: Update, context: ChiboContext, signed: date) -> date | None:
    """The date the decision was received: «Cùng ngày ký», «Hôm nay» or typed; None after refusing
    one that cannot be read."""
    if update.callback_query is not None and pressed_part(update) == "signed":
        return signed
    return await date_answer(update, context)


async def take_received_date(update: Update, context: ChiboContext) -> bool:
    """The received-date step of /ketnap and /capnhat: reads the answer, checks it (not before the
    signing, not in the future), stores it as the draft's "received"; False after a refusal."""
    d = draft(context)
    signed = date.fromisoformat(d["on"])
    on = await received_answer(update, context, signed)
    if on is None:
        return False
    try:
        await check_received_date(context.runtime.db, await acting(update, context), int(d["cid"]),
                                  decision_on=signed, received_on=on, today=context.runtime.today())
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return False
    d["received"] = on.isoformat()
    return True


def received_question(name: str, signed: date, context: ChiboContext) -> str:
    lang = context.runtime.lang
    return t("cn.ask_received", lang, name=name, signed=format_date(signed, lang),
             today=format_date(context.runtime.today(), lang))


def decision_number(text: str) -> str:
    return str(validate_details(Stage.DECISION, {"number": text})["number"])


# ── choosing the candidate (both flows) ──────────────────────────────────────────────────────

async def candidate_list(
    update: Update, context: ChiboContext, prefix: str
) -> tuple[str, InlineKeyboardMarkup]:
    lang = context.runtime.lang
    user = await registered_user(update, context)
    candidates = await candidates_of_cell(context.runtime.db, user.actor(), user.cell_id)
    if prefix == "kn":
        candidates = awaiting_decision(candidates)
    d = draft(context)
    pages = page_count(len(candidates))
    page = min(max(int(d.get("page", 0)), 0), pages - 1)
    label, data = cancel_button(lang)
    markup = paged_keyboard(
        candidates, page, lang=lang,
        label=lambda c: t("cn.candidate_button", lang, name=c.full_name, stage=t(f"stage.{c.stage}", lang)),
        data=lambda c: f"{prefix}:c:{c.id}", page_data=lambda p: f"{prefix}:p:{p}",
        extra_rows=[[InlineKeyboardButton(label, callback_data=data)]],
    )
    text = t(f"{prefix}.choose_candidate", lang, count=len(candidates), page=page + 1, pages=pages)
    return text, markup


async def on_page(update: Update, context: ChiboContext) -> str:
    """Shows another page of the candidate list, in place."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    prefix = (query.data or "")[:2]
    d = draft(context)
    d["page"] = parse_int(pressed_part(update)) or 0
    d[TRAIL][-1][1]["page"] = d["page"]  # « Quay lại to the list keeps the page
    text, markup = await candidate_list(update, context, prefix)
    user_data(context)[PROMPT] = {"text": text, "buttons": markup_rows(markup)}
    with contextlib.suppress(BadRequest):  # the same page pressed again: nothing to change
        await query.edit_message_text(text, reply_markup=markup)
    return CHOOSING_CANDIDATE if prefix == "cn" else KN_CHOOSING_CANDIDATE


async def no_cell(update: Update, context: ChiboContext) -> Actor | None:
    """The secretary's actor, or None after telling someone without a cell that this is not for them."""
    actor = await acting(update, context)
    try:
        await reporting_cell(context.runtime.db, actor)
    except PermissionDenied:
        await reply(update, context, t("cn.secretary_only", context.runtime.lang))
        return None
    return actor


# ── building the conversation tables ─────────────────────────────────────────────────────────

Handlers = list[BaseHandler[Any, Any, Any]]


def button(callback: Callable[..., Any], pattern: str) -> CallbackQueryHandler[Any, Any]:
    return CallbackQueryHandler(callback, pattern=pattern)


def text_answer(callback: Callable[..., Any]) -> MessageHandler[Any, Any]:
    return MessageHandler(TEXT_ANSWER, callback)
