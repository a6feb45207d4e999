"""/capnhat: record a candidate's next step, a drop-out or a correction.

One of my cell's candidates (paged list: name — stage) → what to do:
  - record the next step (the button names the only step allowed next) → its date (→ the full
    birth date when a birth year alone cannot tell the age that matters) → its details
    (introducers: who must introduce by age and cell, each member from the cell's list and since
    when they have worked with the candidate; cell vote; decision number and the date the cell
    received it) → summary;
  - drop out → the reason → summary;
  - correct a detail (name, birth, gender, background, helper) or a recorded step's date → summary;
  then "✅ Lưu" saves through one service call (record_step, drop_candidate, correct_candidate,
  correct_step_date).

The question-to-question machinery, « Quay lại and the candidate picker are shared with /ketnap
and live in `candidate_steps`.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.domain.candidates import Background, CandidateInfo, Gender
from bot.domain.cells import fold_name
from bot.domain.dates import LooseDate, parse_date, parse_loose_date
from bot.domain.eligibility import Refused, age_span, check_votes_total
from bot.domain.errors import DomainError, InvalidInput
from bot.domain.introducers import MEMBERS_NEEDED, IntroducerKind, check_known, parse_known_since
from bot.domain.members import MemberInfo, MemberStatus
from bot.domain.name_search import search_names
from bot.domain.pipeline import clean_text, validate_details
from bot.domain.quotas import counted_stage
from bot.domain.roles import Actor
from bot.domain.stages import PIPELINE, Stage, next_stage
from bot.handlers import trail
from bot.handlers.candidate_steps import (
    CHOOSING_CANDIDATE,
    EXAMPLES,
    Handlers,
    button,
    candidate_list,
    chosen_candidate,
    date_answer,
    date_rows,
    decision_number,
    nav,
    no_cell,
    on_page,
    pressed_id,
    problem,
    received_question,
    received_rows,
    take_received_date,
    text_answer,
    typed_text,
)
from bot.handlers.common import acting, reply
from bot.handlers.flow import (
    END,
    PROMPT,
    acknowledge,
    ask,
    begin,
    confirm_saved,
    draft,
    finish,
    from_button,
    make_conversation,
    markup_rows,
    pressed_part,
    refuse,
    user_data,
)
from bot.handlers.keyboards import parse_int
from bot.handlers.member_picker import member_page
from bot.handlers.runtime import ChiboContext
from bot.handlers.trail import asks, goto
from bot.services.candidate_checks import (
    check_corrected_birth,
    check_corrected_date,
    check_corrected_received,
    check_correction,
    check_next_step,
    check_step_allowed,
    introduction_kinds,
)
from bot.services.candidates import (
    CORRECTABLE,
    MAX_REASON_LENGTH,
    Saved,
    candidates_of_cell,
    check_birth,
    clean_name,
    correct_candidate,
    correct_received_date,
    correct_step_date,
    drop_candidate,
    full_members,
    get_candidate_for,
    record_step,
)
from bot.services.meetings import cell_members
from bot.texts import t
from bot.texts.candidate_update import (
    age_words,
    candidate_card,
    drop_key,
    field_value,
    fixed_step_date,
    fixed_step_name,
    introducer_rule,
    update_summary,
)
from bot.texts.formatting import format_date
from bot.texts.picker import near_text, search_first_text

CN_FLOW = "capnhat"

# What /capnhat waits for (and CHOOSING_CANDIDATE, the picker's state, from candidate_steps).
CHOOSING_ACTION = "cn_action"
ASKING_STEP_DATE = "cn_step_date"
ASKING_FULL_BIRTH = "cn_full_birth"
CHOOSING_INTRODUCER_KIND = "cn_introducer_kind"
ASKING_INTRODUCER = "cn_introducer"
ASKING_KNOWN_SINCE = "cn_known_since"
ASKING_VOTES_FOR = "cn_votes_for"
ASKING_VOTES_TOTAL = "cn_votes_total"
ASKING_DECISION_NUMBER = "cn_decision_number"
ASKING_RECEIVED_DATE = "cn_received_date"
ASKING_DROP_REASON = "cn_drop_reason"
CHOOSING_FIELD = "cn_field"
ASKING_NEW_VALUE = "cn_new_value"
CHOOSING_NEW_VALUE = "cn_new_choice"
CHOOSING_STEP_TO_FIX = "cn_step_to_fix"
ASKING_FIXED_DATE = "cn_fixed_date"
CONFIRMING = "cn_confirm"

_QUERY_LIMIT = 40  # characters of a name search kept (and shown back)
TEXT_FIELDS = ("full_name", "birth", "helper_name")  # typed; gender and background are buttons
CHOICES: dict[str, tuple[str, ...]] = {"gender": tuple(Gender), "background": tuple(Background)}


# ── /capnhat ─────────────────────────────────────────────────────────────────────────────────

@asks(CHOOSING_CANDIDATE)
async def ask_candidate(update: Update, context: ChiboContext) -> None:
    """Asks which of the cell's candidates to update."""
    text, markup = await candidate_list(update, context, "cn")
    await ask(update, context, text, markup)


