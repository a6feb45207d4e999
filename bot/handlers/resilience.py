"""Telegram's routine refusals, told apart from real failures.

After downtime Telegram delivers buttons pressed minutes ago, and answering such a query fails with
"query is too old"; a double tap asks to edit a message into what it already says ("message is
not modified"). Neither is a fault of the bot nor anything the person can act on: the press is
still handled, the edit is simply not needed, and neither is logged as an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import AIORateLimiter

from bot.handlers.common import reply
from bot.handlers.runtime import ChiboContext

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


class StaleTolerantRateLimiter(AIORateLimiter):
    """PTB's rate limiter, which also makes answering a too-old button press a no-op.

    Every `query.answer()` of every handler passes through here as an "answerCallbackQuery"
    request; treating the refusal once here beats a try/except at twenty call sites (and every
    future one). The handler then goes on and does what the press asked.
    """

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any, kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        try:
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        except BadRequest as exc:
            if endpoint != "answerCallbackQuery" or not is_query_too_old(exc):
                raise
            log.info("a button press arrived too late to be answered; handled without an answer")
            return False


async def edit_in_place(update: Update, context: ChiboContext, text: str,
                        markup: InlineKeyboardMarkup | None) -> None:
    """Rewrites the pressed message. A press that changes nothing leaves it as it is; when the
    message cannot be edited any more (deleted, too old, a forged id), the new view is sent as a
    new message, so the person still sees the result of the press."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except TelegramError as exc:
        if is_message_gone(exc):
            await reply(update, context, text, reply_markup=markup)
        elif not is_not_modified(exc):
            raise
