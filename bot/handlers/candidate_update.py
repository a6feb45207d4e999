"""/capnhat and /ketnap: record a candidate's next step, the admission, a drop-out or a correction.

/capnhat: one of my cell's candidates (paged list: name — stage) → what to do:
  - record the next step (the button names the only step allowed next) → its date → its details
    (introducers, cell vote, decision number) → summary;
  - drop out → the reason → summary;
  - correct a detail (name, birth, gender, background, helper) or a recorded step's date → summary;
  then "✅ Lưu" saves through one service call (record_step, drop_candidate, correct_candidate,
  correct_step_date).
/ketnap: a candidate awaiting the admission decision → decision number → its date → the ceremony
  date or "Chưa tổ chức" → summary → "✅ Lưu" (services.candidates.admit).

Every question is reached through `_goto`, which remembers the draft as it stood on arrival, so
"« Quay lại" restores exactly that draft and asks that question again. Buttons carry only choices
("cn:c:42", "cn:s:course"); the candidate is loaded afresh for every question and the services
re-check the actor's right to it, so a forged or stale button changes nothing.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.candidates import Background, CandidateInfo, Gender
from bot.domain.dates import LooseDate, parse_date, parse_loose_date
from bot.domain.errors import DomainError, InvalidInput, NotFound
from bot.domain.pipeline import (
    CandidateSnapshot,
    check_step,
    check_step_date,
    clean_text,
    validate_details,
)
from bot.domain.roles import Actor
from bot.domain.stages import PIPELINE, Stage, next_stage
from bot.handlers.common import current_user, error_text, reply
from bot.handlers.flow import (
    END,
    PROMPT,
    acknowledge,
    ask,
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
from bot.handlers.keyboards import page_count, paged_keyboard, parse_int
from bot.handlers.runtime import ChiboContext
from bot.services.candidates import (
    CORRECTABLE,
    MAX_REASON_LENGTH,
    Saved,
    admit,
    candidates_of_cell,
    check_birth,
    clean_name,
    correct_candidate,
    correct_step_date,
    drop_candidate,
    get_candidate_for,
    record_step,
)
from bot.texts import has_text, t
from bot.texts.formatting import format_date

CN_FLOW, KN_FLOW = "capnhat", "ketnap"
TRAIL = "trail"  # draft key: [[state, draft as it was on arrival], …], for « Quay lại
TEXT_ANSWER = filters.TEXT & ~filters.COMMAND

# What /capnhat waits for.
CHOOSING_CANDIDATE = "cn_candidate"
CHOOSING_ACTION = "cn_action"
ASKING_STEP_DATE = "cn_step_date"
CHOOSING_INTRODUCER_KIND = "cn_introducer_kind"
ASKING_INTRODUCER = "cn_introducer"
ASKING_VOTES_FOR = "cn_votes_for"
ASKING_VOTES_TOTAL = "cn_votes_total"
ASKING_DECISION_NUMBER = "cn_decision_number"
ASKING_DROP_REASON = "cn_drop_reason"
CHOOSING_FIELD = "cn_field"
ASKING_NEW_VALUE = "cn_new_value"
CHOOSING_NEW_VALUE = "cn_new_choice"
CHOOSING_STEP_TO_FIX = "cn_step_to_fix"
ASKING_FIXED_DATE = "cn_fixed_date"
CONFIRMING = "cn_confirm"
# What /ketnap waits for.
KN_CHOOSING_CANDIDATE = "kn_candidate"
KN_ASKING_NUMBER = "kn_number"
KN_ASKING_DECISION_DATE = "kn_decision_date"
KN_ASKING_CEREMONY_DATE = "kn_ceremony_date"
KN_CONFIRMING = "kn_confirm"

INTRODUCER_KINDS = {"two_members": 2, "youth_union": 1}  # how many names each kind asks for
TEXT_FIELDS = ("full_name", "birth", "helper_name")  # typed; gender and background are buttons
CHOICES: dict[str, tuple[str, ...]] = {"gender": tuple(Gender), "background": tuple(Background)}
EXAMPLES = {"full_name": "Trần Thị Mai", "introducer": "Nguyễn Văn An", "helper": "Nguyễn Văn An",
            "decision_number": "123-QĐ/TU", "reason": "Chuyển đi nơi khác sinh sống."}


# ── small helpers ────────────────────────────────────────────────────────────────────────────

def _lang(context: ChiboContext) -> str:
    return context.runtime.lang


def _nav(prefix: str, lang: str) -> list[tuple[str, str]]:
    return [(t("button.back", lang), f"{prefix}:back"), cancel_button(lang)]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _birth_text(birth: LooseDate, lang: str) -> str:
    if birth.is_year_only:
        return str(birth.year)
    if birth.day is None:
        return f"{birth.month:02d}/{birth.year}"
    return format_date(birth.as_date(), lang)


def _problem(error: DomainError, context: ChiboContext, example: str = "") -> str:
    """The refusal in words: dates as dd/mm/yyyy, steps by their names, an example to copy."""
    lang = _lang(context)
    data = dict(error.data)
    for key in ("previous", "next", "ends") + (("value",) if data.get("reason") == "future" else ()):
        if isinstance(data.get(key), str):
            with contextlib.suppress(ValueError):
                data[key] = format_date(date.fromisoformat(data[key]), lang)
    for key in ("step", "missing"):
        if isinstance(data.get(key), str) and has_text(f"step.{data[key]}"):
            data[key] = t(f"step.{data[key]}", lang)
    data.setdefault("today", format_date(context.runtime.today(), lang))
    data.setdefault("example", example or EXAMPLES.get(str(data.get("field")), ""))
    worded = type(error)(error.code, **data)
    return error_text(worded, lang, prefix="cn.")


async def _actor(update: Update, context: ChiboContext) -> Actor:
    user = await current_user(update, context)
    assert user is not None  # the gate admits only registered users
    return user.actor()


async def _candidate(update: Update, context: ChiboContext) -> CandidateInfo:
    """The draft's candidate, loaded afresh (the service checks the actor may see it)."""
    return await get_candidate_for(context.runtime.db, await _actor(update, context), draft(context)["cid"])