async def start_update(update: Update, context: ChiboContext) -> str | int:
    """Starts /capnhat and asks which candidate to update."""
    actor = await no_cell(update, context)
    if actor is None or actor.cell_id is None:
        return END
    if not await candidates_of_cell(context.runtime.db, actor, actor.cell_id):
        await reply(update, context, t("cn.no_candidates", context.runtime.lang))
        return END
    begin(context, CN_FLOW, {"page": 0})
    return await goto(update, context, CHOOSING_CANDIDATE)


async def on_candidate(update: Update, context: ChiboContext) -> str:
    """Stores the chosen candidate and asks what to do."""
    try:
        candidate = await get_candidate_for(context.runtime.db, await acting(update, context),
                                            pressed_id(update))
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return CHOOSING_CANDIDATE
    draft(context).update(cid=candidate.id, name=candidate.full_name)
    return await goto(update, context, CHOOSING_ACTION)


@asks(CHOOSING_ACTION)
async def ask_action(update: Update, context: ChiboContext) -> None:
    """Shows the candidate's card and asks: next step, drop out, or correct."""
    lang = context.runtime.lang
    c = await chosen_candidate(update, context)
    rows: list[list[tuple[str, str]]] = []
    upcoming = next_stage(c.stage)
    if not c.dropped and upcoming is not None:
        rows.append([(t("cn.button.next_step", lang, step=t(f"step.{upcoming}", lang)), f"cn:s:{upcoming}")])
    if not c.dropped:  # a đảng viên dự bị is not "dropped from the list" but not recognised / removed
        rows.append([(t(drop_key("cn.button.drop", c), lang), "cn:drop")])
    rows += [[(t("cn.button.fix", lang), "cn:fix")], nav("cn", lang)]
    await ask(update, context, f"{candidate_card(c, lang)}\n\n{t('cn.choose_action', lang)}", rows)


async def on_step(update: Update, context: ChiboContext) -> str:
    """Stores the step to record (if the rules allow it now) and asks for its date."""
    rt = context.runtime
    try:
        step = Stage(pressed_part(update))
    except ValueError:
        await refuse(update, context, t("error.stale_button", rt.lang))
        return CHOOSING_ACTION
    try:
        await check_step_allowed(rt.db, await acting(update, context), int(draft(context)["cid"]), step,
                                 today=rt.today(), rules=rt.settings.rules)
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return CHOOSING_ACTION
    draft(context).update(action="step", step=step.value)
    return await goto(update, context, ASKING_STEP_DATE)


@asks(ASKING_STEP_DATE)
async def ask_step_date(update: Update, context: ChiboContext) -> None:
    """Asks the date of the step being recorded."""
    lang, d = context.runtime.lang, draft(context)
    hint = t("cn.date_hint", lang, today=format_date(context.runtime.today(), lang))
    question = t(f"cn.ask_date.{d['step']}", lang, name=d["name"])
    await ask(update, context, f"{question}\n{hint}", date_rows("cn", lang))


def _after_date(step: Stage) -> str:
    """The question after the step's date: its details, or straight to the summary."""
    return {Stage.INTRODUCED: CHOOSING_INTRODUCER_KIND, Stage.CELL_VOTE: ASKING_VOTES_FOR,
            Stage.DECISION: ASKING_DECISION_NUMBER}.get(step, CONFIRMING)


async def on_step_date(update: Update, context: ChiboContext) -> str:
    """Stores the step's date (not in the future, not before the last step) and asks for its details."""
    on = await date_answer(update, context)
    if on is None:
        return ASKING_STEP_DATE
    rt, step, d = context.runtime, Stage(draft(context)["step"]), draft(context)
    d.pop("birth", None)
    try:
        await check_next_step(rt.db, await acting(update, context), int(d["cid"]), step, on,
                              today=rt.today(), rules=rt.settings.rules)
    except Refused as exc:
        if exc.code != "birth_date_needed":
            await refuse(update, context, problem(exc, context))
            return ASKING_STEP_DATE
        d.update(on=on.isoformat(), birth_for="vote")
        return await goto(update, context, ASKING_FULL_BIRTH)
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return ASKING_STEP_DATE
    d["on"] = on.isoformat()
    return await _to_details(update, context)


async def _to_details(update: Update, context: ChiboContext) -> str:
    """After the step's date (and the full birth date when it was needed): its details."""
    d, rt = draft(context), context.runtime
    step = Stage(d["step"])
    if step is Stage.INTRODUCED:
        birth = LooseDate(*d["birth"]) if d.get("birth") else None
        try:
            kinds = await introduction_kinds(rt.db, await acting(update, context), int(d["cid"]),
                                             date.fromisoformat(d["on"]), rules=rt.settings.rules,
                                             birth=birth)
        except Refused:  # a birth year alone, near the end of youth age
            d["birth_for"] = "youth"
            return await goto(update, context, ASKING_FULL_BIRTH)
        d["kinds"] = [k.value for k in kinds]
    return await goto(update, context, _after_date(step))


