"""What every conversation shares: asking (and re-asking) a question, /huy, back, idle expiry,
and the guard that keeps one flow at a time.

A flow stores its draft in `context.user_data[DRAFT]` (JSON-friendly values only: the DB-backed
persistence keeps it across restarts) and its current question in `user_data[PROMPT]`, so any
bad input can be answered with the problem *and the question again*.

Every flow moves between its questions the same way, with `bot.handlers.trail` (one asker per
question, `goto`, « Quay lại). Flow handlers are built with `make_conversation`, which adds the
common fallbacks:
/huy cancels; a command from another flow is refused with the pending question (one that only
shows something — /tiendo, /tonghop, /trogiup — is answered, then the question follows); a sticker,
photo or other non-text where text is expected is refused likewise; idle expiry ends the flow
with a message.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.channels.zalo_render import numbered, pick, typed_label
from bot.domain.channels import ZALO
from bot.handlers.common import reply
from bot.handlers.runtime import ChiboContext
from bot.texts import t

log = logging.getLogger(__name__)

# Our flows track one conversation per user and chat, buttons included (per_message=False is the
# intent: a flow edits and sends several messages). PTB warns about that choice on every build.
warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)

DRAFT = "draft"  # user_data key: the flow's answers so far
PROMPT = "prompt"  # user_data key: {"text": …, "buttons": [[[label, data], …], …]}
FLOW = "flow"  # user_data key: name of the flow in progress
FLOW_AT = "flow_at"  # user_data key: when the flow last asked something (ISO, UTC)
# user_data key: what a flow that issues one thing (/moi's code) issued, when, and the choices of
# its last question, so that presses and numbers meant for it afterwards are answered with it.
FINISHED = "finished"
END = ConversationHandler.END
FLOW_GUARD_GROUP = -5  # after the gate (-10), before every feature (0)


def user_data(context: ChiboContext) -> dict[str, Any]:
    assert context.user_data is not None
    return context.user_data


def draft(context: ChiboContext) -> dict[str, Any]:
    return user_data(context).setdefault(DRAFT, {})


def begin(context: ChiboContext, flow: str, initial: dict[str, Any] | None = None) -> dict[str, Any]:
    """Start `flow` with a fresh draft (any half-finished one of the same user is dropped)."""
    data = user_data(context)
    data[FLOW] = flow
    data[FLOW_AT] = context.runtime.now().isoformat()
    data[DRAFT] = dict(initial or {})
    data.pop(PROMPT, None)
    data.pop(FINISHED, None)  # a new run: what the last one issued no longer answers for it
    return data[DRAFT]


def finish(context: ChiboContext) -> int:
    """Forget the flow and its draft; returns END for the ConversationHandler."""
    data = user_data(context)
    for key in (FLOW, FLOW_AT, DRAFT, PROMPT):
        data.pop(key, None)
    return END


def remember_finished(context: ChiboContext, text: str) -> None:
    """Call before `finish` in a flow whose run yields one thing (an invite code): until the idle
    limit passes, a press on its old buttons, a number or label typed for its last question, or a
    /huy is answered with `text` (what was issued), and nothing more is done."""
    data = user_data(context)
    prompt = data.get(PROMPT) or {}
    data[FINISHED] = {"text": text, "at": context.runtime.now().isoformat(),
                      "choices": [str(label) for row in prompt.get("buttons", []) for label, _ in row]}


def recently_finished(context: ChiboContext, typed: str | None = None) -> str | None:
    """What a flow just issued (see `remember_finished`), while it is recent; with `typed`, only
    when the text names one of that flow's last choices (its number or label)."""
    marker = context.user_data.get(FINISHED) if context.user_data is not None else None
    if not marker:
        return None
    waited = context.runtime.now() - datetime.fromisoformat(marker["at"])
    if waited.total_seconds() > context.runtime.idle_seconds:
        return None
    if typed is not None and pick(typed, [(label, "choice") for label in marker["choices"]]) is None:
        return None
    return str(marker["text"])