def _typed(update: Update) -> str:
    message = update.effective_message
    return (message.text or "") if message is not None else ""


def _pressed_id(update: Update) -> int:
    """The id at the end of the pressed button's data; a forged, oversized one names nobody."""
    found = parse_int(_pressed(update))
    if found is None:
        raise NotFound(entity="candidate")
    return found


def _pressed(update: Update) -> str:
    """The last part of the pressed button's data ("cn:s:course" → "course")."""
    query = update.callback_query
    return (query.data or "").rsplit(":", 1)[-1] if query is not None else ""


async def _date_answer(update: Update, context: ChiboContext) -> date | None:
    """The date typed (or "Hôm nay"); None after refusing a date that cannot be read."""
    today = context.runtime.today()
    if update.callback_query is not None:
        return today
    try:
        return parse_date(_typed(update), today)
    except InvalidInput as exc:
        await refuse(update, context, _problem(exc, context))
        return None


def _quota_line(context: ChiboContext, decision_on: date | None, ceremony_on: date | None) -> str:
    """Which year's quota the admission counts toward, by the configured date (decision or ceremony)."""
    lang = _lang(context)
    if context.runtime.settings.quotas.count_by == "ceremony":
        if ceremony_on is None:
            return t("kn.quota_pending", lang)
        return t("kn.quota_year.ceremony", lang, year=ceremony_on.year)
    if decision_on is None:
        return ""
    return t("kn.quota_year.decision", lang, year=decision_on.year)


# ── going from question to question, and back ────────────────────────────────────────────────

Asker = Callable[[Update, ChiboContext], Awaitable[None]]
ASKERS: dict[str, Asker] = {}  # state → the function asking its question (filled below)


def asks(state: str) -> Callable[[Asker], Asker]:
    def register_asker(func: Asker) -> Asker:
        ASKERS[state] = func
        return func
    return register_asker


async def _goto(update: Update, context: ChiboContext, state: str) -> str:
    """Acknowledges the answer, remembers the draft for « Quay lại, and asks `state`'s question."""
    await acknowledge(update)
    d = draft(context)
    d.setdefault(TRAIL, []).append([state, {k: copy.deepcopy(v) for k, v in d.items() if k != TRAIL}])
    await ASKERS[state](update, context)
    return state


async def go_back(update: Update, context: ChiboContext) -> str | int:
    """Returns to the previous question, with the answers as they were then."""
    await acknowledge(update)
    d = draft(context)
    trail = d.get(TRAIL) or []
    if not trail:
        return finish(context)
    if len(trail) > 1:
        trail.pop()
    state, saved = trail[-1]
    d.clear()
    d.update(copy.deepcopy(saved))
    d[TRAIL] = trail
    await ASKERS[state](update, context)
    return str(state)


# ── choosing the candidate (both flows) ──────────────────────────────────────────────────────

def _awaiting_decision(candidates: list[CandidateInfo]) -> list[CandidateInfo]:
    return [c for c in candidates if not c.dropped and next_stage(c.stage) is Stage.DECISION]


async def _candidate_list(
    update: Update, context: ChiboContext, prefix: str
) -> tuple[str, InlineKeyboardMarkup]:
    lang = _lang(context)
    user = await current_user(update, context)
    assert user is not None and user.cell_id is not None
    candidates = await candidates_of_cell(context.runtime.db, user.actor(), user.cell_id)
    if prefix == "kn":
        candidates = _awaiting_decision(candidates)
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


@asks(CHOOSING_CANDIDATE)
async def ask_candidate(update: Update, context: ChiboContext) -> None:
    """Asks which of the cell's candidates to update."""
    text, markup = await _candidate_list(update, context, "cn")
    await ask(update, context, text, markup)


@asks(KN_CHOOSING_CANDIDATE)
async def ask_admitted_candidate(update: Update, context: ChiboContext) -> None:
    """Asks which candidate awaiting the decision was admitted."""
    text, markup = await _candidate_list(update, context, "kn")
    await ask(update, context, text, markup)


async def on_page(update: Update, context: ChiboContext) -> str:
    """Shows another page of the candidate list, in place."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    prefix = (query.data or "")[:2]
    d = draft(context)
    d["page"] = parse_int(_pressed(update)) or 0
    d[TRAIL][-1][1]["page"] = d["page"]  # « Quay lại to the list keeps the page
    text, markup = await _candidate_list(update, context, prefix)
    user_data(context)[PROMPT] = {"text": text, "buttons": markup_rows(markup)}
    with contextlib.suppress(BadRequest):  # the same page pressed again: nothing to change
        await query.edit_message_text(text, reply_markup=markup)
    return CHOOSING_CANDIDATE if prefix == "cn" else KN_CHOOSING_CANDIDATE


async def _no_cell(update: Update, context: ChiboContext) -> Actor | None:
    """The secretary's actor, or None after telling someone without a cell that this is not for them."""
    user = await current_user(update, context)
    assert user is not None
    if user.cell_id is None:
        await reply(update, context, t("cn.secretary_only", _lang(context)))
        return None
    return user.actor()


