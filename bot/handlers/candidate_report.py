"""/ungvien: a secretary reports a new candidate (quần chúng ưu tú).

Name → birth date or year → gender → background → date spotted → the member assigned to help
(picked from the cell's list, found by typing part of a name, typed, or skipped) → a summary with
"✅ Lưu / ✏️ Sửa / Hủy". "Sửa" picks one item, asks it again and comes back to the summary.
Only the "✅ Lưu" button writes, through one service call; the draft lives in user_data until then.
Each question is an asker registered with `@asks(state)` and reached with `goto`; « Quay lại is
`trail.back`, which keeps the answers given so far.

Buttons carry only the choice ("uv:g:female", "uv:h:42"); a member id is looked up again in the
acting secretary's own cell list (and re-checked by the service), so a forged id changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.candidates import Background, CandidateDraft, Gender
from bot.domain.cells import fold_name
from bot.domain.dates import LooseDate, parse_date, parse_loose_date
from bot.domain.errors import DomainError, InvalidInput, PermissionDenied
from bot.domain.members import MemberInfo
from bot.domain.pipeline import age_warning
from bot.handlers import trail
from bot.handlers.common import error_text, registered_user, reply
from bot.handlers.flow import (
    END,
    PROMPT,
    acknowledge,
    answer_button,
    ask,
    ask_again,
    begin,
    cancel_button,
    confirm_saved,
    draft,
    finish,
    make_conversation,
    markup_rows,
    pressed_part,
    refuse,
    refuse_typing,
    user_data,
)
from bot.handlers.keyboards import parse_int
from bot.handlers.member_picker import matching, member_page
from bot.handlers.resilience import edit_in_place
from bot.handlers.runtime import ChiboContext
from bot.handlers.trail import asks, goto
from bot.services.candidates import check_birth, clean_name, report_candidate
from bot.services.directory import reporting_cell
from bot.services.meetings import cell_members
from bot.texts import has_text, t
from bot.texts.candidate_report import edit_text, helper_text, only_secretary, saved_text, summary_text
from bot.texts.formatting import format_date
from bot.texts.picker import near_text

FLOW_NAME = "ungvien"

# What the bot waits for (the ConversationHandler's states).
ASKING_NAME = "uv_name"
ASKING_BIRTH = "uv_birth"
CHOOSING_GENDER = "uv_gender"
CHOOSING_BACKGROUND = "uv_background"
ASKING_SPOTTED = "uv_spotted"
CHOOSING_HELPER = "uv_helper"
CONFIRMING = "uv_confirm"
CHOOSING_FIELD = "uv_field"

# The questions in order, each with the state that waits for its answer.
STEPS: dict[str, str] = {
    "name": ASKING_NAME, "birth": ASKING_BIRTH, "gender": CHOOSING_GENDER,
    "background": CHOOSING_BACKGROUND, "spotted": ASKING_SPOTTED, "helper": CHOOSING_HELPER,
}
ORDER = list(STEPS)
# The answers: « Quay lại re-asks a question without forgetting them (see trail.back).
ANSWERS = ("name", "birth", "gender", "background", "spotted", "helper_id", "helper_name", "helper_off_list")
QUERY_SHOWN = 30  # characters of a typed search echoed on a button


# ── small helpers ────────────────────────────────────────────────────────────────────────────

def _nav_row(lang: str) -> list[tuple[str, str]]:
    return [(t("button.back", lang), "uv:back"), cancel_button(lang)]


def _birth(d: dict[str, Any]) -> LooseDate:
    year, month, day = d["birth"]
    return LooseDate(year, month, day)


def _problem(step: str, error: DomainError, lang: str, **extra: Any) -> str:
    """The refusal for a bad answer at `step`: the step's own wording when there is one."""
    key = f"uv.{step}.error.{error.data.get('reason', '')}"
    if has_text(key):
        return t(key, lang, **{**error.data, **extra})
    return error_text(error, lang, prefix="uv.")


async def _members(update: Update, context: ChiboContext) -> list[MemberInfo]:
    """The cell's active members, read afresh with the acting user's rights."""
    user = await registered_user(update, context)
    return await cell_members(context.runtime.db, user.actor(), draft(context)["cell_id"])


async def _stale(update: Update, context: ChiboContext) -> None:
    """A button whose data names nothing we offered (forged or old): say so, change nothing."""
    assert update.callback_query is not None
    await update.callback_query.answer(t("error.stale_button", context.runtime.lang), show_alert=True)
    await ask_again(update, context)


# ── asking each question ─────────────────────────────────────────────────────────────────────

