"""/sinhhoat: a secretary reports a cell meeting with its attendance — or corrects the report
already saved for that date (there is never a second meeting for one cell and date).

Steps: date → (already reported? show it and offer to correct it) → kind → members expected →
present → absentees with a reason, then without (picked from the cell's member list, searchable by
typing part of a name; plain counts when no list is imported) → did the committee member in charge
attend → summary → ✅ Lưu, which makes the one service call.

Each question is an asker registered with `@asks(state)` and reached with `goto`; « Quay lại is
`trail.back`, which keeps the absentees already picked. Both absentee lists are one picking
question: the draft's WHICH says which list it fills.

Buttons carry only "sh:…" choices. A member id in a toggle is accepted only when it is on the list
the step offers; the service re-checks every id against the cell's members when saving.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.dates import parse_date
from bot.domain.errors import DomainError, InvalidInput, PermissionDenied
from bot.domain.meetings import (
    MeetingDraft,
    MeetingKind,
    absent_count,
    check_absentees_picked,
    check_excused_count,
    check_excused_picked,
    check_expected,
    check_present,
    meeting_draft,
    names_absentees,
)
from bot.domain.members import MemberInfo
from bot.handlers import trail
from bot.handlers.common import acting, error_text, reply
from bot.handlers.flow import (
    END,
    PROMPT,
    ask,
    ask_again,
    begin,
    cancel_button,
    confirm_saved,
    draft,
    finish,
    from_button,
    make_conversation,
    markup_rows,
    refuse,
    user_data,
)
from bot.handlers.keyboards import parse_int
from bot.handlers.member_picker import matching, member_page
from bot.handlers.runtime import ChiboContext
from bot.handlers.trail import asks, goto
from bot.services.directory import reporting_cell
from bot.services.meetings import (
    MeetingExists,
    cell_members,
    check_report_date,
    existing_meeting,
    record_meeting,
)
from bot.texts import t
from bot.texts.formatting import format_date
from bot.texts.meetings import (
    meeting_report,
    not_for_role,
    picker_text,
    present_example,
    split_example,
)

FLOW_NAME = "sinhhoat"

# What the bot waits for (persisted as JSON, hence strings).
ASKING_DATE = "asking_date"
CONFIRMING_CORRECTION = "confirming_correction"
CHOOSING_KIND = "choosing_kind"
ASKING_EXPECTED = "asking_expected"
ASKING_PRESENT = "asking_present"
PICKING_EXCUSED = "picking_excused"
PICKING_UNEXCUSED = "picking_unexcused"
ASKING_EXCUSED_COUNT = "asking_excused_count"
CHOOSING_COMMITTEE = "choosing_committee"
CONFIRMING = "confirming"

BACK = "sh:back"
EXCUSED, UNEXCUSED = "excused", "unexcused"  # draft keys of the two absentee lists
WHICH = "which"  # draft key: the list the picking question is about (EXCUSED or UNEXCUSED)
PICKING = {EXCUSED: PICKING_EXCUSED, UNEXCUSED: PICKING_UNEXCUSED}
_KINDS = (MeetingKind.REGULAR, MeetingKind.THEMATIC, MeetingKind.BOTH)
# "105", "105 người", "105 đồng chí": what people type for a head count.
_COUNT = re.compile(r"\s*(\d{1,6})\s*(?:người|nguoi|đồng chí|dong chi|đ/c|đc|dc|đảng viên|dang vien)?"
                    r"\s*[.!]?\s*", re.IGNORECASE)
_FILTER_LIMIT = 40  # characters of a name search kept (and shown back)


# ── Small helpers ─────────────────────────────────────────────────────────────────────────────


async def _members(update: Update, context: ChiboContext) -> list[MemberInfo]:
    return await cell_members(context.runtime.db, await acting(update, context), draft(context)["cell_id"])


def _nav(lang: str) -> list[tuple[str, str]]:
    return [(t("button.back", lang), BACK), cancel_button(lang)]


async def _not_offered(update: Update, context: ChiboContext, state: str) -> str:
    """A forged or stale button inside the flow: nothing changes, the question again."""
    assert update.callback_query is not None
    await update.callback_query.answer(t("error.stale_button", context.runtime.lang), show_alert=True)
    await ask_again(update, context)
    return state


def _problem(context: ChiboContext, error: DomainError) -> str:
    """The refusal for `error`, with the example dates its text may need."""
    rt, lang = context.runtime, context.runtime.lang
    today = rt.today()
    days = int(error.data.get("days", rt.settings.rules.meeting_report_max_age_days))
    extra: dict[str, Any] = {"example": format_date(today, lang),
                             "earliest": format_date(today - timedelta(days=days), lang)}
    if error.data.get("reason") == "future":
        extra["date"] = format_date(date.fromisoformat(str(error.data["value"])), lang)
    return error_text(type(error)(error.code, **{**extra, **error.data}), lang, prefix="meeting.")


def _count(text: str) -> int | None:
    """A head count typed in digits, or None ("mười", "abc")."""
    match = _COUNT.fullmatch(text)
    return int(match[1]) if match else None


def _absent(d: dict[str, Any]) -> int:
    return absent_count(int(d["expected"]), int(d["present"]))


def _to_meeting(d: dict[str, Any]) -> MeetingDraft:
    """The draft as the service takes it: named absentees, or counts when no names were picked."""
    return meeting_draft(
        cell_id=int(d["cell_id"]), held_on=date.fromisoformat(d["held_on"]), kind=MeetingKind(d["kind"]),
        expected=int(d["expected"]), present=int(d["present"]), committee=bool(d["committee"]),
        excused=tuple(d[EXCUSED]) if d.get("named") else None, unexcused=tuple(d.get(UNEXCUSED, ())),
        excused_count=int(d.get("excused_count", 0)),
    )


def _refusal(context: ChiboContext, error: InvalidInput, **extra: Any) -> str:
    """The refusal of an absentee step, worded by the rule's reason ("meeting.too_many_excused")."""
    return t(f"meeting.{error.data['reason']}", context.runtime.lang, **{**error.data, **extra})


