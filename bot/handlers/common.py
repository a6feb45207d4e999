"""Helpers every handler uses: who is speaking, replying in their language, turning errors into words."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.domain.errors import DomainError, PermissionDenied
from bot.domain.roles import Actor
from bot.domain.users import UserInfo
from bot.handlers.runtime import ChiboContext
from bot.services.onboarding import identify
from bot.texts import has_text, t

log = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 1000  # nothing a secretary types needs more; longer input is refused whole


async def current_user(update: Update, context: ChiboContext) -> UserInfo | None:
    """The registered user behind this update, looked up afresh (roles can change at any time)."""
    if update.effective_user is None:
        return None
    return await identify(context.runtime.db, context.channel, str(update.effective_user.id))


async def registered_user(update: Update, context: ChiboContext) -> UserInfo:
    """The user behind an update that got past the gate, which admits registered users only.

    Checked again here, not assumed: a gate that failed to stop an update (or a handler reached
    some other way) must still not act for a stranger. An `assert` would vanish under `python -O`.
    """
    user = await current_user(update, context)
    if user is None:
        log.warning("update %s reached a feature without a registered user", update.update_id)
        raise PermissionDenied(reason="not_registered")
    return user


async def acting(update: Update, context: ChiboContext) -> Actor:
    """Who is acting, for the permission checks in the services."""
    return (await registered_user(update, context)).actor()


async def reply(update: Update, context: ChiboContext, text: str, **kwargs: object) -> None:
    """Answer in the chat the update came from (a message, or the message under a pressed button)."""
    chat = update.effective_chat
    if chat is None:
        return
    await context.bot.send_message(chat.id, text, **kwargs)  # type: ignore[arg-type]


def error_text(error: DomainError, lang: str, prefix: str = "") -> str:
    """The message for a domain error: the most specific text key that exists wins.

    Looks up `{prefix}error.{reason}`, `error.{reason}`, `{prefix}error.{code}`, `error.{code}`.
    """
    reason = str(error.data.get("reason", ""))
    candidates = [f"{prefix}error.{reason}", f"error.{reason}"] if reason else []
    candidates += [f"{prefix}error.{error.code}", f"error.{error.code}"]
    for key in candidates:
        if has_text(key):
            try:
                return t(key, lang, **error.data)
            except KeyError:
                log.warning("text %s lacks a value from %s", key, sorted(error.data))
    log.warning("no text for domain error %s", error)
    return t("error.unexpected", lang)


async def stop_with(update: Update, context: ChiboContext, text: str) -> None:
    """Reply and stop every later handler group from seeing this update."""
    await reply(update, context, text)
    raise ApplicationHandlerStop