@asks(ASKING_FULL_BIRTH)
async def ask_full_birth(update: Update, context: ChiboContext) -> None:
    """Asks the full birth date: the year alone cannot tell the age that matters on the step's date."""
    d, rt = draft(context), context.runtime
    lang, rules = rt.lang, rt.settings.rules
    c = await chosen_candidate(update, context)
    which = d["birth_for"]
    if which == "vote":  # the limit the year straddles: 18 (born 2008) or 60 (born 1966)
        on = date.fromisoformat(d["on"])
        which = "vote_min" if age_span(c.birth, on).low < rules.min_age_months else "vote_max"
    text = t(f"cn.ask_full_birth.{which}", lang, name=c.full_name, year=c.birth.year,
             on=format_date(date.fromisoformat(d["on"]), lang),
             min_age=age_words(rules.min_age_months, lang), max_age=age_words(rules.max_age_months, lang))
    await ask(update, context, text, [nav("cn", lang)])


async def on_full_birth(update: Update, context: ChiboContext) -> str:
    """Keeps the full birth date (saved with the step) and checks the step again with it."""
    d, rt = draft(context), context.runtime
    c = await chosen_candidate(update, context)
    try:
        born = parse_date(typed_text(update), rt.today())
        birth = LooseDate(born.year, born.month, born.day)
        check_birth(birth, rt.today())
        if d["birth_for"] == "vote":
            await check_next_step(rt.db, await acting(update, context), int(d["cid"]), Stage(d["step"]),
                                  date.fromisoformat(d["on"]), today=rt.today(), rules=rt.settings.rules,
                                  birth=birth)
    except InvalidInput as exc:
        if exc.data.get("reason") in ("format", "impossible"):
            await refuse(update, context, t("cn.full_birth_needed", rt.lang, year=c.birth.year))
        else:
            await refuse(update, context, problem(exc, context))
        return ASKING_FULL_BIRTH
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return ASKING_FULL_BIRTH
    d["birth"] = [birth.year, birth.month, birth.day]
    return await _to_details(update, context)


def _kind_rows(d: dict[str, Any], lang: str) -> list[list[tuple[str, str]]]:
    """A button per kind the rules allow this candidate; two members in a workplace cell is the
    case of a unit without a trade union, and says so."""
    kinds = list(d.get("kinds") or [])
    label = {k: f"cn.button.{k}" for k in kinds}
    if IntroducerKind.TRADE_UNION in kinds:
        label[IntroducerKind.TWO_MEMBERS.value] = "cn.button.two_members_no_union"
    return [[(t(label[k], lang), f"cn:ik:{k}")] for k in kinds]


async def _rule_text(update: Update, context: ChiboContext) -> str:
    d, lang = draft(context), context.runtime.lang
    c = await chosen_candidate(update, context)
    birth = LooseDate(*d["birth"]) if d.get("birth") else c.birth
    on = date.fromisoformat(d["on"])
    return introducer_rule(list(d.get("kinds") or []), c.full_name, on, age_span(birth, on).low, lang)


@asks(CHOOSING_INTRODUCER_KIND)
async def ask_introducer_kind(update: Update, context: ChiboContext) -> None:
    """Says who must introduce this candidate (by age and cell) and offers only that (those)."""
    lang, d = context.runtime.lang, draft(context)
    text = t("cn.ask_introducer_kind", lang, rule=await _rule_text(update, context),
             months=context.runtime.settings.rules.introducer_known_months)
    await ask(update, context, text, [*_kind_rows(d, lang), nav("cn", lang)])


async def on_introducer_kind(update: Update, context: ChiboContext) -> str:
    """Stores the kind of introduction (one the rules allow) and asks the first introducing member."""
    d, kind = draft(context), pressed_part(update)
    if kind not in (d.get("kinds") or []):
        await refuse(update, context, t("cn.error.introducer_kind_not_allowed", context.runtime.lang,
                                        rule=await _rule_text(update, context)))
        return CHOOSING_INTRODUCER_KIND
    d.update(kind=kind, introducers=[], member_ids=[], known_since=[], months_known=[])
    return await goto(update, context, ASKING_INTRODUCER)


async def _full_members(update: Update, context: ChiboContext) -> list[MemberInfo]:
    """The cell's active members (probationary ones too: naming one is explained, not ignored)."""
    actor = await acting(update, context)
    c = await chosen_candidate(update, context)
    return await cell_members(context.runtime.db, actor, c.cell_id)