def _names(members: Sequence[MemberInfo]) -> dict[int, str]:
    return {m.id: m.full_name for m in members}


# ── The questions, one per step ───────────────────────────────────────────────────────────────


@asks(ASKING_DATE)
async def ask_date(update: Update, context: ChiboContext) -> None:
    """Asks the date of the meeting (today with one press)."""
    lang = context.runtime.lang
    await ask(update, context, t("meeting.ask_date", lang, cell=draft(context)["cell"],
                                 example=format_date(context.runtime.today(), lang)),
              [[(t("button.today", lang), "sh:today")], [cancel_button(lang)]])


@asks(CONFIRMING_CORRECTION)
async def offer_correction(update: Update, context: ChiboContext) -> None:
    """Shows the report already saved for the date and offers to correct it."""
    rt, lang, d = context.runtime, context.runtime.lang, draft(context)
    actor = await acting(update, context)
    existing = await existing_meeting(rt.db, actor, d["cell_id"], date.fromisoformat(d["held_on"]))
    assert existing is not None  # reached only when one exists, and meetings are never deleted
    d["was"] = {EXCUSED: list(existing.excused_member_ids), UNEXCUSED: list(existing.unexcused_member_ids)}
    names = _names(await _members(update, context))
    await ask(update, context, t("meeting.already_reported", lang, date=format_date(existing.held_on, lang),
                                 report=meeting_report(existing, d["cell"], names, lang)),
              [[(t("meeting.button.correct", lang), "sh:fix")], _nav(lang)])


@asks(CHOOSING_KIND)
async def ask_kind(update: Update, context: ChiboContext) -> None:
    """Asks the kind of meeting: regular, thematic, or both."""
    lang = context.runtime.lang
    held_on = date.fromisoformat(draft(context)["held_on"])
    rows = [[(t(f"meeting_kind.{k.value}", lang), f"sh:k:{k.value}")] for k in _KINDS]
    await ask(update, context, t("meeting.ask_kind", lang, date=format_date(held_on, lang)),
              [*rows, _nav(lang)])


@asks(ASKING_EXPECTED)
async def ask_expected(update: Update, context: ChiboContext) -> None:
    """Asks how many were expected, offering the cell's member count when there is a list."""
    lang = context.runtime.lang
    default = len(await _members(update, context))
    draft(context)["default_expected"] = default
    if default:
        await ask(update, context, t("meeting.ask_expected", lang, default=default),
                  [[(t("meeting.button.expected", lang, count=default), "sh:exp")], _nav(lang)])
    else:
        await ask(update, context, t("meeting.ask_expected_typed", lang), [_nav(lang)])


@asks(ASKING_PRESENT)
async def ask_present(update: Update, context: ChiboContext) -> None:
    """Asks how many were present."""
    lang = context.runtime.lang
    expected = int(draft(context)["expected"])
    await ask(update, context,
              t("meeting.ask_present", lang, expected=expected, example=present_example(expected)),
              [_nav(lang)])