# ── /capnhat ─────────────────────────────────────────────────────────────────────────────────

async def start_update(update: Update, context: ChiboContext) -> str | int:
    """Starts /capnhat and asks which candidate to update."""
    actor = await _no_cell(update, context)
    if actor is None or actor.cell_id is None:
        return END
    if not await candidates_of_cell(context.runtime.db, actor, actor.cell_id):
        await reply(update, context, t("cn.no_candidates", _lang(context)))
        return END
    begin(context, CN_FLOW, {"page": 0})
    return await _goto(update, context, CHOOSING_CANDIDATE)


async def on_candidate(update: Update, context: ChiboContext) -> str:
    """Stores the chosen candidate and asks what to do."""
    try:
        candidate = await get_candidate_for(context.runtime.db, await _actor(update, context),
                                            _pressed_id(update))
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return CHOOSING_CANDIDATE
    draft(context).update(cid=candidate.id, name=candidate.full_name)
    return await _goto(update, context, CHOOSING_ACTION)


def _card(c: CandidateInfo, lang: str) -> str:
    steps = "\n".join(t("cn.card_step", lang, step=t(f"step.{s}", lang),
                        date=format_date(c.steps[s].on, lang)) for s in PIPELINE if s in c.steps)
    text = t("cn.card", lang, name=c.full_name, birth=_birth_text(c.birth, lang),
             gender=t(f"gender.{c.gender}", lang), stage=t(f"stage.{c.stage}", lang), steps=steps)
    if c.dropped_on is not None:
        text += "\n" + t("cn.card_dropped", lang, date=format_date(c.dropped_on, lang),
                         reason=c.dropped_reason)
    return text


@asks(CHOOSING_ACTION)
async def ask_action(update: Update, context: ChiboContext) -> None:
    """Shows the candidate's card and asks: next step, drop out, or correct."""
    lang = _lang(context)
    c = await _candidate(update, context)
    rows: list[list[tuple[str, str]]] = []
    upcoming = next_stage(c.stage)
    if not c.dropped and upcoming is not None:
        rows.append([(t("cn.button.next_step", lang, step=t(f"step.{upcoming}", lang)), f"cn:s:{upcoming}")])
    if not c.dropped:
        rows.append([(t("cn.button.drop", lang), "cn:drop")])
    rows += [[(t("cn.button.fix", lang), "cn:fix")], _nav("cn", lang)]
    await ask(update, context, f"{_card(c, lang)}\n\n{t('cn.choose_action', lang)}", rows)


async def on_step(update: Update, context: ChiboContext) -> str:
    """Stores the step to record (if the rules allow it now) and asks for its date."""
    today = context.runtime.today()
    try:
        step = Stage(_pressed(update))
    except ValueError:
        await refuse(update, context, t("error.stale_button", _lang(context)))
        return CHOOSING_ACTION
    try:
        check_step((await _candidate(update, context)).snapshot(), step, today, today,
                   context.runtime.settings.rules)
    except InvalidInput:
        pass  # only the date could be wrong, and it is asked next
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return CHOOSING_ACTION
    draft(context).update(action="step", step=step.value)
    return await _goto(update, context, ASKING_STEP_DATE)


def _date_rows(prefix: str, lang: str) -> list[list[tuple[str, str]]]:
    return [[(t("button.today", lang), f"{prefix}:today")], _nav(prefix, lang)]


@asks(ASKING_STEP_DATE)
async def ask_step_date(update: Update, context: ChiboContext) -> None:
    """Asks the date of the step being recorded."""
    lang, d = _lang(context), draft(context)
    hint = t("cn.date_hint", lang, today=format_date(context.runtime.today(), lang))
    question = t(f"cn.ask_date.{d['step']}", lang, name=d["name"])
    await ask(update, context, f"{question}\n{hint}", _date_rows("cn", lang))


def _after_date(step: Stage) -> str:
    """The question after the step's date: its details, or straight to the summary."""
    return {Stage.INTRODUCED: CHOOSING_INTRODUCER_KIND, Stage.CELL_VOTE: ASKING_VOTES_FOR,
            Stage.DECISION: ASKING_DECISION_NUMBER}.get(step, CONFIRMING)


async def on_step_date(update: Update, context: ChiboContext) -> str:
    """Stores the step's date (not in the future, not before the last step) and asks for its details."""
    on = await _date_answer(update, context)
    if on is None:
        return ASKING_STEP_DATE
    step = Stage(draft(context)["step"])
    try:
        check_step((await _candidate(update, context)).snapshot(), step, on, context.runtime.today(),
                   context.runtime.settings.rules)
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return ASKING_STEP_DATE
    draft(context)["on"] = on.isoformat()
    return await _goto(update, context, _after_date(step))


@asks(CHOOSING_INTRODUCER_KIND)
async def ask_introducer_kind(update: Update, context: ChiboContext) -> None:
    """Asks whether two members introduced the candidate, or the youth union and one member."""
    lang = _lang(context)
    rows = [[(t(f"cn.button.{kind}", lang), f"cn:ik:{kind}")] for kind in INTRODUCER_KINDS]
    await ask(update, context, t("cn.ask_introducer_kind", lang, name=draft(context)["name"]),
              [*rows, _nav("cn", lang)])