def _question(step: str, d: dict[str, Any], lang: str, first_time: str, how_key: str = "",
              **how_values: Any) -> str:
    """A step's question: as the flow first asks it, or, when correcting that one item from the
    summary, "✏️ Sửa <item> (đang ghi «…»)" without the flow's header and step number."""
    if not d.get("editing") or (step != "helper" and step not in d):
        return first_time
    return edit_text(step, d, lang, how_key, **how_values)


def _helper_view(d: dict[str, Any], members: list[MemberInfo], page: int,
                 lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """The helper question and its keyboard: the (filtered) member list, a page of it at a time."""
    query = d.get("query", "")
    extra: list[list[InlineKeyboardButton]] = []
    if query:
        if d.get("query_is_name"):
            extra.append([InlineKeyboardButton(
                t("uv.button.use_typed", lang, name=query[:QUERY_SHOWN]), callback_data="uv:ht")])
        extra.append([InlineKeyboardButton(t("uv.button.show_all", lang), callback_data="uv:hall")])
    extra.append([InlineKeyboardButton(t("button.skip", lang), callback_data="uv:skip")])
    extra.append([InlineKeyboardButton(label, callback_data=data) for label, data in _nav_row(lang)])
    listed = member_page(members, query=query, page=page, pick="uv:h:", turn="uv:hp:", lang=lang,
                         extra_rows=extra, browse=bool(d.get("browse")))
    if listed.search_first:  # a long list: part of a name first, paging one button away
        text = _question("helper", d, lang, t("uv.ask.helper_search", lang, name=d["name"],
                                             count=len(members)),
                         how_key="uv.edit_how.helper_search", count=len(members))
    elif query and listed.near:  # only names differing in tone marks: asked, not claimed to match
        text = near_text(query[:QUERY_SHOWN], [m.full_name for m in listed.shown], lang)
    elif query:
        text = t("uv.ask.helper_found", lang, count=len(listed.shown), query=query[:QUERY_SHOWN],
                 page=listed.page + 1, pages=listed.pages)
    else:
        text = _question("helper", d, lang, t("uv.ask.helper", lang, name=d["name"], page=listed.page + 1,
                                             pages=listed.pages), page=listed.page + 1, pages=listed.pages)
    return text, listed.markup


@asks(ASKING_NAME)
async def ask_name(update: Update, context: ChiboContext) -> None:
    """Asks the candidate's full name (« Quay lại only when correcting it from the summary)."""
    lang, d = context.runtime.lang, draft(context)
    first_row = _nav_row(lang) if d.get("editing") else [cancel_button(lang)]
    await ask(update, context, _question("name", d, lang, t("uv.ask.name", lang, cell=d["cell_name"])),
              [first_row])


@asks(ASKING_BIRTH)
async def ask_birth(update: Update, context: ChiboContext) -> None:
    """Asks the birth date, or the year alone."""
    lang, d = context.runtime.lang, draft(context)
    await ask(update, context, _question("birth", d, lang, t("uv.ask.birth", lang, name=d["name"])),
              [_nav_row(lang)])


@asks(CHOOSING_GENDER)
async def ask_gender(update: Update, context: ChiboContext) -> None:
    """Asks the gender, with a button for each."""
    lang, d = context.runtime.lang, draft(context)
    await ask(update, context, _question("gender", d, lang, t("uv.ask.gender", lang, name=d["name"])), [
        [(t(f"gender.{g.value}", lang), f"uv:g:{g.value}") for g in Gender], _nav_row(lang)])


@asks(CHOOSING_BACKGROUND)
async def ask_background(update: Update, context: ChiboContext) -> None:
    """Asks the background (youth union, student…), with a button for each."""
    lang, d = context.runtime.lang, draft(context)
    rows = [[(t(f"background.{b.value}", lang), f"uv:b:{b.value}")] for b in Background]
    await ask(update, context, _question("background", d, lang, t("uv.ask.background", lang, name=d["name"])),
              [*rows, _nav_row(lang)])


@asks(ASKING_SPOTTED)
async def ask_spotted(update: Update, context: ChiboContext) -> None:
    """Asks the date the cell spotted the person (today with one press)."""
    lang, d = context.runtime.lang, draft(context)
    await ask(update, context, _question("spotted", d, lang, t("uv.ask.spotted", lang, name=d["name"])),
              [[(t("button.today", lang), "uv:today")], _nav_row(lang)])


@asks(CHOOSING_HELPER)
async def ask_helper(update: Update, context: ChiboContext) -> None:
    """Asks the member assigned to help: picked from the cell's list, or typed when there is none."""
    lang, d = context.runtime.lang, draft(context)
    for searched in ("query", "query_is_name", "browse"):
        d.pop(searched, None)
    members = await _members(update, context)
    if not members:  # no member list imported: the name is typed
        question = _question("helper", d, lang, t("uv.ask.helper_typed", lang, name=d["name"]),
                             how_key="uv.edit_how.helper_typed")
        await ask(update, context, question,
                  [[(t("button.skip", lang), "uv:skip")], _nav_row(lang)])
    else:
        text, markup = _helper_view(d, members, 0, lang)
        await ask(update, context, text, markup)


async def _next(update: Update, context: ChiboContext, step: str) -> str:
    """After an answer: the next question, or the summary (always, when correcting one item)."""
    d = draft(context)
    if d.pop("editing", False) or step == ORDER[-1]:
        return await goto(update, context, CONFIRMING, rewind=True)
    return await goto(update, context, STEPS[ORDER[ORDER.index(step) + 1]])


@asks(CONFIRMING)
async def show_summary(update: Update, context: ChiboContext) -> None:
    """Shows everything gathered, with the age warning if any, and asks to save, edit or cancel."""
    rt, lang, d = context.runtime, context.runtime.lang, draft(context)
    birth = _birth(d)
    warning = age_warning(birth, rt.settings.rules, rt.today())
    text = summary_text(d["name"], birth, d["gender"], d["background"], date.fromisoformat(d["spotted"]),
                        helper_text(d.get("helper_name", ""), bool(d.get("helper_off_list")), lang),
                        warning, rt.settings.rules.min_age_months, lang)
    await ask(update, context, text, [
        [(t("button.save", lang), "uv:save"), (t("button.edit", lang), "uv:edit")],
        _nav_row(lang),
    ])


# ── the steps ────────────────────────────────────────────────────────────────────────────────

async def start(update: Update, context: ChiboContext) -> str:
    """Checks that a cell secretary is asking, then asks for the candidate's full name."""
    actor = (await registered_user(update, context)).actor()
    try:
        cell_id, cell_name = await reporting_cell(context.runtime.db, actor)
    except PermissionDenied:
        await reply(update, context, only_secretary(actor.role, context.runtime.lang))
        return END
    begin(context, FLOW_NAME, {"cell_id": cell_id, "cell_name": cell_name})
    return await goto(update, context, ASKING_NAME)


async def got_name(update: Update, context: ChiboContext) -> str | None:
    """Stores the name and asks for the birth date (or year)."""
    assert update.message is not None and update.message.text is not None
    typed = update.message.text
    try:
        name = clean_name(typed)
    except InvalidInput as exc:
        await refuse(update, context, _problem("name", exc, context.runtime.lang, shown=typed.strip()[:40]))
        return None
    draft(context)["name"] = name
    return await _next(update, context, "name")


async def got_birth(update: Update, context: ChiboContext) -> str | None:
    """Stores the birth date or year and asks for the gender."""
    assert update.message is not None and update.message.text is not None
    typed, today = update.message.text, context.runtime.today()
    try:
        birth = parse_loose_date(typed, today)
        check_birth(birth, today)
    except InvalidInput as exc:
        await refuse(update, context, _problem("birth", exc, context.runtime.lang, value=typed.strip()[:40]))
        return None
    draft(context)["birth"] = [birth.year, birth.month, birth.day]
    return await _next(update, context, "birth")


async def got_gender(update: Update, context: ChiboContext) -> str:
    """Stores the gender and asks for the background."""
    draft(context)["gender"] = Gender(pressed_part(update)).value
    return await _next(update, context, "gender")


async def got_background(update: Update, context: ChiboContext) -> str:
    """Stores the background and asks for the date the cell spotted the person."""
    draft(context)["background"] = Background(pressed_part(update)).value
    return await _next(update, context, "background")


async def typed_choice(update: Update, context: ChiboContext) -> str | None:
    """Typed text where a button is expected: a button's own words count, anything else is refused."""
    assert update.message is not None and update.message.text is not None
    lang, d = context.runtime.lang, draft(context)
    typed = fold_name(update.message.text)
    step = trail.current(context)
    if step == CHOOSING_GENDER:
        for g in Gender:
            if typed == fold_name(t(f"gender.{g.value}", lang)):
                d["gender"] = g.value
                return await _next(update, context, "gender")
    elif step == CHOOSING_BACKGROUND:
        for b in Background:
            if typed == fold_name(t(f"background.{b.value}", lang)):
                d["background"] = b.value
                return await _next(update, context, "background")
    await refuse_typing(update, context)
    return None


async def spotted_today(update: Update, context: ChiboContext) -> str:
    """Stores today as the date spotted and asks for the member assigned to help."""
    draft(context)["spotted"] = context.runtime.today().isoformat()
    return await _next(update, context, "spotted")


async def got_spotted(update: Update, context: ChiboContext) -> str | None:
    """Stores the typed date spotted (not in the future) and asks for the member assigned to help."""
    assert update.message is not None and update.message.text is not None
    lang, typed, today = context.runtime.lang, update.message.text, context.runtime.today()
    example = format_date(today, lang)
    if fold_name(typed) == fold_name(t("button.today", lang)):
        spotted = today
    else:
        try:
            spotted = parse_date(typed, today)
            if spotted > today:
                raise InvalidInput(field="date", reason="future", value=spotted.isoformat())
            birth = _birth(draft(context))
            if spotted < birth.as_date():
                raise InvalidInput(field="date", reason="before_birth", value=spotted.isoformat(),
                                   birth=format_date(birth.as_date(), lang))
        except InvalidInput as exc:
            await refuse(update, context, _problem("spotted", exc, lang, value=typed.strip()[:40],
                                                   example=example, today=example))
            return None
    draft(context)["spotted"] = spotted.isoformat()
    return await _next(update, context, "spotted")


def _set_helper(context: ChiboContext, member_id: int | None, name: str, off_list: bool = False) -> None:
    d = draft(context)
    d["helper_id"], d["helper_name"], d["helper_off_list"] = member_id, name, off_list
    d.pop("query", None)
    d.pop("query_is_name", None)


async def picked_helper(update: Update, context: ChiboContext) -> str | None:
    """Stores the member picked from the cell's list and shows the summary."""
    assert update.callback_query is not None and update.callback_query.data is not None
    member_id = parse_int(update.callback_query.data.split(":")[2])
    member = next((m for m in await _members(update, context) if m.id == member_id), None)
    if member is None:  # forged, or a member of another cell, or no longer active
        await _stale(update, context)
        return None
    _set_helper(context, member.id, member.full_name)
    return await _next(update, context, "helper")


async def typed_helper(update: Update, context: ChiboContext) -> str | None:
    """Filters the member list by the typed words; with no match, stores them as the helper's name."""
    assert update.message is not None and update.message.text is not None
    lang, d = context.runtime.lang, draft(context)
    typed = " ".join(update.message.text.split())
    members = await _members(update, context)
    found = matching(members, typed) if members and typed else []
    if found:
        d["query"] = typed[:120]
        try:
            d["query_is_name"] = bool(clean_name(typed))
        except InvalidInput:
            d["query_is_name"] = False
        text, markup = _helper_view(d, members, 0, lang)
        await ask(update, context, text, markup)
        return None
    try:
        name = clean_name(typed)
    except InvalidInput as exc:
        await refuse(update, context, _problem("helper", exc, lang, shown=typed[:40]))
        return None
    _set_helper(context, None, name, off_list=bool(members))
    return await _next(update, context, "helper")


async def helper_as_typed(update: Update, context: ChiboContext) -> str | None:
    """Stores the searched words as the helper's name (a person not on the list) and shows the summary."""
    d = draft(context)
    if not d.get("query_is_name"):
        await _stale(update, context)
        return None
    _set_helper(context, None, clean_name(d["query"]), off_list=True)
    return await _next(update, context, "helper")


async def skip_helper(update: Update, context: ChiboContext) -> str:
    """Leaves the helper unassigned and shows the summary."""
    _set_helper(context, None, "")
    return await _next(update, context, "helper")


async def helper_page(update: Update, context: ChiboContext) -> None:
    """Turns a page of the member list (or clears the search) in place."""
    data = await answer_button(update)
    query = update.callback_query
    assert query is not None
    d = draft(context)
    d["browse"] = True  # asked to page (or to see everything): the list itself, not the search prompt
    if data == "uv:hall":
        d.pop("query", None)
        d.pop("query_is_name", None)
        page = 0
    else:
        page = parse_int(data.split(":")[2]) or 0
    text, markup = _helper_view(d, await _members(update, context), page, context.runtime.lang)
    user_data(context)[PROMPT] = {"text": text, "buttons": markup_rows(markup)}
    await edit_in_place(update, text, markup)  # "show all" on the full list: no change


async def edit(update: Update, context: ChiboContext) -> str:
    """Asks which item of the summary to change."""
    return await goto(update, context, CHOOSING_FIELD)


@asks(CHOOSING_FIELD)
async def ask_field(update: Update, context: ChiboContext) -> None:
    """Lists the items of the summary, to pick the one to change."""
    lang = context.runtime.lang
    fields = [(t(f"uv.field.{step}", lang), f"uv:f:{step}") for step in ORDER]
    rows = [fields[i:i + 2] for i in range(0, len(fields), 2)]
    await ask(update, context, t("uv.ask.field", lang), [*rows, _nav_row(lang)])


async def edit_field(update: Update, context: ChiboContext) -> str:
    """Asks the chosen item's question again; the answer leads back to the summary."""
    draft(context)["editing"] = True
    return await goto(update, context, STEPS[pressed_part(update)])


async def save(update: Update, context: ChiboContext) -> str | None:
    """Saves the candidate (one service call), removes the buttons and repeats what was saved."""
    rt, lang, d = context.runtime, context.runtime.lang, draft(context)
    user = await registered_user(update, context)
    report = CandidateDraft(
        cell_id=d["cell_id"], full_name=d["name"], birth=_birth(d), gender=Gender(d["gender"]),
        background=Background(d["background"]), spotted_on=date.fromisoformat(d["spotted"]),
        helper_member_id=d.get("helper_id"), helper_name=d.get("helper_name", ""),
    )
    try:
        saved = await report_candidate(rt.db, user.actor(), report, today=rt.today(),
                                       rules=rt.settings.rules)
    except InvalidInput as exc:
        if exc.data.get("field") == "helper":
            await reply(update, context, error_text(exc, lang, prefix="uv."))
            d["editing"] = True
            return await goto(update, context, CHOOSING_HELPER)  # answers the button
        await refuse(update, context, error_text(exc, lang, prefix="uv."))
        return None
    except DomainError as exc:  # no right to this cell any more: nothing saved, the flow ends
        await acknowledge(update)
        await reply(update, context, error_text(exc, lang, prefix="uv."))
        return finish(context)
    await acknowledge(update)
    off_list, cell_name = bool(d.get("helper_off_list")), d["cell_name"]
    min_months = rt.settings.rules.min_age_months
    return await confirm_saved(update, context, saved_text(saved.candidate, saved.warnings, cell_name,
                                                        off_list, min_months, lang))


# ── the conversation table ───────────────────────────────────────────────────────────────────

def register(app: Application) -> None:  # type: ignore[type-arg]
    text = filters.TEXT & ~filters.COMMAND
    back_button = CallbackQueryHandler(trail.back(keep=ANSWERS), pattern=r"^uv:back$")
    app.add_handler(make_conversation(
        name=FLOW_NAME,
        entry_points=[CommandHandler("ungvien", start)],
        states={
            ASKING_NAME: [MessageHandler(text, got_name), back_button],
            ASKING_BIRTH: [MessageHandler(text, got_birth), back_button],
            CHOOSING_GENDER: [CallbackQueryHandler(got_gender, pattern=r"^uv:g:(male|female)$"),
                              MessageHandler(text, typed_choice), back_button],
            CHOOSING_BACKGROUND: [
                CallbackQueryHandler(
                    got_background, pattern=r"^uv:b:(youth_union|student|worker|retired|other)$"),
                MessageHandler(text, typed_choice), back_button],
            ASKING_SPOTTED: [CallbackQueryHandler(spotted_today, pattern=r"^uv:today$"),
                             MessageHandler(text, got_spotted), back_button],
            CHOOSING_HELPER: [CallbackQueryHandler(picked_helper, pattern=r"^uv:h:\d{1,12}$"),
                              CallbackQueryHandler(helper_page, pattern=r"^uv:(hp:\d{1,4}|hall)$"),
                              CallbackQueryHandler(helper_as_typed, pattern=r"^uv:ht$"),
                              CallbackQueryHandler(skip_helper, pattern=r"^uv:skip$"),
                              MessageHandler(text, typed_helper), back_button],
            CONFIRMING: [CallbackQueryHandler(save, pattern=r"^uv:save$"),
                         CallbackQueryHandler(edit, pattern=r"^uv:edit$"),
                         MessageHandler(text, typed_choice), back_button],
            CHOOSING_FIELD: [
                CallbackQueryHandler(
                    edit_field, pattern=r"^uv:f:(name|birth|gender|background|spotted|helper)$"),
                MessageHandler(text, typed_choice), back_button],
        },
        idle_seconds=app.runtime.idle_seconds,  # type: ignore[attr-defined]
    ))