async def _to_absentees(update: Update, context: ChiboContext) -> str:
    """Names from the list when there is one (and it is long enough), else counts; nobody absent: skip."""
    d = draft(context)
    absent = _absent(d)
    if absent == 0:
        d["named"], d["excused_count"] = False, 0
        return await goto(update, context, CHOOSING_COMMITTEE)
    members = await _members(update, context)
    if names_absentees(absent, len(members)):
        ids = {m.id for m in members}
        d["named"] = True
        d[EXCUSED] = [i for i in d.get(EXCUSED, []) if i in ids]
        d[UNEXCUSED] = [i for i in d.get(UNEXCUSED, []) if i in ids and i not in d[EXCUSED]]
        d[WHICH] = EXCUSED
        return await goto(update, context, PICKING_EXCUSED)
    d["named"] = False
    return await goto(update, context, ASKING_EXCUSED_COUNT)


def _offered(members: Sequence[MemberInfo], d: dict[str, Any], which: str) -> list[MemberInfo]:
    """The list a picking step offers: everyone, or (for "without reason") all but the excused."""
    if which == UNEXCUSED:
        excused = set(d[EXCUSED])
        return [m for m in members if m.id not in excused]
    return list(members)


def _picker(
    context: ChiboContext, which: str, members: Sequence[MemberInfo]
) -> tuple[str, InlineKeyboardMarkup]:
    """The picking question and its paged keyboard, from the draft's choices, search and page."""
    lang = context.runtime.lang
    d = draft(context)
    absent = _absent(d)
    query = d.get("filter", "")
    pinned = set(d.get("pinned", []))
    offered = sorted(_offered(members, d, which), key=lambda m: m.id not in pinned)  # stable: keeps A–Z
    chosen = d[which]
    extra = []
    if query:
        extra.append([InlineKeyboardButton(t("meeting.button.show_all", lang), callback_data="sh:all")])
    extra.append([InlineKeyboardButton(t("button.done", lang), callback_data="sh:done")])
    extra.append([InlineKeyboardButton(label, callback_data=data) for label, data in _nav(lang)])
    listed = member_page(offered, query=query, page=int(d.get("page", 0)), pick="sh:t:", turn="sh:p:",
                         lang=lang, marked=set(chosen), extra_rows=extra, browse=bool(d.get("browse")))
    d["page"] = listed.page
    names = _names(members)
    text = picker_text(excused=None if which == EXCUSED else len(d[EXCUSED]), absent=absent,
                       picked=[names[i] for i in chosen if i in names], query=query,
                       found=len(listed.shown), page=listed.page, pages=listed.pages, lang=lang,
                       near=[m.full_name for m in listed.shown] if listed.near else (),
                       listed=len(offered) if listed.search_first else 0)
    return text, listed.markup


@asks(PICKING_EXCUSED)
@asks(PICKING_UNEXCUSED)
async def ask_picker(update: Update, context: ChiboContext) -> None:
    """Asks for the absentees of one kind (the draft's WHICH) from the member list: unfiltered, on
    page 1, with the members already chosen (kept from a correction or before « Quay lại) first."""
    d = draft(context)
    d.update(filter="", page=0, pinned=list(d[d[WHICH]]), browse=False)
    text, markup = _picker(context, d[WHICH], await _members(update, context))
    await ask(update, context, text, markup)


async def _redraw_picker(update: Update, context: ChiboContext) -> str:
    """Edits the picking message in place after a toggle, page turn or "show all"."""
    query = update.callback_query
    assert query is not None
    which = draft(context)[WHICH]
    text, markup = _picker(context, which, await _members(update, context))
    await query.answer()
    user_data(context)[PROMPT] = {"text": text, "buttons": markup_rows(markup)}
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # e.g. too old to edit: send the list anew
            await ask_again(update, context)
    return PICKING[which]


@asks(ASKING_EXCUSED_COUNT)
async def ask_excused_count(update: Update, context: ChiboContext) -> None:
    """Asks how many of the absent had a reason (no member list to pick names from)."""
    lang = context.runtime.lang
    absent = _absent(draft(context))
    await ask(update, context,
              t("meeting.ask_excused_count", lang, absent=absent, example=split_example(absent)),
              [_nav(lang)])