async def on_introducer_kind(update: Update, context: ChiboContext) -> str:
    """Stores who introduced and asks the first introducing member's name."""
    draft(context).update(kind=_pressed(update), introducers=[])
    return await _goto(update, context, ASKING_INTRODUCER)


@asks(ASKING_INTRODUCER)
async def ask_introducer(update: Update, context: ChiboContext) -> None:
    """Asks the name of the next introducing member."""
    d, lang = draft(context), _lang(context)
    key = ("cn.ask_introducer.youth" if d["kind"] == "youth_union"
           else f"cn.ask_introducer.{len(d['introducers']) + 1}")
    await ask(update, context, t(key, lang), [_nav("cn", lang)])


async def on_introducer(update: Update, context: ChiboContext) -> str:
    """Stores an introducer's name and asks the next one, or shows the summary."""
    d = draft(context)
    try:
        names = [*d["introducers"], clean_name(_typed(update))]
        if len(names) == INTRODUCER_KINDS[d["kind"]]:
            validate_details(Stage.INTRODUCED, {"kind": d["kind"], "introducers": names})
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context, EXAMPLES["introducer"]))
        return ASKING_INTRODUCER
    d["introducers"] = names
    done = len(names) == INTRODUCER_KINDS[d["kind"]]
    return await _goto(update, context, CONFIRMING if done else ASKING_INTRODUCER)


@asks(ASKING_VOTES_FOR)
async def ask_votes_for(update: Update, context: ChiboContext) -> None:
    """Asks how many full members voted for (optional)."""
    lang = _lang(context)
    await ask(update, context, t("cn.ask_votes_for", lang, name=draft(context)["name"]),
              [[(t("button.skip", lang), "cn:skip")], _nav("cn", lang)])


async def on_votes_for(update: Update, context: ChiboContext) -> str:
    """Stores the votes for and asks the number of full members."""
    votes = parse_int(_typed(update).strip())
    if votes is None:
        await refuse(update, context, t("cn.not_a_number", _lang(context)))
        return ASKING_VOTES_FOR
    draft(context)["votes_for"] = votes
    return await _goto(update, context, ASKING_VOTES_TOTAL)


async def on_votes_skipped(update: Update, context: ChiboContext) -> str:
    """Leaves the votes out and shows the summary."""
    draft(context).update(votes_for=None, votes_total=None)
    return await _goto(update, context, CONFIRMING)


@asks(ASKING_VOTES_TOTAL)
async def ask_votes_total(update: Update, context: ChiboContext) -> None:
    """Asks how many full members the cell has."""
    lang = _lang(context)
    await ask(update, context, t("cn.ask_votes_total", lang), [_nav("cn", lang)])


async def on_votes_total(update: Update, context: ChiboContext) -> str:
    """Stores the number of full members (the votes for must reach two thirds) and shows the summary."""
    d = draft(context)
    total = parse_int(_typed(update).strip())
    if total is None:
        await refuse(update, context, t("cn.not_a_number", _lang(context)))
        return ASKING_VOTES_TOTAL
    try:
        validate_details(Stage.CELL_VOTE, {"votes_for": d["votes_for"], "votes_total": total})
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return ASKING_VOTES_TOTAL
    d["votes_total"] = total
    return await _goto(update, context, CONFIRMING)


@asks(ASKING_DECISION_NUMBER)
async def ask_decision_number(update: Update, context: ChiboContext) -> None:
    """Asks the admission decision's number."""
    lang = _lang(context)
    await ask(update, context, t("cn.ask_decision_number", lang, name=draft(context)["name"]),
              [_nav("cn", lang)])


def _decision_number(text: str) -> str:
    return str(validate_details(Stage.DECISION, {"number": text})["number"])


async def on_decision_number(update: Update, context: ChiboContext) -> str:
    """Stores the decision number and shows the summary."""
    try:
        number = _decision_number(_typed(update))
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return ASKING_DECISION_NUMBER
    draft(context)["number"] = number
    return await _goto(update, context, CONFIRMING)


async def on_drop(update: Update, context: ChiboContext) -> str:
    """Starts a drop-out and asks the reason."""
    draft(context)["action"] = "drop"
    return await _goto(update, context, ASKING_DROP_REASON)


@asks(ASKING_DROP_REASON)
async def ask_drop_reason(update: Update, context: ChiboContext) -> None:
    """Asks why the candidate leaves the list."""
    lang = _lang(context)
    await ask(update, context, t("cn.ask_reason", lang, name=draft(context)["name"]), [_nav("cn", lang)])


async def on_drop_reason(update: Update, context: ChiboContext) -> str:
    """Stores the reason and shows the summary."""
    try:
        reason = clean_text(_typed(update), "reason", limit=MAX_REASON_LENGTH)
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return ASKING_DROP_REASON
    draft(context)["reason"] = reason
    return await _goto(update, context, CONFIRMING)


# ── corrections ──────────────────────────────────────────────────────────────────────────────

async def on_fix(update: Update, context: ChiboContext) -> str:
    """Starts a correction and asks what to correct."""
    draft(context)["action"] = "fix"
    return await _goto(update, context, CHOOSING_FIELD)


@asks(CHOOSING_FIELD)
async def ask_field(update: Update, context: ChiboContext) -> None:
    """Asks which detail (or which step's date) to correct."""
    lang = _lang(context)
    rows = [[(t(f"cn.field.{field}", lang), f"cn:f:{field}")] for field in (*CORRECTABLE, "step_date")]
    await ask(update, context, t("cn.choose_field", lang, name=draft(context)["name"]),
              [*rows, _nav("cn", lang)])