def keyboard(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def markup_rows(markup: InlineKeyboardMarkup | None) -> list[list[tuple[str, str]]]:
    if markup is None:
        return []
    return [[(b.text, str(b.callback_data)) for b in row] for row in markup.inline_keyboard]


async def ask(
    update: Update, context: ChiboContext, text: str,
    buttons: Sequence[Sequence[tuple[str, str]]] | InlineKeyboardMarkup = (),
) -> None:
    """Send a question (with buttons) and remember it, so it can be asked again after bad input."""
    rows = markup_rows(buttons) if isinstance(buttons, InlineKeyboardMarkup) else [list(r) for r in buttons]
    data = user_data(context)
    data[PROMPT] = {"text": text, "buttons": rows}
    data[FLOW_AT] = context.runtime.now().isoformat()
    await reply(update, context, text, reply_markup=keyboard(rows))


async def ask_again(update: Update, context: ChiboContext, intro: str = "") -> None:
    """The pending question again, with its buttons (`intro`: a line above it)."""
    prompt = user_data(context).get(PROMPT)
    if prompt:
        rows = [[tuple(b) for b in row] for row in prompt["buttons"]]
        text = f"{intro}\n\n{prompt['text']}" if intro else prompt["text"]
        await reply(update, context, text, reply_markup=keyboard(rows))  # type: ignore[arg-type]


async def refuse(update: Update, context: ChiboContext, problem: str) -> None:
    """Say what was wrong (with an example, in `problem`) and ask the same question again."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    await reply(update, context, problem)
    await ask_again(update, context)


async def acknowledge(update: Update) -> None:
    """Stops the spinner of a pressed button; nothing to do for a typed answer."""
    if update.callback_query is not None:
        await update.callback_query.answer()


async def drop_keyboard(update: Update) -> None:
    """Takes the buttons off the pressed message, so "✅ Lưu" cannot be pressed on it again."""
    query = update.callback_query
    if query is not None:
        with contextlib.suppress(BadRequest):  # it had none left
            await query.edit_message_reply_markup(None)


async def confirm_saved(update: Update, context: ChiboContext, *texts: str) -> int:
    """After a committed save: end the flow first, then take the buttons off and say what was
    saved. A Telegram failure past this point must not leave the flow open for a second save
    (the confirmation may be lost; the data is not)."""
    finish(context)
    for send in (lambda: drop_keyboard(update), *(lambda text=text: reply(update, context, text)
                                                  for text in texts)):
        try:
            await send()
        except TelegramError as exc:  # each part on its own: a failed edit still sends the text
            log.warning("saved, but part of the confirmation failed: %s", type(exc).__name__)
    return END


async def answer_button(update: Update) -> str:
    """Acknowledge a pressed button (stops the spinner) and return its data."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    return query.data or ""


def pressed_part(update: Update) -> str:
    """The last part of the pressed button's data ("cn:s:course" → "course")."""
    query = update.callback_query
    return (query.data or "").rsplit(":", 1)[-1] if query is not None else ""


async def cancel(update: Update, context: ChiboContext) -> int:
    """Ends the flow on /huy (or the Hủy button); nothing half-done is saved."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    finish(context)
    await reply(update, context, t("cancelled", context.runtime.lang))
    return END


async def _expired(update: object, context: ChiboContext) -> None:
    """Idle too long: the flow ends and the user is told so (nothing was saved)."""
    finish(context)
    if isinstance(update, Update) and update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id,
                                       t("flow.expired", context.runtime.lang,
                                         minutes=context.runtime.settings.conversation.idle_minutes))


def buttons_hint(context: ChiboContext) -> str:
    """What to do at the pending question, by its buttons: their labels on Telegram, their numbers
    on Zalo (where a navigation-only keyboard is typed by its words, as `zalo_render` shows it)."""
    lang = context.runtime.lang
    prompt = user_data(context).get(PROMPT) or {}
    choices = [(str(label), str(data)) for row in prompt.get("buttons", []) for label, data in row]
    if not choices:
        return t("flow.type_answer", lang)
    if context.channel == ZALO:
        if numbered(choices):
            listed = ", ".join(t("flow.number_choice", lang, number=i, label=typed_label(label))
                               for i, (label, _) in enumerate(choices, start=1))
            return t("flow.type_number", lang, choices=listed)
        words = ", ".join(f"«{typed_label(label)}»" for label, _ in choices)
        return t("flow.type_words", lang, choices=words)
    return t("flow.press_button", lang, choices=", ".join(f"«{label}»" for label, _ in choices))


async def refuse_typing(update: Update, context: ChiboContext) -> None:
    """Typed text where only the question's buttons make sense: which buttons, then the question."""
    await refuse(update, context, buttons_hint(context))


async def _wrong_kind(update: Update, context: ChiboContext) -> None:
    """Text at a step that only has buttons, or a sticker, photo or file where the flow waits for
    typed text or a button: says what the step takes, and asks again."""
    message = update.effective_message
    if message is not None and message.text is not None:
        await refuse_typing(update, context)
        return
    await refuse(update, context, t("flow.not_text", context.runtime.lang))


async def _stale_button(update: Update, context: ChiboContext) -> None:
    """A button from an older message (or forged) pressed in the middle of a flow."""
    assert update.callback_query is not None
    await update.callback_query.answer(t("error.stale_button", context.runtime.lang), show_alert=True)
    await ask_again(update, context)


async def _nothing_to_cancel(update: Update, context: ChiboContext) -> None:
    """/huy outside any flow (also clears a flow marker no conversation holds any more)."""
    finish(context)
    done = recently_finished(context)
    text = t("flow.nothing_to_cancel", context.runtime.lang)
    await reply(update, context, f"{text}\n{done}" if done else text)


def _flow_expired(context: ChiboContext) -> bool:
    """The flow waited longer than the idle limit, or its draft is gone: PTB's idle timer was lost
    (the bot restarted in between), so the flow must end now rather than linger."""
    assert context.user_data is not None
    stamp = context.user_data.get(FLOW_AT)
    if not stamp:
        return True
    waited = context.runtime.now() - datetime.fromisoformat(stamp)
    return waited.total_seconds() > context.runtime.idle_seconds


def _expiring(callback: Callable[[Update, ChiboContext], Awaitable[object]]) -> Callable[
        [Update, ChiboContext], Awaitable[object]]:
    """A step of a flow that first checks the flow is still alive (see `_flow_expired`)."""

    async def step(update: Update, context: ChiboContext) -> object:
        assert context.user_data is not None
        if not context.user_data.get(FLOW):  # the flow already ended (saved, cancelled)
            if update.callback_query is not None:
                await update.callback_query.answer(t("error.stale_button", context.runtime.lang),
                                                   show_alert=True)
            return END
        if _flow_expired(context):
            if update.callback_query is not None:
                await update.callback_query.answer()
            await _expired(update, context)
            return END
        context.user_data[FLOW_AT] = context.runtime.now().isoformat()  # any answer keeps it alive
        return await callback(update, context)

    step.__doc__ = callback.__doc__
    return step


# Buttons that start a conversation of their own (a reminder's "📝 Báo cáo sinh hoạt", /nhacnho's
# quiet hours): like a command, refused while another flow is in progress.
FLOW_STARTING_BUTTONS = ("go:", "nn:q")


Callback = Callable[[Update, ChiboContext], Awaitable[object]]
# Commands that only show something (/tiendo, /tonghop, /trogiup): answered in the middle of a
# flow, which then goes on with its question. Filled by the features (`answered_during_flows`).
_SHOWING: dict[str, Callback] = {}


def answered_during_flows(commands: Sequence[str], callback: Callback) -> None:
    """`commands` only show something: during a flow they are answered by `callback`, and the
    pending question is asked again, instead of being refused as the start of another flow."""
    for command in commands:
        _SHOWING[command] = callback


def _command(update: Update) -> tuple[str, list[str]] | None:
    """The command of a typed message ("/tiendo@bot 2023" → ("tiendo", ["2023"])), or None."""
    text = (update.message.text or "") if update.message is not None else ""
    if not text.startswith("/"):
        return None
    words = text.split()
    return words[0][1:].split("@")[0].lower(), words[1:]


async def _show_during_flow(update: Update, context: ChiboContext, callback: Callback,
                            args: list[str]) -> None:
    """Answers a showing command, then asks the flow's pending question again. A failure of the
    answer is reported like any other, and the flow still goes on."""
    context.args = args
    try:
        await callback(update, context)
    except Exception as exc:  # the error handler words it; the question must follow regardless
        await context.application.process_error(update, exc)
    assert context.user_data is not None
    lang = context.runtime.lang
    await ask_again(update, context, intro=t("flow.resume", lang,
                                             flow=t(f"flow.name.{context.user_data[FLOW]}", lang)))


def _starts_another_flow(update: Update) -> str | None:
    """The command or flow-starting button data of this update, or None."""
    if update.callback_query is not None:
        data = update.callback_query.data or ""
        return data if data.startswith(FLOW_STARTING_BUTTONS) else None
    text = (update.message.text or "") if update.message is not None else ""
    if not text.startswith("/"):
        return None
    command = text.split()[0][1:].split("@")[0].lower()
    return None if command == "huy" else text.split()[0][:40]


async def _guard(update: Update, context: ChiboContext) -> None:
    """A command (or a flow-starting button) while a flow is in progress: refused, with the
    pending question again. Runs before the features, so no second conversation can start over
    the first one. A command that only shows something is answered, and the flow goes on."""
    if context.user_data is None or not context.user_data.get(FLOW):
        return
    if _flow_expired(context):
        return  # the flow's own steps end it (see `_expiring`); nothing to guard any more
    command = _command(update)
    if command is not None and command[0] in _SHOWING:
        await _show_during_flow(update, context, _SHOWING[command[0]], command[1])
        raise ApplicationHandlerStop
    other = _starts_another_flow(update)
    if other is None:
        return
    lang = context.runtime.lang
    if update.callback_query is not None:
        await update.callback_query.answer()
    await reply(update, context, t("flow.busy", lang, flow=t(f"flow.name.{context.user_data[FLOW]}", lang),
                                   command=other if other.startswith("/") else t("flow.that_button", lang)))
    await ask_again(update, context)
    raise ApplicationHandlerStop


def make_conversation(
    *, name: str, entry_points: list[BaseHandler[Any, Any, Any]],
    states: dict[object, list[BaseHandler[Any, Any, Any]]], idle_seconds: float,
) -> ConversationHandler[Any]:
    """A persistent ConversationHandler with the common fallbacks and idle expiry.

    Idle expiry is PTB's conversation timeout while the bot runs; across a restart (which loses
    that timer) every step checks the flow's age itself before doing anything.
    """
    fallbacks: list[BaseHandler[Any, Any, Any]] = [
        CallbackQueryHandler(_stale_button),  # any button the current step does not expect
        MessageHandler(filters.ALL, _wrong_kind),  # stickers, photos, text at a button step
    ]
    for handler in [*fallbacks, *(h for hs in states.values() for h in hs)]:
        handler.callback = _expiring(handler.callback)
    return ConversationHandler(
        entry_points=entry_points,
        states={**states, ConversationHandler.TIMEOUT: [TypeHandler(Update, _expired)]},
        fallbacks=[
            CommandHandler("huy", cancel),
            CallbackQueryHandler(cancel, pattern=r"^cancel$"),
            *fallbacks,
        ],
        name=name,
        persistent=True,
        allow_reentry=True,
        conversation_timeout=idle_seconds,
    )


def from_button(start: Callable[[Update, ChiboContext], Awaitable[object]]) -> Callable[
        [Update, ChiboContext], Awaitable[object]]:
    """A flow's start, reached from a button (a reminder's "📝 Báo cáo sinh hoạt"): when the start
    refuses (wrong role, nothing to do) it only replies, so the button press is answered here."""

    async def started(update: Update, context: ChiboContext) -> object:
        state = await start(update, context)
        if state == END and update.callback_query is not None:
            await update.callback_query.answer()
        return state

    started.__doc__ = start.__doc__
    return started


def cancel_button(lang: str) -> tuple[str, str]:
    return (t("button.cancel", lang), "cancel")


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, _guard), group=FLOW_GUARD_GROUP)


def register_fallbacks(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("huy", _nothing_to_cancel))
