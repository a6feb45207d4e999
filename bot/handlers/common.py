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

_KNOWN = "chibo_user"  # the context attribute holding (update key, user) once identified
MAX_TEXT_LENGTH = 1000  # nothing a secretary types needs more; longer input is refused whole


async def current_user(update: Update, context: ChiboContext) -> UserInfo | None:
    """The registered user behind this update, looked up afresh for each update (roles can change
    at any time) but once per update: the gate and then the handler both ask, and PTB hands every
    handler of one update the same context, where the answer is kept. A stranger is not kept: the
    update may be the one that registers them."""
    if update.effective_user is None:
        return None
    key = (update.update_id, str(update.effective_user.id))
    known: tuple[tuple[int, str], UserInfo] | None = getattr(context, _KNOWN, None)
    if known is not None and known[0] == key:
        return known[1]
    user = await identify(context.runtime.db, context.channel, key[1])
    if user is not None:
        setattr(context, _KNOWN, (key, user))
    return user


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