def _field_value(c: CandidateInfo, field: str, lang: str) -> str:
    """A detail of the candidate as the secretary reads it."""
    if field == "birth":
        return _birth_text(c.birth, lang)
    if field in CHOICES:
        return t(f"{field}.{getattr(c, field)}", lang)
    return str(getattr(c, field)) or t("cn.nobody", lang)


def _new_value_text(d: dict[str, Any], lang: str) -> str:
    field, new = d["field"], d["new"]
    if field == "birth":
        return _birth_text(LooseDate(*new), lang)
    if field in CHOICES:
        return t(f"{field}.{new}", lang)
    return str(new) or t("cn.nobody", lang)


async def on_field(update: Update, context: ChiboContext) -> str:
    """Stores the detail to correct and asks its right value (or which step's date)."""
    field = _pressed(update)
    if field == "step_date":
        return await _goto(update, context, CHOOSING_STEP_TO_FIX)
    if field not in CORRECTABLE:
        await refuse(update, context, t("error.stale_button", _lang(context)))
        return CHOOSING_FIELD
    draft(context)["field"] = field
    return await _goto(update, context, CHOOSING_NEW_VALUE if field in CHOICES else ASKING_NEW_VALUE)


@asks(ASKING_NEW_VALUE)
async def ask_new_value(update: Update, context: ChiboContext) -> None:
    """Shows the value on record and asks the right one."""
    lang, field = _lang(context), draft(context)["field"]
    old = _field_value(await _candidate(update, context), field, lang)
    rows = [[(t("cn.button.no_helper", lang), "cn:none")]] if field == "helper_name" else []
    await ask(update, context, t(f"cn.ask_value.{field}", lang, old=old), [*rows, _nav("cn", lang)])


async def on_new_value(update: Update, context: ChiboContext) -> str:
    """Stores the typed value (checked as the service will check it) and shows the summary."""
    d, today = draft(context), context.runtime.today()
    text = _typed(update)
    new: Any
    try:
        if d["field"] == "full_name":
            new = clean_name(text)
        elif d["field"] == "birth":
            birth = parse_loose_date(text, today)
            check_birth(birth, today)
            new = [birth.year, birth.month, birth.day]
        else:
            new = clean_text(text, "helper", required=False)
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return ASKING_NEW_VALUE
    d["new"] = new
    return await _goto(update, context, CONFIRMING)


async def on_no_helper(update: Update, context: ChiboContext) -> str:
    """Clears the helping member and shows the summary."""
    d = draft(context)
    if d.get("field") != "helper_name":
        await refuse(update, context, t("error.stale_button", _lang(context)))
        return ASKING_NEW_VALUE
    d["new"] = ""
    return await _goto(update, context, CONFIRMING)


@asks(CHOOSING_NEW_VALUE)
async def ask_new_choice(update: Update, context: ChiboContext) -> None:
    """Shows the value on record and offers the possible ones as buttons."""
    lang, field = _lang(context), draft(context)["field"]
    old = _field_value(await _candidate(update, context), field, lang)
    rows = [[(t(f"{field}.{value}", lang), f"cn:v:{value}")] for value in CHOICES[field]]
    await ask(update, context, t(f"cn.ask_value.{field}", lang, old=old), [*rows, _nav("cn", lang)])


async def on_new_choice(update: Update, context: ChiboContext) -> str:
    """Stores the chosen value and shows the summary."""
    d, value = draft(context), _pressed(update)
    if value not in CHOICES.get(d.get("field", ""), ()):
        await refuse(update, context, t("error.stale_button", _lang(context)))
        return CHOOSING_NEW_VALUE
    d["new"] = value
    return await _goto(update, context, CONFIRMING)


@asks(CHOOSING_STEP_TO_FIX)
async def ask_step_to_fix(update: Update, context: ChiboContext) -> None:
    """Lists the recorded steps with their dates, to pick the one to correct."""
    lang = _lang(context)
    c = await _candidate(update, context)
    rows = [[(t("cn.step_button", lang, step=t(f"step.{s}", lang), date=format_date(c.steps[s].on, lang)),
              f"cn:d:{s}")] for s in PIPELINE if s in c.steps]
    await ask(update, context, t("cn.choose_step_to_fix", lang), [*rows, _nav("cn", lang)])


async def on_step_to_fix(update: Update, context: ChiboContext) -> str:
    """Stores the step whose date is wrong and asks the right date."""
    try:
        step = Stage(_pressed(update))
        if step not in (await _candidate(update, context)).steps:
            raise InvalidInput(field="step", reason="step_not_recorded", step=step.value)
    except ValueError:
        await refuse(update, context, t("error.stale_button", _lang(context)))
        return CHOOSING_STEP_TO_FIX
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return CHOOSING_STEP_TO_FIX
    draft(context).update(field="step_date", fix_step=step.value)
    return await _goto(update, context, ASKING_FIXED_DATE)


@asks(ASKING_FIXED_DATE)
async def ask_fixed_date(update: Update, context: ChiboContext) -> None:
    """Shows the step's recorded date and asks the right one."""
    lang, step = _lang(context), Stage(draft(context)["fix_step"])
    old = (await _candidate(update, context)).steps[step].on
    hint = t("cn.date_hint", lang, today=format_date(context.runtime.today(), lang))
    text = t("cn.ask_fixed_date", lang, step=t(f"step.{step}", lang), old=format_date(old, lang))
    await ask(update, context, f"{text}\n{hint}", _date_rows("cn", lang))


