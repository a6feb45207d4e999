"""/nhacnho and the buttons under a reminder message.

/nhacnho shows the person's own reminder settings in one message whose buttons change them in
place: each kind of reminder their role gets (🔔 on / 🔕 muted), pause everything for 3 or 7 days
(or resume), quiet hours (a short conversation: from → until → ✅ Lưu) or back to the default, Xong.
Buttons carry only the wanted state ("nn:m:quota_pace" mutes, "nn:u:quota_pace" unmutes), so a
double tap changes the database once; the services act on the acting user's own settings only.

Under a reminder: "rm:snz:<row id>" queues the same message again in a few days (the service checks
the row was sent to the person pressing), "rm:set" opens /nhacnho, "go:<command>" leads to the action.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.channels.zalo_render import VALUE_SUFFIX
from bot.config import parse_hhmm
from bot.domain.errors import DomainError, InvalidInput
from bot.handlers import trail
from bot.handlers.common import acting, error_text, reply
from bot.handlers.flow import (
    END,
    ask,
    begin,
    cancel_button,
    confirm_saved,
    draft,
    finish,
    make_conversation,
    refuse,
)
from bot.handlers.keyboards import parse_int
from bot.handlers.resilience import edit_in_place
from bot.handlers.runtime import ChiboContext
from bot.handlers.status import show_progress
from bot.handlers.trail import asks, goto
from bot.services.reminder_prefs import (
    EVENING,
    MORNING,
    SNOOZE_ALL_DAYS,
    ReminderPrefs,
    cancel_snooze,
    check_quiet_hours,
    hhmm,
    parse_time_of_day,
    reminder_prefs,
    reset_quiet_hours,
    set_quiet_hours,
    set_rule_muted,
    snooze_all,
    snooze_reminder,
)
from bot.texts import t
from bot.texts.formatting import format_date
from bot.texts.reminder_settings import time_in_words

FLOW_NAME = "nhacnho"

# What the quiet-hours conversation waits for.
ASKING_QUIET_START = "nn_quiet_start"
ASKING_QUIET_END = "nn_quiet_end"
CONFIRMING_QUIET = "nn_quiet_confirm"

START_PRESETS = ("20:00", "21:00", "22:00")
END_PRESETS = ("06:00", "07:00", "08:00")
SNOOZE_PREFIX = "rm:snz:"
# What a reminder's action button says until that flow takes the button as its own entry point.


# ── small helpers ────────────────────────────────────────────────────────────────────────────

def _moment(at: datetime, tz: tzinfo, lang: str) -> str:
    local = at.astimezone(tz)
    return t("nn.at", lang, time=local.strftime("%H:%M"), date=format_date(local.date(), lang))


def render_prefs(view: ReminderPrefs, tz: tzinfo, lang: str, *, done: bool = False) -> str:
    """The settings as text: quiet hours, snooze, and what the buttons below do (or, when `done`,
    which kinds are muted and how to come back)."""
    default = t("nn.quiet_default", lang) if view.quiet_is_default else ""
    lines = [t("nn.header", lang), "",
             t("nn.quiet", lang, start=view.quiet_start, end=view.quiet_end, default=default),
             t("nn.snoozed", lang, at=_moment(view.snoozed_until, tz, lang)) if view.snoozed_until
             else t("nn.not_snoozed", lang)]
    if not view.reminders_enabled:
        lines.append(t("nn.all_off", lang))
    if done:
        muted = [t(f"nn.rule.{rule.value}", lang) for rule, is_muted in view.rules if is_muted]
        if muted:
            lines.append(t("nn.muted_list", lang, names=", ".join(muted)))
        lines += ["", t("nn.done", lang)]
    else:
        lines += ["", t("nn.rules_header", lang) if view.rules else t("nn.no_rules", lang)]
    return "\n".join(lines)


def prefs_keyboard(view: ReminderPrefs, default_quiet: tuple[str, str], lang: str) -> InlineKeyboardMarkup:
    """One toggle per rule, then pause/resume, quiet hours, Xong."""
    rows = []
    for rule, muted in view.rules:
        name = t(f"nn.rule.{rule.value}", lang)
        label, data = ((t("nn.rule_off", lang, name=name), f"nn:u:{rule.value}") if muted
                       else (t("nn.rule_on", lang, name=name), f"nn:m:{rule.value}"))
        rows.append([InlineKeyboardButton(label, callback_data=data)])
    rows.append([InlineKeyboardButton(t("nn.button.snooze", lang, days=d), callback_data=f"nn:s:{d}")
                 for d in SNOOZE_ALL_DAYS])
    if view.snoozed_until:
        rows.append([InlineKeyboardButton(t("nn.button.unsnooze", lang), callback_data="nn:s:0")])
    rows.append([InlineKeyboardButton(t("nn.button.quiet", lang), callback_data="nn:q")])
    if not view.quiet_is_default:
        start, end = default_quiet
        rows.append([InlineKeyboardButton(t("nn.button.quiet_default", lang, start=start, end=end),
                                          callback_data="nn:qd")])
    rows.append([InlineKeyboardButton(t("button.done", lang), callback_data="nn:x")])
    return InlineKeyboardMarkup(rows)


async def _send_prefs(update: Update, context: ChiboContext, view: ReminderPrefs) -> None:
    rt, lang = context.runtime, context.runtime.lang
    r = rt.settings.reminders
    await reply(update, context, render_prefs(view, rt.settings.tz, lang),
                reply_markup=prefs_keyboard(view, (r.quiet_start, r.quiet_end), lang))




async def _refuse_button(update: Update, context: ChiboContext, exc: DomainError) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer(error_text(exc, context.runtime.lang, prefix="nn."), show_alert=True)


# ── /nhacnho and its buttons ───────────────────────────────────────────────────────────────────

async def show_settings(update: Update, context: ChiboContext) -> None:
    """Shows the person's reminder settings, each change a button."""
    rt = context.runtime
    if update.callback_query is not None:
        await update.callback_query.answer()
    view = await reminder_prefs(rt.db, rt.settings, await acting(update, context), rt.now())
    await _send_prefs(update, context, view)


