"""Telegram's routine refusals, told apart from real failures.

After downtime Telegram delivers buttons pressed minutes ago, and answering such a query fails with
"query is too old"; a double tap asks to edit a message into what it already says ("message is
not modified"); a button under a deleted or forged message asks to edit what is not there any
more. None is a fault of the bot nor anything the person can act on: the press is still handled,
the edit is simply not needed or becomes a new message, and none is logged as an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError

from bot.jobs.ratelimit import ChiboRateLimiter

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]  # what a Bot API method returns, as PTB types it


def is_query_too_old(error: BaseException) -> bool:
    """Answering a button pressed too long ago (Telegram allows about 15 minutes)."""
    text = str(error).lower()
    return isinstance(error, BadRequest) and ("query is too old" in text or "query id is invalid" in text)


def is_not_modified(error: BaseException) -> bool:
    """An edit that would leave the message as it is (a double tap, the same page again)."""
    return isinstance(error, BadRequest) and "message is not modified" in str(error).lower()


def is_message_gone(error: BaseException) -> bool:
    """An edit of a message that is no longer there to edit (deleted, too old, or a forged id)."""
    text = str(error).lower()
    return isinstance(error, BadRequest) and (
        "message to edit not found" in text or "message can't be edited" in text)


def is_routine(error: BaseException) -> bool:
    return is_query_too_old(error) or is_not_modified(error)


class ResilientRateLimiter(ChiboRateLimiter):
    """PTB's rate limiter (with the reminder sender's own 429 handling, `ChiboRateLimiter`),
    which also takes two of Telegram's refusals in its stride.

    - Answering a too-old button press is a no-op: the handler goes on and does what the press
      asked (every `query.answer()` passes through here as "answerCallbackQuery"; treating the
      refusal once here beats a try/except at twenty call sites, and every future one).
    - Editing a message that is gone (deleted, too old, a forged id) sends the new text as a new
      message instead: the person still sees the result of the press. Edits are sent after the
      handler has finished (`bot.handlers.durable`), so the handler could not do this itself.
    """

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any, kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        try:
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        except BadRequest as exc:
            if endpoint == "answerCallbackQuery" and is_query_too_old(exc):
                log.info("a button press arrived too late to be answered; handled without an answer")
                return False
            if endpoint == "editMessageText" and is_message_gone(exc) and data.get("chat_id"):
                log.info("the message to edit is gone; its new text is sent as a new message")
                fresh = {k: v for k, v in data.items() if k not in ("message_id", "inline_message_id")}
                return await super().process_request(
                    callback, ("sendMessage", fresh), kwargs, "sendMessage", fresh, rate_limit_args)
            raise


async def edit_in_place(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Rewrites the pressed message; a press that changes nothing leaves it as it is. (A message
    that cannot be edited any more gets the text as a new message: `ResilientRateLimiter`.)"""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except TelegramError as exc:
        if not is_not_modified(exc):
            raise