async def on_fixed_date(update: Update, context: ChiboContext) -> str:
    """Stores the right date (still in order with the other steps) and shows the summary."""
    on = await _date_answer(update, context)
    if on is None:
        return ASKING_FIXED_DATE
    step = Stage(draft(context)["fix_step"])
    try:
        check_step_date((await _candidate(update, context)).snapshot(), step, on, context.runtime.today())
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return ASKING_FIXED_DATE
    draft(context)["on"] = on.isoformat()
    return await _goto(update, context, CONFIRMING)


# ── /capnhat summary and saving ──────────────────────────────────────────────────────────────

def _step_summary(d: dict[str, Any], context: ChiboContext) -> str:
    lang = _lang(context)
    step, on = Stage(d["step"]), date.fromisoformat(d["on"])
    lines = [t("cn.summary.step", lang, name=d["name"], step=t(f"step.{step}", lang),
               date=format_date(on, lang))]
    if step is Stage.COURSE:
        lines.append(t("cn.summary.certificate", lang, date=format_date(on, lang)))
    elif step is Stage.INTRODUCED:
        lines.append(t(f"cn.summary.{d['kind']}", lang, names=", ".join(d["introducers"])))
    elif step is Stage.CELL_VOTE:
        lines.append(t("cn.summary.votes", lang, votes_for=d["votes_for"], votes_total=d["votes_total"])
                     if d.get("votes_for") is not None else t("cn.summary.no_votes", lang))
    elif step is Stage.DECISION:
        lines += [t("cn.summary.decision_number", lang, number=d["number"]), _quota_line(context, on, None)]
    elif step is Stage.CEREMONY and context.runtime.settings.quotas.count_by == "ceremony":
        lines.append(_quota_line(context, None, on))
    return "\n".join(line for line in lines if line)


def _summary(d: dict[str, Any], c: CandidateInfo, context: ChiboContext) -> str:
    """What "✅ Lưu" will save, in full."""
    lang = _lang(context)
    if d["action"] == "step":
        return _step_summary(d, context)
    if d["action"] == "drop":
        return t("cn.summary.drop", lang, name=c.full_name, reason=d["reason"],
                 date=format_date(context.runtime.today(), lang))
    if d["field"] == "step_date":
        step = Stage(d["fix_step"])
        return t("cn.summary.fix_date", lang, name=c.full_name, step=t(f"step.{step}", lang),
                 old=format_date(c.steps[step].on, lang), new=format_date(date.fromisoformat(d["on"]), lang))
    return t("cn.summary.fix", lang, name=c.full_name, field=t(f"cn.field.{d['field']}", lang).lower(),
             old=_field_value(c, d["field"], lang), new=_new_value_text(d, lang))


@asks(CONFIRMING)
async def ask_confirm(update: Update, context: ChiboContext) -> None:
    """Shows the summary with "✅ Lưu"."""
    lang = _lang(context)
    body = _summary(draft(context), await _candidate(update, context), context)
    await ask(update, context, f"{body}\n\n{t('cn.confirm_question', lang)}",
              [[(t("button.save", lang), "cn:save")], _nav("cn", lang)])


async def _save_update(d: dict[str, Any], actor: Actor, context: ChiboContext) -> Saved:
    """One service call for what the draft holds."""
    db, today, cid = context.runtime.db, context.runtime.today(), int(d["cid"])
    if d["action"] == "step":
        details: dict[str, Any] = {}
        if d["step"] == Stage.INTRODUCED:
            details = {"kind": d["kind"], "introducers": d["introducers"]}
        elif d["step"] == Stage.CELL_VOTE and d.get("votes_for") is not None:
            details = {"votes_for": d["votes_for"], "votes_total": d["votes_total"]}
        elif d["step"] == Stage.DECISION:
            details = {"number": d["number"]}
        return await record_step(db, actor, cid, Stage(d["step"]), date.fromisoformat(d["on"]), details,
                                 today=today, rules=context.runtime.settings.rules)
    if d["action"] == "drop":
        return await drop_candidate(db, actor, cid, reason=d["reason"], on=today, today=today)
    if d["field"] == "step_date":
        return await correct_step_date(db, actor, cid, Stage(d["fix_step"]), date.fromisoformat(d["on"]),
                                       today=today)
    value = LooseDate(*d["new"]) if d["field"] == "birth" else d["new"]
    return await correct_candidate(db, actor, cid, d["field"], value, today=today)


async def on_save(update: Update, context: ChiboContext) -> int:
    """Saves with one service call, repeats what was saved, and ends the flow."""
    lang, d = _lang(context), draft(context)
    await acknowledge(update)
    try:
        actor = await _actor(update, context)
        body = _summary(d, await get_candidate_for(context.runtime.db, actor, int(d["cid"])), context)
        saved = (await _save_update(d, actor, context)).candidate
    except DomainError as exc:
        await reply(update, context, t("cn.not_saved", lang, problem=_problem(exc, context)))
        return finish(context)
    if saved.dropped:
        status = t("cn.saved_dropped", lang, name=saved.full_name)
    else:
        status = t("cn.saved_stage", lang, name=saved.full_name, stage=t(f"stage.{saved.stage}", lang))
    return await confirm_saved(update, context, t("cn.saved", lang, body=f"{body}\n{status}"))


# ── /ketnap ──────────────────────────────────────────────────────────────────────────────────