@asks(CHOOSING_COMMITTEE)
async def ask_committee(update: Update, context: ChiboContext) -> None:
    """Asks whether the committee member in charge attended."""
    lang = context.runtime.lang
    await ask(update, context, t("meeting.ask_committee", lang),
              [[(t("button.yes", lang), "sh:c:1"), (t("button.no", lang), "sh:c:0")], _nav(lang)])


@asks(CONFIRMING)
async def ask_confirm(update: Update, context: ChiboContext) -> None:
    """Shows the whole report with "✅ Lưu"."""
    lang = context.runtime.lang
    d = draft(context)
    names = _names(await _members(update, context))
    key = "meeting.summary_correction" if d.get("correct") else "meeting.summary"
    report = meeting_report(_to_meeting(d), d["cell"], names, lang)
    await ask(update, context, t(key, lang, report=report),
              [[(t("button.save", lang), "sh:save")], _nav(lang)])


# ── Steps ─────────────────────────────────────────────────────────────────────────────────────


async def start(update: Update, context: ChiboContext) -> str | int:
    """Checks that a cell secretary is asking and asks for the meeting date."""
    actor = await acting(update, context)
    try:
        cell_id, cell = await reporting_cell(context.runtime.db, actor)
    except PermissionDenied:
        await reply(update, context, not_for_role(actor.role, context.runtime.lang))
        return END
    begin(context, FLOW_NAME, {"cell_id": cell_id, "cell": cell, EXCUSED: [], UNEXCUSED: []})
    return await goto(update, context, ASKING_DATE)


async def take_today(update: Update, context: ChiboContext) -> str:
    """Stores today as the date and asks for the kind (or offers to correct today's report)."""
    return await _take_date(update, context, context.runtime.today())


async def take_typed_date(update: Update, context: ChiboContext) -> str:
    """Stores the typed date and asks for the kind (or offers to correct that date's report)."""
    assert update.effective_message is not None
    try:
        held_on = parse_date(update.effective_message.text or "", context.runtime.today())
    except InvalidInput as exc:
        await refuse(update, context, _problem(context, exc))
        return ASKING_DATE
    return await _take_date(update, context, held_on)


async def _take_date(update: Update, context: ChiboContext, held_on: date) -> str:
    rt = context.runtime
    d = draft(context)
    actor = await acting(update, context)
    try:
        check_report_date(actor, held_on, today=rt.today(), rules=rt.settings.rules)
        existing = await existing_meeting(rt.db, actor, d["cell_id"], held_on)
    except DomainError as exc:
        await refuse(update, context, _problem(context, exc))
        return ASKING_DATE
    d.update(held_on=held_on.isoformat(), correct=False)
    d[EXCUSED], d[UNEXCUSED] = [], []
    return await goto(update, context, CHOOSING_KIND if existing is None else CONFIRMING_CORRECTION)


async def correct_existing(update: Update, context: ChiboContext) -> str:
    """Marks the draft as a correction of the saved report (its absentees preselected); asks the kind."""
    d = draft(context)
    was = d.get("was") or {}
    d.update(correct=True)
    d[EXCUSED], d[UNEXCUSED] = list(was.get(EXCUSED, [])), list(was.get(UNEXCUSED, []))
    held_on = date.fromisoformat(d["held_on"])
    await reply(update, context, t("meeting.correcting", context.runtime.lang,
                                   date=format_date(held_on, context.runtime.lang)))
    return await goto(update, context, CHOOSING_KIND, replacing=True)  # « Quay lại: to the date


async def take_kind(update: Update, context: ChiboContext) -> str:
    """Stores the kind of meeting and asks how many members were expected."""
    assert update.callback_query is not None and update.callback_query.data
    draft(context)["kind"] = MeetingKind(update.callback_query.data.split(":")[2]).value
    return await goto(update, context, ASKING_EXPECTED)


async def take_default_expected(update: Update, context: ChiboContext) -> str:
    """Stores the cell's member count as expected and asks how many were present."""
    d = draft(context)
    default = int(d.get("default_expected") or 0)
    if default < 1:  # no such button was offered
        return await _not_offered(update, context, ASKING_EXPECTED)
    d["expected"] = default
    return await goto(update, context, ASKING_PRESENT)