async def on_settings_button(update: Update, context: ChiboContext) -> None:
    """Applies one settings button (mute, unmute, pause, resume, default quiet hours, Xong) in place."""
    query = update.callback_query
    assert query is not None and query.data is not None
    rt, lang = context.runtime, context.runtime.lang
    actor = await acting(update, context)
    now = rt.now()
    try:
        match query.data.split(":"):
            case ["nn", "m" | "u" as op, rule]:
                view = await set_rule_muted(rt.db, rt.settings, actor, rule, op == "m", now)
                toast = t("nn.toast.muted" if op == "m" else "nn.toast.unmuted", lang,
                          name=t(f"nn.rule.{rule}", lang))
            case ["nn", "s", "0"]:
                view = await cancel_snooze(rt.db, rt.settings, actor, now)
                toast = t("nn.toast.unsnoozed", lang)
            case ["nn", "s", days] if parse_int(days) is not None:
                view = await snooze_all(rt.db, rt.settings, actor, int(days), now)
                assert view.snoozed_until is not None
                toast = t("nn.toast.snoozed", lang, at=_moment(view.snoozed_until, rt.settings.tz, lang))
            case ["nn", "qd"]:
                view = await reset_quiet_hours(rt.db, rt.settings, actor, now)
                toast = t("nn.toast.quiet_default", lang, start=view.quiet_start, end=view.quiet_end)
            case ["nn", "x"]:
                await query.answer()
                view = await reminder_prefs(rt.db, rt.settings, actor, now)
                done = render_prefs(view, rt.settings.tz, lang, done=True)
                await edit_in_place(update, done, None)
                return
            case _:
                await query.answer(t("error.stale_button", lang), show_alert=True)
                return
    except DomainError as exc:
        await _refuse_button(update, context, exc)
        return
    await query.answer(toast)
    r = rt.settings.reminders
    await edit_in_place(update, render_prefs(view, rt.settings.tz, lang),
                prefs_keyboard(view, (r.quiet_start, r.quiet_end), lang))