async def start_admission(update: Update, context: ChiboContext) -> str | int:
    """Starts /ketnap and asks which candidate awaiting the decision was admitted."""
    lang = _lang(context)
    actor = await _no_cell(update, context)
    if actor is None or actor.cell_id is None:
        return END
    candidates = await candidates_of_cell(context.runtime.db, actor, actor.cell_id)
    if not _awaiting_decision(candidates):
        text = t("kn.none_waiting", lang, missing=t(f"step.{Stage.WARD_RESOLUTION}", lang))
        if candidates:
            lines = "\n".join(
                t("kn.current_line", lang, name=c.full_name, stage=t(f"stage.{c.stage}", lang),
                  next=t(f"step.{next_stage(c.stage) or c.stage}", lang)) for c in candidates)
            text += "\n\n" + t("kn.current_list", lang, lines=lines)
        await reply(update, context, text)
        return END
    begin(context, KN_FLOW, {"page": 0})
    return await _goto(update, context, KN_CHOOSING_CANDIDATE)


async def on_admitted_candidate(update: Update, context: ChiboContext) -> str:
    """Stores the candidate (who must be awaiting the decision) and asks the decision number."""
    today = context.runtime.today()
    try:
        candidate = await get_candidate_for(context.runtime.db, await _actor(update, context),
                                            _pressed_id(update))
        check_step(candidate.snapshot(), Stage.DECISION, today, today)
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return KN_CHOOSING_CANDIDATE
    draft(context).update(cid=candidate.id, name=candidate.full_name)
    return await _goto(update, context, KN_ASKING_NUMBER)


@asks(KN_ASKING_NUMBER)
async def ask_admission_number(update: Update, context: ChiboContext) -> None:
    """Asks the admission decision's number."""
    lang = _lang(context)
    await ask(update, context, t("kn.ask_number", lang, name=draft(context)["name"]), [_nav("kn", lang)])


async def on_admission_number(update: Update, context: ChiboContext) -> str:
    """Stores the decision number and asks its date."""
    try:
        number = _decision_number(_typed(update))
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return KN_ASKING_NUMBER
    draft(context)["number"] = number
    return await _goto(update, context, KN_ASKING_DECISION_DATE)


@asks(KN_ASKING_DECISION_DATE)
async def ask_decision_date(update: Update, context: ChiboContext) -> None:
    """Asks the date the decision was signed."""
    lang = _lang(context)
    hint = t("cn.date_hint", lang, today=format_date(context.runtime.today(), lang))
    await ask(update, context, f"{t('kn.ask_decision_date', lang, number=draft(context)['number'])}\n{hint}",
              _date_rows("kn", lang))


async def on_decision_date(update: Update, context: ChiboContext) -> str:
    """Stores the decision date (not in the future, not before the ward resolution) and asks the ceremony."""
    on = await _date_answer(update, context)
    if on is None:
        return KN_ASKING_DECISION_DATE
    try:
        candidate = await _candidate(update, context)
        check_step(candidate.snapshot(), Stage.DECISION, on, context.runtime.today())
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return KN_ASKING_DECISION_DATE
    draft(context)["on"] = on.isoformat()
    return await _goto(update, context, KN_ASKING_CEREMONY_DATE)


@asks(KN_ASKING_CEREMONY_DATE)
async def ask_ceremony_date(update: Update, context: ChiboContext) -> None:
    """Asks the ceremony date, or whether it is not held yet."""
    lang = _lang(context)
    text = t("kn.ask_ceremony_date", lang, name=draft(context)["name"],
             today=format_date(context.runtime.today(), lang))
    await ask(update, context, text, [[(t("button.today", lang), "kn:today")],
                                      [(t("kn.button.not_yet", lang), "kn:notyet")], _nav("kn", lang)])


async def on_ceremony_date(update: Update, context: ChiboContext) -> str:
    """Stores the ceremony date (not before the decision, not in the future) and shows the summary."""
    on = await _date_answer(update, context)
    if on is None:
        return KN_ASKING_CEREMONY_DATE
    d = draft(context)
    before = (await _candidate(update, context)).snapshot()
    with_decision = CandidateSnapshot(Stage.DECISION, before.dropped,
                                      {**before.event_dates, Stage.DECISION: date.fromisoformat(d["on"])})
    try:
        check_step_date(with_decision, Stage.CEREMONY, on, context.runtime.today())
    except DomainError as exc:
        await refuse(update, context, _problem(exc, context))
        return KN_ASKING_CEREMONY_DATE
    d["ceremony"] = on.isoformat()
    return await _goto(update, context, KN_CONFIRMING)


async def on_ceremony_not_yet(update: Update, context: ChiboContext) -> str:
    """Notes that the ceremony is not held yet and shows the summary."""
    draft(context)["ceremony"] = None
    return await _goto(update, context, KN_CONFIRMING)


def _admission_summary(d: dict[str, Any], context: ChiboContext) -> str:
    lang = _lang(context)
    decision_on, ceremony_on = date.fromisoformat(d["on"]), _day(d.get("ceremony"))
    ceremony = format_date(ceremony_on, lang) if ceremony_on else t("kn.ceremony_not_yet", lang)
    return t("kn.summary", lang, name=d["name"], number=d["number"], decision=format_date(decision_on, lang),
             ceremony=ceremony, quota=_quota_line(context, decision_on, ceremony_on))