async def take_typed_expected(update: Update, context: ChiboContext) -> str:
    """Stores the typed number expected and asks how many were present."""
    assert update.effective_message is not None
    lang = context.runtime.lang
    expected = _count(update.effective_message.text or "")
    if expected is None:
        example = draft(context).get("default_expected") or 25
        await refuse(update, context, t("meeting.not_a_number", lang, example=example))
        return ASKING_EXPECTED
    try:
        check_expected(expected)
    except InvalidInput as exc:
        await refuse(update, context, _problem(context, exc))
        return ASKING_EXPECTED
    draft(context)["expected"] = expected
    return await goto(update, context, ASKING_PRESENT)


async def take_present(update: Update, context: ChiboContext) -> str:
    """Stores the number present and asks for the absentees (or skips them when nobody was absent)."""
    assert update.effective_message is not None
    lang = context.runtime.lang
    d = draft(context)
    expected = int(d["expected"])
    present = _count(update.effective_message.text or "")
    if present is None:
        await refuse(update, context, t("meeting.not_a_number", lang, example=present_example(expected)))
        return ASKING_PRESENT
    try:
        check_present(present, expected)
    except InvalidInput as exc:
        await refuse(update, context, _problem(context, exc))
        return ASKING_PRESENT
    d["present"] = present
    return await _to_absentees(update, context)


async def toggle(update: Update, context: ChiboContext) -> str:
    """Marks or unmarks one member of the offered list and redraws it; any other id changes nothing."""
    assert update.callback_query is not None and update.callback_query.data
    d = draft(context)
    which = d[WHICH]
    member_id = parse_int(update.callback_query.data.split(":")[2])
    offered = {m.id for m in _offered(await _members(update, context), d, which)}
    if member_id is None or member_id not in offered:
        return await _not_offered(update, context, PICKING[which])
    chosen: list[int] = d[which]
    if member_id in chosen:
        chosen.remove(member_id)
    else:
        chosen.append(member_id)
        if which == EXCUSED and member_id in d[UNEXCUSED]:  # one person, one kind of absence
            d[UNEXCUSED].remove(member_id)
    return await _redraw_picker(update, context)


async def turn_page(update: Update, context: ChiboContext) -> str:
    """Shows another page of the member list."""
    assert update.callback_query is not None and update.callback_query.data
    page = parse_int(update.callback_query.data.split(":")[2])
    if page is None:
        return await _not_offered(update, context, PICKING[draft(context)[WHICH]])
    draft(context).update(page=page, browse=True)  # "Xem cả danh sách" on a long list is page 0
    return await _redraw_picker(update, context)


async def show_all(update: Update, context: ChiboContext) -> str:
    """Drops the name search and shows the whole list again."""
    draft(context).update(filter="", page=0, browse=True)
    return await _redraw_picker(update, context)


async def search(update: Update, context: ChiboContext) -> str:
    """Shows only the members whose name contains the typed text."""
    assert update.effective_message is not None
    d = draft(context)
    typed = " ".join((update.effective_message.text or "").split())[:_FILTER_LIMIT]
    members = await _members(update, context)
    if not matching(_offered(members, d, d[WHICH]), typed):
        await refuse(update, context, t("meeting.no_match", context.runtime.lang, query=typed))
        return PICKING[d[WHICH]]
    d.update(filter=typed, page=0)
    text, markup = _picker(context, d[WHICH], members)
    await ask(update, context, text, markup)
    return PICKING[d[WHICH]]


async def excused_done(update: Update, context: ChiboContext) -> str:
    """Keeps the members absent with a reason and asks for those without (unless none are left)."""
    d = draft(context)
    absent, chosen = _absent(d), len(d[EXCUSED])
    try:
        check_excused_picked(chosen, absent)
    except InvalidInput as exc:
        await refuse(update, context, _refusal(context, exc))
        return PICKING_EXCUSED
    if chosen == absent:
        d[UNEXCUSED] = []
        return await goto(update, context, CHOOSING_COMMITTEE)
    d[UNEXCUSED] = [i for i in d[UNEXCUSED] if i not in d[EXCUSED]]
    d[WHICH] = UNEXCUSED
    return await goto(update, context, PICKING_UNEXCUSED)


async def unexcused_done(update: Update, context: ChiboContext) -> str:
    """Checks the absentees add up to expected − present and asks whether the committee member came."""
    d = draft(context)
    try:
        check_absentees_picked(int(d["expected"]), int(d["present"]), len(d[EXCUSED]) + len(d[UNEXCUSED]))
    except InvalidInput as exc:
        await refuse(update, context, _refusal(context, exc))
        return PICKING_UNEXCUSED
    return await goto(update, context, CHOOSING_COMMITTEE)