def _introducer_question(d: dict[str, Any], members: list[MemberInfo], lang: str) -> tuple[str, Any]:
    """The question for the next introducing member and its keyboard: the cell's full members
    (searched by what was typed, a page at a time, or asking part of a name first when long)."""
    kind, done = d["kind"], len(d["introducers"])
    if kind != IntroducerKind.TWO_MEMBERS:
        head = t("cn.ask_introducer.with_union", lang, union=t(f"cn.union.{kind}", lang))
    elif done == 0:
        head = t("cn.ask_introducer.first", lang)
    else:
        head = t("cn.ask_introducer.second", lang, first=d["introducers"][0])
    if not members:
        return f"{head}\n{t('cn.introducer_how.typed', lang)}", [nav("cn", lang)]
    full = [m for m in members if m.status == MemberStatus.FULL and m.id not in d["member_ids"]]
    query = d.get("mq", "")
    extra: list[list[InlineKeyboardButton]] = []
    if query:
        extra.append([InlineKeyboardButton(t("cn.button.keep_typed", lang, name=query),
                                           callback_data="cn:mt")])
        extra.append([InlineKeyboardButton(t("cn.button.show_all_members", lang), callback_data="cn:mp:0")])
    extra.append([InlineKeyboardButton(label, callback_data=data) for label, data in nav("cn", lang)])
    listed = member_page(full, query=query, page=int(d.get("mpage", 0)), pick="cn:m:", turn="cn:mp:",
                         lang=lang, extra_rows=extra, browse=bool(d.get("browse")))
    lines = [head]
    if listed.search_first:
        lines.append(search_first_text(len(full), "Hùng", lang))
    elif listed.near:
        lines.append(near_text(query, [m.full_name for m in listed.shown], lang))
    elif query:
        lines.append(t("cn.introducer_found", lang, query=query, count=len(listed.shown)))
    else:
        lines.append(t("cn.introducer_how.list", lang))
    return "\n".join(lines), listed.markup


@asks(ASKING_INTRODUCER)
async def ask_introducer(update: Update, context: ChiboContext) -> None:
    """Asks the next introducing member: picked from the list, searched, or typed."""
    d = draft(context)
    d.update(mq="", mpage=0, browse=False)
    text, markup = _introducer_question(d, await _full_members(update, context), context.runtime.lang)
    await ask(update, context, text, markup)


async def _take_introducer(update: Update, context: ChiboContext, name: str, member_id: int | None,
                           *, off_list: bool = False) -> str:
    """Keeps the introducing member chosen (not the same person twice; one typed that is not on the
    imported list, saying so plainly) and asks since when."""
    d, lang = draft(context), context.runtime.lang
    twice = member_id is not None and member_id in d["member_ids"]
    if twice or fold_name(name) in {fold_name(n) for n in d["introducers"]}:
        await refuse(update, context, t("cn.error.introducer_twice", lang, name=name))
        return ASKING_INTRODUCER
    if off_list:
        await acknowledge(update)
        await reply(update, context, t("cn.introducer_off_list", lang, name=name))
    d["pending"] = {"name": name, "member_id": member_id}
    return await goto(update, context, ASKING_KNOWN_SINCE)


async def on_introducer(update: Update, context: ChiboContext) -> str:
    """A typed name: searched in the cell's list (tone marks first); with no list, or nobody like it
    on the list, kept as typed (saying plainly it is not on the list)."""
    d, lang = draft(context), context.runtime.lang
    typed = " ".join(typed_text(update).split())
    members = await _full_members(update, context)
    if members:
        found = search_names(members, typed[:_QUERY_LIMIT], lambda m: m.full_name).items
        full = [m for m in found if m.status == MemberStatus.FULL]
        if found and not full:  # only probationary members carry that name
            await refuse(update, context,
                         t("cn.error.introducer_probationary", lang, name=found[0].full_name))
            return ASKING_INTRODUCER
        if full:
            d.update(mq=typed[:_QUERY_LIMIT], mpage=0, browse=True)
            text, markup = _introducer_question(d, members, lang)
            await ask(update, context, text, markup)
            return ASKING_INTRODUCER
    try:
        name = clean_name(typed)
    except DomainError as exc:
        await refuse(update, context, problem(exc, context, EXAMPLES["introducer"]))
        return ASKING_INTRODUCER
    return await _take_introducer(update, context, name, None, off_list=bool(members))


async def on_introducer_kept(update: Update, context: ChiboContext) -> str:
    """"Không có trong danh sách — ghi «…»": the searched words kept as the member's name."""
    d = draft(context)
    try:
        name = clean_name(d.get("mq", ""))
    except DomainError as exc:
        await refuse(update, context, problem(exc, context, EXAMPLES["introducer"]))
        return ASKING_INTRODUCER
    return await _take_introducer(update, context, name, None, off_list=True)


async def on_introducer_picked(update: Update, context: ChiboContext) -> str:
    """A member pressed on the list: must be an active full member of the cell."""
    lang = context.runtime.lang
    member_id = parse_int(pressed_part(update))
    member = next((m for m in await _full_members(update, context) if m.id == member_id), None)
    if member is None:
        await refuse(update, context, t("cn.error.unknown_member", lang))
        return ASKING_INTRODUCER
    if member.status != MemberStatus.FULL:
        await refuse(update, context, t("cn.error.introducer_probationary", lang, name=member.full_name))
        return ASKING_INTRODUCER
    return await _take_introducer(update, context, member.full_name, member.id)