@asks(KN_CONFIRMING)
async def ask_admission_confirm(update: Update, context: ChiboContext) -> None:
    """Shows the admission summary with "✅ Lưu"."""
    lang = _lang(context)
    body = _admission_summary(draft(context), context)
    await ask(update, context, f"{body}\n\n{t('cn.confirm_question', lang)}",
              [[(t("button.save", lang), "kn:save")], _nav("kn", lang)])


async def on_admission_save(update: Update, context: ChiboContext) -> int:
    """Saves the decision (and the ceremony, if held) in one call, repeats it, and ends the flow."""
    lang, d = _lang(context), draft(context)
    await acknowledge(update)
    ceremony_on = _day(d.get("ceremony"))
    try:
        actor = await _actor(update, context)
        saved = (await admit(context.runtime.db, actor, int(d["cid"]), number=d["number"],
                             decision_on=date.fromisoformat(d["on"]), ceremony_on=ceremony_on,
                             today=context.runtime.today())).candidate
    except DomainError as exc:
        await reply(update, context, t("cn.not_saved", lang, problem=_problem(exc, context)))
        return finish(context)
    status = (t("kn.saved_ceremony", lang, name=saved.full_name, date=format_date(ceremony_on, lang))
              if ceremony_on else t("kn.saved_no_ceremony", lang))
    return await confirm_saved(update, context,
                               t("cn.saved", lang, body=f"{_admission_summary(d, context)}\n{status}"))


# ── the conversation tables ──────────────────────────────────────────────────────────────────

Handlers = list[BaseHandler[Any, Any, Any]]


def _button(callback: Callable[..., Any], pattern: str) -> CallbackQueryHandler[Any, Any]:
    return CallbackQueryHandler(callback, pattern=pattern)


def _text(callback: Callable[..., Any]) -> MessageHandler[Any, Any]:
    return MessageHandler(TEXT_ANSWER, callback)


def build_update_conversation(idle_seconds: float) -> ConversationHandler[Any]:
    """/capnhat, read top to bottom: candidate → action → step date → details → summary → save."""
    back = _button(go_back, r"^cn:back$")
    states: dict[object, Handlers] = {
        CHOOSING_CANDIDATE: [_button(on_page, r"^cn:p:\d{1,4}$"), _button(on_candidate, r"^cn:c:\d{1,12}$")],
        CHOOSING_ACTION: [_button(on_step, r"^cn:s:[a-z_]{1,20}$"), _button(on_drop, r"^cn:drop$"),
                          _button(on_fix, r"^cn:fix$"), back],
        ASKING_STEP_DATE: [_text(on_step_date), _button(on_step_date, r"^cn:today$"), back],
        CHOOSING_INTRODUCER_KIND: [_button(on_introducer_kind, r"^cn:ik:(two_members|youth_union)$"), back],
        ASKING_INTRODUCER: [_text(on_introducer), back],
        ASKING_VOTES_FOR: [_text(on_votes_for), _button(on_votes_skipped, r"^cn:skip$"), back],
        ASKING_VOTES_TOTAL: [_text(on_votes_total), back],
        ASKING_DECISION_NUMBER: [_text(on_decision_number), back],
        ASKING_DROP_REASON: [_text(on_drop_reason), back],
        CHOOSING_FIELD: [_button(on_field, r"^cn:f:[a-z_]{1,20}$"), back],
        ASKING_NEW_VALUE: [_text(on_new_value), _button(on_no_helper, r"^cn:none$"), back],
        CHOOSING_NEW_VALUE: [_button(on_new_choice, r"^cn:v:[a-z_]{1,20}$"), back],
        CHOOSING_STEP_TO_FIX: [_button(on_step_to_fix, r"^cn:d:[a-z_]{1,20}$"), back],
        ASKING_FIXED_DATE: [_text(on_fixed_date), _button(on_fixed_date, r"^cn:today$"), back],
        CONFIRMING: [_button(on_save, r"^cn:save$"), back],
    }
    entry_points = [CommandHandler("capnhat", start_update),
                    CallbackQueryHandler(from_button(start_update), pattern=r"^go:capnhat$")]
    return make_conversation(name=CN_FLOW, entry_points=entry_points,
                             states=states, idle_seconds=idle_seconds)


def build_admission_conversation(idle_seconds: float) -> ConversationHandler[Any]:
    """/ketnap, read top to bottom: candidate → decision number → its date → ceremony → summary → save."""
    back = _button(go_back, r"^kn:back$")
    states: dict[object, Handlers] = {
        KN_CHOOSING_CANDIDATE: [_button(on_page, r"^kn:p:\d{1,4}$"),
                                _button(on_admitted_candidate, r"^kn:c:\d{1,12}$")],
        KN_ASKING_NUMBER: [_text(on_admission_number), back],
        KN_ASKING_DECISION_DATE: [_text(on_decision_date), _button(on_decision_date, r"^kn:today$"), back],
        KN_ASKING_CEREMONY_DATE: [_text(on_ceremony_date), _button(on_ceremony_date, r"^kn:today$"),
                                  _button(on_ceremony_not_yet, r"^kn:notyet$"), back],
        KN_CONFIRMING: [_button(on_admission_save, r"^kn:save$"), back],
    }
    return make_conversation(name=KN_FLOW, entry_points=[CommandHandler("ketnap", start_admission)],
                             states=states, idle_seconds=idle_seconds)


def register(app: Application) -> None:  # type: ignore[type-arg]
    idle_seconds = app.runtime.idle_seconds  # type: ignore[attr-defined]
    app.add_handler(build_update_conversation(idle_seconds))
    app.add_handler(build_admission_conversation(idle_seconds))