# ── quiet hours: from → until → ✅ Lưu ─────────────────────────────────────────────────────────

def _typed_or_pressed(update: Update) -> str:
    """The time as typed, or as carried by a preset button ("nn:ts:2100:v" → "21:00")."""
    if update.callback_query is not None:
        digits = (update.callback_query.data or "").split(":")[2]
        return f"{digits[:2]}:{digits[2:]}"
    assert update.effective_message is not None
    return update.effective_message.text or ""


def _words(at: str, lang: str) -> str:
    """"21:00" → "21 giờ tối": the answer read back in words, so a misreading shows."""
    parsed = parse_hhmm(at)
    return time_in_words(parsed, lang) if parsed is not None else at


def _presets(times: tuple[str, ...], prefix: str) -> list[tuple[str, str]]:
    """Preset hours, marked as values people also type: on Zalo a typed "5" is 5 o'clock, not the
    fifth choice under the question (the presets are typed by their words there)."""
    return [(at, f"nn:{prefix}:{at.replace(':', '')}{VALUE_SUFFIX}") for at in times]


@asks(ASKING_QUIET_START)
async def ask_start(update: Update, context: ChiboContext) -> None:
    """Asks from what time in the evening reminders should stop (presets, or typed)."""
    lang = context.runtime.lang
    await ask(update, context, t("nn.ask_quiet_start", lang),
              [_presets(START_PRESETS, "ts"), [cancel_button(lang)]])


@asks(ASKING_QUIET_END)
async def ask_end(update: Update, context: ChiboContext) -> None:
    """Asks until what time in the morning (presets, or typed)."""
    lang = context.runtime.lang
    await ask(update, context, t("nn.ask_quiet_end", lang, start=_words(draft(context)["start"], lang)),
              [_presets(END_PRESETS, "te"), [(t("button.back", lang), "nn:back"), cancel_button(lang)]])


@asks(CONFIRMING_QUIET)
async def ask_confirm(update: Update, context: ChiboContext) -> None:
    """Shows the quiet hours with "✅ Lưu"."""
    lang, d = context.runtime.lang, draft(context)
    await ask(update, context, t("nn.confirm_quiet", lang, start=_words(d["start"], lang),
                                 end=_words(d["end"], lang)),
              [[(t("button.save", lang), "nn:save")],
               [(t("button.back", lang), "nn:back"), cancel_button(lang)]])


async def start_quiet_hours(update: Update, context: ChiboContext) -> str:
    """Asks from what time in the evening reminders should stop."""
    begin(context, FLOW_NAME)
    return await goto(update, context, ASKING_QUIET_START)


async def take_start(update: Update, context: ChiboContext) -> str:
    """Stores the start of the quiet hours and asks when they end."""
    try:
        at = parse_time_of_day(_typed_or_pressed(update), EVENING)  # "12" is midnight, not noon
    except InvalidInput as exc:
        await refuse(update, context, error_text(exc, context.runtime.lang, prefix="nn."))
        return ASKING_QUIET_START
    draft(context)["start"] = hhmm(at)
    return await goto(update, context, ASKING_QUIET_END)


async def take_end(update: Update, context: ChiboContext) -> str:
    """Stores the end of the quiet hours and asks to save both."""
    start = parse_hhmm(draft(context)["start"])
    assert start is not None  # stored by take_start in this very format
    try:
        at = parse_time_of_day(_typed_or_pressed(update), MORNING)
        check_quiet_hours(start, at)
    except InvalidInput as exc:
        await refuse(update, context, error_text(exc, context.runtime.lang, prefix="nn."))
        return ASKING_QUIET_END
    draft(context)["end"] = hhmm(at)
    return await goto(update, context, CONFIRMING_QUIET)