async def on_introducer_page(update: Update, context: ChiboContext) -> str:
    """Another page of the member list (or the whole list again), in place."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    d = draft(context)
    page = parse_int(pressed_part(update)) or 0
    if page == 0:
        d["mq"] = ""  # "Xem cả danh sách" / "Xem lại cả danh sách"
    d.update(mpage=page, browse=True)
    text, markup = _introducer_question(d, await _full_members(update, context), context.runtime.lang)
    user_data(context)[PROMPT] = {"text": text, "buttons": markup_rows(markup)}
    with contextlib.suppress(BadRequest):  # the same page pressed again: nothing to change
        await query.edit_message_text(text, reply_markup=markup)
    return ASKING_INTRODUCER


@asks(ASKING_KNOWN_SINCE)
async def ask_known_since(update: Update, context: ChiboContext) -> None:
    """Asks since when the member has worked with the candidate."""
    d, rt = draft(context), context.runtime
    await ask(update, context, t("cn.ask_known_since", rt.lang, member=d["pending"]["name"], name=d["name"],
                                 months=rt.settings.rules.introducer_known_months,
                                 on=format_date(date.fromisoformat(d["on"]), rt.lang)),
              [nav("cn", rt.lang)])


async def on_known_since(update: Update, context: ChiboContext) -> str:
    """Checks the period (at least the rule's months by the introduction date) and asks the next
    introducing member, or shows the summary."""
    d, rt = draft(context), context.runtime
    try:
        since = parse_known_since(typed_text(update), rt.today())
        months = check_known(since, date.fromisoformat(d["on"]), rt.settings.rules)
    except InvalidInput as exc:
        exc.data.setdefault("required", rt.settings.rules.introducer_known_months)
        await refuse(update, context, problem(exc, context))
        return ASKING_KNOWN_SINCE
    pending = d.pop("pending")
    d["introducers"].append(pending["name"])
    d["member_ids"].append(pending["member_id"])
    d["known_since"].append(since.iso())
    d["months_known"].append(months)
    done = len(d["introducers"]) == MEMBERS_NEEDED[IntroducerKind(d["kind"])]
    return await goto(update, context, CONFIRMING if done else ASKING_INTRODUCER)


@asks(ASKING_VOTES_FOR)
async def ask_votes_for(update: Update, context: ChiboContext) -> None:
    """Asks how many full members voted for (optional)."""
    lang = context.runtime.lang
    await ask(update, context, t("cn.ask_votes_for", lang, name=draft(context)["name"]),
              [[(t("button.skip", lang), "cn:skip")], nav("cn", lang)])


async def on_votes_for(update: Update, context: ChiboContext) -> str:
    """Stores the votes for and asks the number of full members."""
    votes = parse_int(typed_text(update).strip())
    if votes is None:
        await refuse(update, context, t("cn.not_a_number", context.runtime.lang))
        return ASKING_VOTES_FOR
    draft(context)["votes_for"] = votes
    return await goto(update, context, ASKING_VOTES_TOTAL)


async def on_votes_skipped(update: Update, context: ChiboContext) -> str:
    """Leaves the votes out and shows the summary."""
    draft(context).update(votes_for=None, votes_total=None)
    return await goto(update, context, CONFIRMING)


async def _listed_full(update: Update, context: ChiboContext) -> int | None:
    """How many full members the cell's imported list holds (None: no list imported)."""
    return full_members(await _full_members(update, context))


@asks(ASKING_VOTES_TOTAL)
async def ask_votes_total(update: Update, context: ChiboContext) -> None:
    """Asks how many full members the cell has, offering the imported list's count."""
    lang = context.runtime.lang
    listed = await _listed_full(update, context)
    if listed:
        await ask(update, context, t("cn.ask_votes_total_listed", lang, listed=listed),
                  [[(t("cn.button.listed_total", lang, listed=listed), f"cn:vt:{listed}")], nav("cn", lang)])
    else:
        await ask(update, context, t("cn.ask_votes_total", lang), [nav("cn", lang)])


async def on_votes_total(update: Update, context: ChiboContext) -> str:
    """Stores the number of full members (not above the imported list's; the votes for must reach
    two thirds of it) and shows the summary."""
    d = draft(context)
    answer = pressed_part(update) if update.callback_query is not None else typed_text(update).strip()
    total = parse_int(answer)
    if total is None:
        await refuse(update, context, t("cn.not_a_number", context.runtime.lang))
        return ASKING_VOTES_TOTAL
    try:
        check_votes_total(total, await _listed_full(update, context))
        validate_details(Stage.CELL_VOTE, {"votes_for": d["votes_for"], "votes_total": total})
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return ASKING_VOTES_TOTAL
    d["votes_total"] = total
    return await goto(update, context, CONFIRMING)


@asks(ASKING_DECISION_NUMBER)
async def ask_decision_number(update: Update, context: ChiboContext) -> None:
    """Asks the admission decision's number."""
    lang = context.runtime.lang
    await ask(update, context, t("cn.ask_decision_number", lang, name=draft(context)["name"]),
              [nav("cn", lang)])


async def on_decision_number(update: Update, context: ChiboContext) -> str:
    """Stores the decision number and asks when the cell received the decision."""
    try:
        number = decision_number(typed_text(update))
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return ASKING_DECISION_NUMBER
    draft(context)["number"] = number
    return await goto(update, context, ASKING_RECEIVED_DATE)


@asks(ASKING_RECEIVED_DATE)
async def ask_received_date(update: Update, context: ChiboContext) -> None:
    """Asks the date the cell received the decision (the ceremony clock starts there)."""
    d, signed = draft(context), date.fromisoformat(draft(context)["on"])
    await ask(update, context, received_question(d["name"], signed, context),
              received_rows("cn", signed, context.runtime.lang))


async def on_received_date(update: Update, context: ChiboContext) -> str:
    """Stores the received date (not before the signing, not in the future) and shows the summary."""
    if not await take_received_date(update, context):
        return ASKING_RECEIVED_DATE
    return await goto(update, context, CONFIRMING)


async def on_drop(update: Update, context: ChiboContext) -> str:
    """Starts a drop-out and asks the reason."""
    draft(context)["action"] = "drop"
    return await goto(update, context, ASKING_DROP_REASON)


@asks(ASKING_DROP_REASON)
async def ask_drop_reason(update: Update, context: ChiboContext) -> None:
    """Asks why the candidate leaves the list."""
    lang = context.runtime.lang
    key = drop_key("cn.ask_reason", await chosen_candidate(update, context))
    await ask(update, context, t(key, lang, name=draft(context)["name"]), [nav("cn", lang)])


async def on_drop_reason(update: Update, context: ChiboContext) -> str:
    """Stores the reason and shows the summary."""
    try:
        reason = clean_text(typed_text(update), "reason", limit=MAX_REASON_LENGTH)
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return ASKING_DROP_REASON
    draft(context)["reason"] = reason
    return await goto(update, context, CONFIRMING)


# ── corrections ──────────────────────────────────────────────────────────────────────────────

async def on_fix(update: Update, context: ChiboContext) -> str:
    """Starts a correction and asks what to correct."""
    draft(context)["action"] = "fix"
    return await goto(update, context, CHOOSING_FIELD)


@asks(CHOOSING_FIELD)
async def ask_field(update: Update, context: ChiboContext) -> None:
    """Asks which detail (or which step's date) to correct."""
    lang = context.runtime.lang
    rows = [[(t(f"cn.field.{field}", lang), f"cn:f:{field}")] for field in (*CORRECTABLE, "step_date")]
    await ask(update, context, t("cn.choose_field", lang, name=draft(context)["name"]),
              [*rows, nav("cn", lang)])


async def on_field(update: Update, context: ChiboContext) -> str:
    """Stores the detail to correct and asks its right value (or which step's date)."""
    field = pressed_part(update)
    if field == "step_date":
        return await goto(update, context, CHOOSING_STEP_TO_FIX)
    if field not in CORRECTABLE:
        await refuse(update, context, t("error.stale_button", context.runtime.lang))
        return CHOOSING_FIELD
    draft(context)["field"] = field
    return await goto(update, context, CHOOSING_NEW_VALUE if field in CHOICES else ASKING_NEW_VALUE)


@asks(ASKING_NEW_VALUE)
async def ask_new_value(update: Update, context: ChiboContext) -> None:
    """Shows the value on record and asks the right one."""
    lang, field = context.runtime.lang, draft(context)["field"]
    old = field_value(await chosen_candidate(update, context), field, lang)
    rows = [[(t("cn.button.no_helper", lang), "cn:none")]] if field == "helper_name" else []
    await ask(update, context, t(f"cn.ask_value.{field}", lang, old=old), [*rows, nav("cn", lang)])


async def on_new_value(update: Update, context: ChiboContext) -> str:
    """Stores the typed value (checked as the service will check it) and shows the summary."""
    d, today = draft(context), context.runtime.today()
    text = typed_text(update)
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
        await _changes_something(update, context, new)
        if d["field"] == "birth":  # still within 18–60 on the day the cell voted, if it has
            await check_corrected_birth(context.runtime.db, await acting(update, context), int(d["cid"]),
                                        LooseDate(*new), rules=context.runtime.settings.rules)
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return ASKING_NEW_VALUE
    d["new"] = new
    return await goto(update, context, CONFIRMING)


async def _changes_something(update: Update, context: ChiboContext, new: Any) -> None:
    """Refuses (InvalidInput "unchanged") a corrected value that is the one on record already."""
    d = draft(context)
    value = LooseDate(*new) if d["field"] == "birth" else new
    await check_correction(context.runtime.db, await acting(update, context), int(d["cid"]), d["field"],
                           value, today=context.runtime.today())


async def on_no_helper(update: Update, context: ChiboContext) -> str:
    """Clears the helping member and shows the summary."""
    d = draft(context)
    if d.get("field") != "helper_name":
        await refuse(update, context, t("error.stale_button", context.runtime.lang))
        return ASKING_NEW_VALUE
    try:
        await _changes_something(update, context, "")
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return ASKING_NEW_VALUE
    d["new"] = ""
    return await goto(update, context, CONFIRMING)


@asks(CHOOSING_NEW_VALUE)
async def ask_new_choice(update: Update, context: ChiboContext) -> None:
    """Shows the value on record and offers the possible ones as buttons."""
    lang, field = context.runtime.lang, draft(context)["field"]
    old = field_value(await chosen_candidate(update, context), field, lang)
    rows = [[(t(f"{field}.{value}", lang), f"cn:v:{value}")] for value in CHOICES[field]]
    await ask(update, context, t(f"cn.ask_value.{field}", lang, old=old), [*rows, nav("cn", lang)])


async def on_new_choice(update: Update, context: ChiboContext) -> str:
    """Stores the chosen value and shows the summary."""
    d, value = draft(context), pressed_part(update)
    if value not in CHOICES.get(d.get("field", ""), ()):
        await refuse(update, context, t("error.stale_button", context.runtime.lang))
        return CHOOSING_NEW_VALUE
    try:
        await _changes_something(update, context, value)
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return CHOOSING_NEW_VALUE
    d["new"] = value
    return await goto(update, context, CONFIRMING)


RECEIVED = "received"  # the date the decision was received, corrected like a step's date


@asks(CHOOSING_STEP_TO_FIX)
async def ask_step_to_fix(update: Update, context: ChiboContext) -> None:
    """Lists the recorded steps with their dates (and the decision's receipt), to pick one."""
    lang = context.runtime.lang
    c = await chosen_candidate(update, context)
    rows = [[(t("cn.step_button", lang, step=t(f"step.{s}", lang), date=format_date(c.steps[s].on, lang)),
              f"cn:d:{s}")] for s in PIPELINE if s in c.steps]
    if Stage.DECISION in c.steps:
        received = c.decision_received_on or c.steps[Stage.DECISION].on
        at = PIPELINE.index(Stage.DECISION) + 1  # right after the decision's own line
        rows.insert(at, [(t("cn.step_button", lang, step=t("cn.received_step", lang),
                            date=format_date(received, lang)), f"cn:d:{RECEIVED}")])
    await ask(update, context, t("cn.choose_step_to_fix", lang), [*rows, nav("cn", lang)])


async def _check_fixed_date(update: Update, context: ChiboContext, which: str, on: date | None) -> None:
    """Refuses a step (or receipt) that cannot be corrected, or (given `on`) a date the save refuses."""
    rt, cid = context.runtime, int(draft(context)["cid"])
    actor = await acting(update, context)
    if which == RECEIVED:
        await check_corrected_received(rt.db, actor, cid, on, today=rt.today())
    else:
        await check_corrected_date(rt.db, actor, cid, Stage(which), on, today=rt.today(),
                                   rules=rt.settings.rules)


async def on_step_to_fix(update: Update, context: ChiboContext) -> str:
    """Stores the step whose date is wrong and asks the right date."""
    which = pressed_part(update)
    try:
        await _check_fixed_date(update, context, which, None)
    except ValueError:
        await refuse(update, context, t("error.stale_button", context.runtime.lang))
        return CHOOSING_STEP_TO_FIX
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return CHOOSING_STEP_TO_FIX
    draft(context).update(field="step_date", fix_step=which)
    return await goto(update, context, ASKING_FIXED_DATE)


@asks(ASKING_FIXED_DATE)
async def ask_fixed_date(update: Update, context: ChiboContext) -> None:
    """Shows the step's recorded date and asks the right one."""
    lang, which = context.runtime.lang, draft(context)["fix_step"]
    c = await chosen_candidate(update, context)
    hint = t("cn.date_hint", lang, today=format_date(context.runtime.today(), lang))
    text = t("cn.ask_fixed_date", lang, step=fixed_step_name(which, lang),
             old=format_date(fixed_step_date(c, which), lang))
    await ask(update, context, f"{text}\n{hint}", date_rows("cn", lang))


async def on_fixed_date(update: Update, context: ChiboContext) -> str:
    """Stores the right date (still in order with the other steps) and shows the summary."""
    on = await date_answer(update, context)
    if on is None:
        return ASKING_FIXED_DATE
    try:
        await _check_fixed_date(update, context, draft(context)["fix_step"], on)
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return ASKING_FIXED_DATE
    draft(context)["on"] = on.isoformat()
    return await goto(update, context, CONFIRMING)


# ── /capnhat summary and saving ──────────────────────────────────────────────────────────────

def _summary(d: dict[str, Any], c: CandidateInfo, context: ChiboContext) -> str:
    rt = context.runtime
    return update_summary(d, c, counted=counted_stage(rt.settings.quotas.count_by), today=rt.today(),
                          lang=rt.lang)


@asks(CONFIRMING)
async def ask_confirm(update: Update, context: ChiboContext) -> None:
    """Shows the summary with "✅ Lưu"."""
    lang = context.runtime.lang
    body = _summary(draft(context), await chosen_candidate(update, context), context)
    await ask(update, context, f"{body}\n\n{t('cn.confirm_question', lang)}",
              [[(t("button.save", lang), "cn:save")], nav("cn", lang)])


async def _save_update(d: dict[str, Any], actor: Actor, context: ChiboContext) -> Saved:
    """One service call for what the draft holds."""
    db, today, cid = context.runtime.db, context.runtime.today(), int(d["cid"])
    if d["action"] == "step":
        details: dict[str, Any] = {}
        if d["step"] == Stage.INTRODUCED:
            details = {k: d[k] for k in ("kind", "introducers", "member_ids", "known_since")}
        elif d["step"] == Stage.CELL_VOTE and d.get("votes_for") is not None:
            details = {"votes_for": d["votes_for"], "votes_total": d["votes_total"]}
        elif d["step"] == Stage.DECISION:
            details = {"number": d["number"], "received_on": d.get("received") or d["on"]}
        return await record_step(db, actor, cid, Stage(d["step"]), date.fromisoformat(d["on"]), details,
                                 today=today, rules=context.runtime.settings.rules,
                                 birth=LooseDate(*d["birth"]) if d.get("birth") else None)
    if d["action"] == "drop":
        return await drop_candidate(db, actor, cid, reason=d["reason"], on=today, today=today)
    if d["field"] == "step_date" and d["fix_step"] == RECEIVED:
        return await correct_received_date(db, actor, cid, date.fromisoformat(d["on"]), today=today)
    if d["field"] == "step_date":
        return await correct_step_date(db, actor, cid, Stage(d["fix_step"]), date.fromisoformat(d["on"]),
                                       today=today, rules=context.runtime.settings.rules)
    value = LooseDate(*d["new"]) if d["field"] == "birth" else d["new"]
    return await correct_candidate(db, actor, cid, d["field"], value, today=today,
                                   rules=context.runtime.settings.rules)


async def on_save(update: Update, context: ChiboContext) -> int:
    """Saves with one service call, repeats what was saved, and ends the flow."""
    lang, d = context.runtime.lang, draft(context)
    await acknowledge(update)
    try:
        actor = await acting(update, context)
        body = _summary(d, await get_candidate_for(context.runtime.db, actor, int(d["cid"])), context)
        saved = (await _save_update(d, actor, context)).candidate
    except DomainError as exc:
        await reply(update, context, t("cn.not_saved", lang, problem=problem(exc, context)))
        return finish(context)
    if saved.dropped:
        status = t(drop_key("cn.saved_dropped", saved), lang, name=saved.full_name)
    else:
        status = t("cn.saved_stage", lang, name=saved.full_name, stage=t(f"stage.{saved.stage}", lang))
    return await confirm_saved(update, context, t("cn.saved", lang, body=f"{body}\n{status}"))


# ── the conversation table ───────────────────────────────────────────────────────────────────

def build_update_conversation(idle_seconds: float) -> ConversationHandler[Any]:
    """/capnhat, read top to bottom: candidate → action → step date → details → summary → save."""
    back = button(trail.back(), r"^cn:back$")
    states: dict[object, Handlers] = {
        CHOOSING_CANDIDATE: [button(on_page, r"^cn:p:\d{1,4}$"), button(on_candidate, r"^cn:c:\d{1,12}$")],
        CHOOSING_ACTION: [button(on_step, r"^cn:s:[a-z_]{1,20}$"), button(on_drop, r"^cn:drop$"),
                          button(on_fix, r"^cn:fix$"), back],
        ASKING_STEP_DATE: [text_answer(on_step_date), button(on_step_date, r"^cn:today$"), back],
        ASKING_FULL_BIRTH: [text_answer(on_full_birth), back],
        CHOOSING_INTRODUCER_KIND: [button(on_introducer_kind, r"^cn:ik:[a-z_]{1,20}$"), back],
        ASKING_INTRODUCER: [text_answer(on_introducer), button(on_introducer_picked, r"^cn:m:\d{1,12}$"),
                            button(on_introducer_page, r"^cn:mp:\d{1,4}$"),
                            button(on_introducer_kept, r"^cn:mt$"), back],
        ASKING_KNOWN_SINCE: [text_answer(on_known_since), back],
        ASKING_VOTES_FOR: [text_answer(on_votes_for), button(on_votes_skipped, r"^cn:skip$"), back],
        ASKING_VOTES_TOTAL: [text_answer(on_votes_total), button(on_votes_total, r"^cn:vt:\d{1,6}$"), back],
        ASKING_DECISION_NUMBER: [text_answer(on_decision_number), back],
        ASKING_RECEIVED_DATE: [text_answer(on_received_date),
                               button(on_received_date, r"^cn:(signed|today)$"), back],
        ASKING_DROP_REASON: [text_answer(on_drop_reason), back],
        CHOOSING_FIELD: [button(on_field, r"^cn:f:[a-z_]{1,20}$"), back],
        ASKING_NEW_VALUE: [text_answer(on_new_value), button(on_no_helper, r"^cn:none$"), back],
        CHOOSING_NEW_VALUE: [button(on_new_choice, r"^cn:v:[a-z_]{1,20}$"), back],
        CHOOSING_STEP_TO_FIX: [button(on_step_to_fix, r"^cn:d:[a-z_]{1,20}$"), back],  # a stage or "received"
        ASKING_FIXED_DATE: [text_answer(on_fixed_date), button(on_fixed_date, r"^cn:today$"), back],
        CONFIRMING: [button(on_save, r"^cn:save$"), back],
    }
    entry_points = [CommandHandler("capnhat", start_update),
                    CallbackQueryHandler(from_button(start_update), pattern=r"^go:capnhat$")]
    return make_conversation(name=CN_FLOW, entry_points=entry_points,
                             states=states, idle_seconds=idle_seconds)


def register(app: Application) -> None:  # type: ignore[type-arg]
    idle_seconds = app.runtime.idle_seconds  # type: ignore[attr-defined]
    app.add_handler(build_update_conversation(idle_seconds))
