"""Who may talk to the bot: the gate in front of every handler, /start with an invite code, /trogiup."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.domain.invites import InviteError, format_code, looks_like_code, normalise_code
from bot.handlers.common import MAX_TEXT_LENGTH, current_user, registered_user, reply
from bot.handlers.flow import answered_during_flows, ask_again, recently_finished
from bot.handlers.menu import help_text, remember_menu, set_menu
from bot.handlers.runtime import ChiboContext
from bot.services.onboarding import describe_user, note_contact, redeem_invite
from bot.services.setup import require_committee
from bot.texts import t
from bot.texts.formatting import format_date
from bot.texts.onboarding import greeting, welcome_back

log = logging.getLogger(__name__)

GATE_GROUP = -10  # runs before every feature's handlers


async def _stranger_text(context: ChiboContext) -> str:
    lang = context.runtime.lang
    try:
        committee = (await require_committee(context.runtime.db)).name
    except Exception:  # the gate must answer even before `chibo init`
        committee = t("committee.default", lang)
    return t("stranger", lang, committee=committee)


def _is_start(update: Update) -> bool:
    text = update.effective_message.text if update.effective_message else None
    words = text.split() if text else []  # whitespace-only text has no first word
    return bool(words) and words[0].split("@")[0].lower() == "/start"


async def gate(update: Update, context: ChiboContext) -> None:
    """Lets through only private chats, new messages and button presses, sane lengths, and
    registered users (or a /start attempt).

    Fails closed: the update goes on to the features only when `_admit` returned True. A reply
    that fails (network, 429, a query too old) or any other error in here still stops it, since
    PTB hands an update to the next handler group after an exception that is not
    ApplicationHandlerStop.
    """
    try:
        if await _admit(update, context):
            return
    except ApplicationHandlerStop:
        raise
    except TelegramError as exc:  # our own answer failed: the update stays stopped all the same
        log.info("gate: answer to update %s failed: %s", update.update_id, type(exc).__name__)
    except Exception as exc:  # e.g. the database: reported by on_error, and the update stopped
        await context.application.process_error(update, exc)
    raise ApplicationHandlerStop


async def _admit(update: Update, context: ChiboContext) -> bool:
    """True: the update may go on. False: it was answered here (or needs no answer) and stops."""
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        if update.message is not None:
            await reply(update, context, t("private_only", context.runtime.lang))
        return False
    if update.edited_message is not None:
        # An edit is not a new answer: taking it as one would save a half-corrected value.
        if await current_user(update, context) is not None:
            await reply(update, context, t("edited_ignored", context.runtime.lang))
        return False
    if update.message is None and update.callback_query is None:
        return False  # blocks, joins and other service updates need no answer
    if update.effective_user is None or chat is None:
        return False  # a message from a channel or an anonymous admin: nobody to register
    message = update.message
    text = message.text if message is not None else None
    if text is not None and len(text) > MAX_TEXT_LENGTH:
        await reply(update, context, t("error.too_long", context.runtime.lang,
                                       length=len(text), limit=MAX_TEXT_LENGTH))
        await ask_again(update, context)  # mid-flow: the pending question, so the way on is clear
        return False
    if _is_start(update):
        return True
    user = await current_user(update, context)
    if user is not None:
        await note_contact(context.runtime.db, user)
        return True
    if text is not None and looks_like_code(text):
        await _redeem(update, context, text)  # an invite code pasted without /start
        return False
    if update.callback_query is not None:
        await update.callback_query.answer()
    await reply(update, context, await _stranger_text(context))
    return False


async def _redeem(update: Update, context: ChiboContext, typed_code: str) -> None:
    rt, lang = context.runtime, context.runtime.lang
    user = update.effective_user
    if user is None or update.effective_chat is None:  # the gate lets none such through
        return
    try:
        reg = await redeem_invite(
            rt.db, channel=context.channel, external_id=str(user.id), chat_id=update.effective_chat.id,
            display_name=user.full_name, typed_code=typed_code, now=rt.now(),
            guard=rt.invite_attempts,
        )
    except InviteError as exc:
        expired = exc.data.get("expired_at")
        date_text = format_date(expired.astimezone(rt.settings.tz).date(), lang) if expired else ""
        code = normalise_code(typed_code)
        shown = format_code(code) if looks_like_code(code) else code[:20]
        await reply(update, context, t(f"invite.error.{exc.code}", lang, code=shown, date=date_text,
                                       minutes=exc.data.get("minutes", "")))
        return
    committee = (await require_committee(rt.db, reg.user.committee_id)).name
    await reply(update, context,
                greeting(reg.user.role, reg.user.display_name, reg.cell_names, committee, lang))
    await set_menu(context.bot, update.effective_chat.id, reg.user.role, lang, context.channel)
    await remember_menu(rt, reg.user.id, reg.user.role, context.channel)
    for old in reg.replaced:
        log.info("user %s replaced as secretary of cell %s by user %s", old.id,
                 reg.user.cell_id, reg.user.id)
        # The person replaced may be on the other channel: tell them on theirs.
        their_bot = context.bot if old.channel == context.channel else rt.bots.get(old.channel)
        if old.chat_id is not None and their_bot is not None:
            await their_bot.send_message(old.chat_id, t("replaced_notice", lang, cell=reg.cell_names[0]))
            await set_menu(their_bot, old.chat_id, None, lang, old.channel)
            await remember_menu(rt, old.id, None, old.channel)


async def start(update: Update, context: ChiboContext) -> None:
    """Redeems the invite code after /start, or greets a registered user, or explains to a stranger."""
    if context.args:
        await _redeem(update, context, "".join(context.args))
        return
    user = await current_user(update, context)
    if user is None:
        await reply(update, context, await _stranger_text(context))
        return
    await _welcome_back(update, context)


async def _welcome_back(update: Update, context: ChiboContext) -> None:
    lang = context.runtime.lang
    user = await registered_user(update, context)
    cells = await describe_user(context.runtime.db, user)
    await reply(update, context, welcome_back(user.role, user.display_name, cells, lang))
    await reply(update, context, help_text(user.role, lang))


async def show_help(update: Update, context: ChiboContext) -> None:
    """Lists what this user can do, by role."""
    user = await registered_user(update, context)
    await reply(update, context, help_text(user.role, context.runtime.lang))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, gate), group=GATE_GROUP)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler(["trogiup", "help"], show_help))
    answered_during_flows(["trogiup", "help"], show_help)


def register_fallbacks(app: Application) -> None:  # type: ignore[type-arg]
    """Last resort for registered users: unknown commands and stray text get a pointer to /trogiup."""

    async def unknown_command(update: Update, context: ChiboContext) -> None:
        """Names the unknown command and points to /trogiup."""
        assert update.effective_message is not None and update.effective_message.text
        command = update.effective_message.text.split()[0][:40]
        await reply(update, context, t("unknown_command", context.runtime.lang, command=command))

    async def stray_input(update: Update, context: ChiboContext) -> None:
        """Text, stickers or photos outside any flow: say so, change nothing. A choice typed for
        a flow that has just issued its one result (Zalo's numbers) is answered with that result."""
        message = update.effective_message
        done = recently_finished(context, message.text) if message and message.text else None
        await reply(update, context, done or t("free_text_hint", context.runtime.lang))

    async def stale_button(update: Update, context: ChiboContext) -> None:
        """A button no live flow knows (old message, forged data): say so, change nothing."""
        assert update.callback_query is not None
        await update.callback_query.answer(t("error.stale_button", context.runtime.lang),
                                           show_alert=True)

    # Same group as the features, added last: a group runs only its first matching handler, so
    # these fire only when no command, conversation or button handler took the update.
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_handler(MessageHandler(filters.ALL, stray_input))
    app.add_handler(CallbackQueryHandler(stale_button))