async def save_quiet_hours(update: Update, context: ChiboContext) -> int:
    """Saves the quiet hours (one service call), removes the buttons and shows the settings again."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    rt, lang, d = context.runtime, context.runtime.lang, draft(context)
    try:
        view = await set_quiet_hours(rt.db, rt.settings, await acting(update, context), d["start"], d["end"],
                                     rt.now())
    except DomainError as exc:  # cannot happen with checked answers; say so and stop, nothing saved
        finish(context)
        await reply(update, context, error_text(exc, lang, prefix="nn."))
        return END
    saved = t("nn.saved_quiet", lang, start=_words(view.quiet_start, lang), end=_words(view.quiet_end, lang))
    await confirm_saved(update, context, saved)
    await _send_prefs(update, context, view)
    return END


# ── the buttons under a reminder ─────────────────────────────────────────────────────────────────

def _without_snooze(message: Message) -> InlineKeyboardMarkup | None:
    """The message's keyboard minus its snooze button; None when there was nothing to take away."""
    markup = message.reply_markup
    if markup is None:
        return None
    rows = [[b for b in row if not str(b.callback_data or "").startswith(SNOOZE_PREFIX)]
            for row in markup.inline_keyboard]
    kept = [row for row in rows if row]
    if sum(map(len, kept)) == sum(map(len, markup.inline_keyboard)):
        return None
    return InlineKeyboardMarkup(kept)


async def snooze_from_reminder(update: Update, context: ChiboContext) -> None:
    """Queues the reminder message again in a few days and takes its snooze button away."""
    query = update.callback_query
    assert query is not None and query.data is not None
    rt, lang = context.runtime, context.runtime.lang
    row_id = parse_int(query.data.removeprefix(SNOOZE_PREFIX))
    if row_id is None:  # more digits than any id: forged
        await query.answer(t("error.stale_button", lang), show_alert=True)
        return
    try:
        snoozed = await snooze_reminder(rt.db, rt.settings, await acting(update, context), row_id, rt.now())
    except DomainError as exc:
        await _refuse_button(update, context, exc)
        return
    day = snoozed.until.astimezone(rt.settings.tz).date()
    await query.answer(t("nn.snoozed_reminder", lang, date=format_date(day, lang)), show_alert=True)
    if isinstance(query.message, Message):
        markup = _without_snooze(query.message)
        if markup is not None:
            await query.edit_message_reply_markup(markup if markup.inline_keyboard else None)


async def show_progress_from_reminder(update: Update, context: ChiboContext) -> None:
    """A reminder's "📊 Xem tiến độ": the /tiendo view. ("go:sinhhoat" and "go:capnhat" start the
    /sinhhoat and /capnhat conversations, which take them as entry points.)"""
    assert update.callback_query is not None
    await update.callback_query.answer()
    await show_progress(update, context)


def register(app: Application) -> None:  # type: ignore[type-arg]
    typed = filters.TEXT & ~filters.COMMAND
    back = CallbackQueryHandler(trail.back(), pattern=r"^nn:back$")
    app.add_handler(make_conversation(
        name=FLOW_NAME,
        entry_points=[CallbackQueryHandler(start_quiet_hours, pattern=r"^nn:q$")],
        states={
            ASKING_QUIET_START: [CallbackQueryHandler(take_start, pattern=r"^nn:ts:\d{4}:v$"),
                                 MessageHandler(typed, take_start)],
            ASKING_QUIET_END: [CallbackQueryHandler(take_end, pattern=r"^nn:te:\d{4}:v$"),
                               MessageHandler(typed, take_end), back],
            CONFIRMING_QUIET: [CallbackQueryHandler(save_quiet_hours, pattern=r"^nn:save$"), back],
        },
        idle_seconds=app.runtime.idle_seconds,  # type: ignore[attr-defined]
    ))
    app.add_handler(CommandHandler("nhacnho", show_settings))
    app.add_handler(CallbackQueryHandler(on_settings_button, pattern=r"^nn:(m|u|s|qd|x)(:|$)"))
    app.add_handler(CallbackQueryHandler(snooze_from_reminder, pattern=r"^rm:snz:\d{1,10}$"))
    app.add_handler(CallbackQueryHandler(show_settings, pattern=r"^rm:set$"))
    app.add_handler(CallbackQueryHandler(show_progress_from_reminder, pattern=r"^go:tiendo$"))