async def take_excused_count(update: Update, context: ChiboContext) -> str:
    """Stores how many were absent with a reason (the rest without) and asks about the committee member."""
    assert update.effective_message is not None
    lang = context.runtime.lang
    d = draft(context)
    absent = _absent(d)
    count = _count(update.effective_message.text or "")
    if count is None:
        await refuse(update, context, t("meeting.not_a_number", lang, example=split_example(absent)))
        return ASKING_EXCUSED_COUNT
    try:
        check_excused_count(count, absent)
    except InvalidInput as exc:
        await refuse(update, context, _refusal(context, exc, example=split_example(absent)))
        return ASKING_EXCUSED_COUNT
    d["excused_count"] = count
    return await goto(update, context, CHOOSING_COMMITTEE)


async def take_committee(update: Update, context: ChiboContext) -> str:
    """Stores whether the committee member in charge attended and shows the summary to confirm."""
    assert update.callback_query is not None
    draft(context)["committee"] = update.callback_query.data == "sh:c:1"
    return await goto(update, context, CONFIRMING)


async def save(update: Update, context: ChiboContext) -> str | int:
    """Saves the report (or the correction) once, removes the buttons and repeats what was saved."""
    rt, lang = context.runtime, context.runtime.lang
    query = update.callback_query
    assert query is not None
    d = draft(context)
    try:
        saved = await record_meeting(rt.db, await acting(update, context), _to_meeting(d), today=rt.today(),
                                     rules=rt.settings.rules, correct_existing=bool(d.get("correct")))
    except MeetingExists:
        await query.answer()
        held_on = format_date(date.fromisoformat(d["held_on"]), lang)
        finish(context)
        await reply(update, context, t("meeting.exists_now", lang, date=held_on))
        return END
    except InvalidInput as exc:  # e.g. a member left the list meanwhile: fix it with « Quay lại
        await refuse(update, context, _problem(context, exc))
        return CONFIRMING
    except DomainError as exc:  # no longer this cell's secretary
        await query.answer()
        finish(context)
        await reply(update, context, error_text(exc, lang, prefix="meeting."))
        return END
    await query.answer()
    names = _names(await cell_members(rt.db, await acting(update, context), saved.meeting.cell_id))
    key = "meeting.corrected" if saved.corrected else "meeting.saved"
    return await confirm_saved(update, context,
                               t(key, lang, report=meeting_report(saved.meeting, d["cell"], names, lang)))


def register(app: Application) -> None:  # type: ignore[type-arg]
    def button(callback: Any, pattern: str) -> CallbackQueryHandler[Any, Any]:
        return CallbackQueryHandler(callback, pattern=pattern)

    typed = filters.TEXT & ~filters.COMMAND
    # « Quay lại: the previous question; the absentees already picked are kept.
    back = CallbackQueryHandler(trail.back(keep=(EXCUSED, UNEXCUSED)), pattern=r"^sh:back$")
    picking = [button(toggle, r"^sh:t:\d{1,11}$"), button(turn_page, r"^sh:p:\d{1,5}$"),
               button(show_all, r"^sh:all$"), MessageHandler(typed, search), back]
    app.add_handler(make_conversation(
        name=FLOW_NAME,
        entry_points=[CommandHandler("sinhhoat", start),
                      CallbackQueryHandler(from_button(start), pattern=r"^go:sinhhoat$")],
        states={
            ASKING_DATE: [button(take_today, r"^sh:today$"), MessageHandler(typed, take_typed_date)],
            CONFIRMING_CORRECTION: [button(correct_existing, r"^sh:fix$"), back],
            CHOOSING_KIND: [button(take_kind, r"^sh:k:(regular|thematic|both)$"), back],
            ASKING_EXPECTED: [button(take_default_expected, r"^sh:exp$"),
                              MessageHandler(typed, take_typed_expected), back],
            ASKING_PRESENT: [MessageHandler(typed, take_present), back],
            PICKING_EXCUSED: [button(excused_done, r"^sh:done$"), *picking],
            PICKING_UNEXCUSED: [button(unexcused_done, r"^sh:done$"), *picking],
            ASKING_EXCUSED_COUNT: [MessageHandler(typed, take_excused_count), back],
            CHOOSING_COMMITTEE: [button(take_committee, r"^sh:c:[01]$"), back],
            CONFIRMING: [button(save, r"^sh:save$"), back],
        },
        idle_seconds=app.runtime.idle_seconds,  # type: ignore[attr-defined]
    ))
