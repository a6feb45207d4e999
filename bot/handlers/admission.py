"""/ketnap: the admission shortcut.

A candidate awaiting the admission decision → decision number → its date → the date the cell
received it («Cùng ngày ký» by default: the ceremony clock runs from it) → the ceremony date or
"Chưa tổ chức" → summary → "✅ Lưu" (services.candidates.admit).

The question-to-question machinery, « Quay lại and the candidate picker are shared with /capnhat
and live in `candidate_steps`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, ConversationHandler

from bot.domain.candidates import awaiting_decision
from bot.domain.errors import DomainError
from bot.domain.quotas import counted_stage
from bot.domain.stages import Stage
from bot.handlers import trail
from bot.handlers.candidate_steps import (
    KN_CHOOSING_CANDIDATE,
    Handlers,
    button,
    candidate_list,
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
    acknowledge,
    ask,
    begin,
    confirm_saved,
    draft,
    finish,
    make_conversation,
    refuse,
)
from bot.handlers.runtime import ChiboContext
from bot.handlers.trail import asks, goto
from bot.services.candidate_checks import check_ceremony_date, check_next_step
from bot.services.candidates import admit, candidates_of_cell
from bot.texts import t
from bot.texts.candidate_update import admission_summary, none_waiting_text
from bot.texts.formatting import format_date

KN_FLOW = "ketnap"

# What /ketnap waits for (and KN_CHOOSING_CANDIDATE, the picker's state, from candidate_steps).
KN_ASKING_NUMBER = "kn_number"
KN_ASKING_DECISION_DATE = "kn_decision_date"
KN_ASKING_RECEIVED_DATE = "kn_received_date"
KN_ASKING_CEREMONY_DATE = "kn_ceremony_date"
KN_CONFIRMING = "kn_confirm"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# ── /ketnap ──────────────────────────────────────────────────────────────────────────────────

@asks(KN_CHOOSING_CANDIDATE)
async def ask_admitted_candidate(update: Update, context: ChiboContext) -> None:
    """Asks which candidate awaiting the decision was admitted."""
    text, markup = await candidate_list(update, context, "kn")
    await ask(update, context, text, markup)


async def start_admission(update: Update, context: ChiboContext) -> str | int:
    """Starts /ketnap and asks which candidate awaiting the decision was admitted."""
    lang = context.runtime.lang
    actor = await no_cell(update, context)
    if actor is None or actor.cell_id is None:
        return END
    candidates = await candidates_of_cell(context.runtime.db, actor, actor.cell_id)
    if not awaiting_decision(candidates):
        await reply(update, context, none_waiting_text(candidates, lang))
        return END
    begin(context, KN_FLOW, {"page": 0})
    return await goto(update, context, KN_CHOOSING_CANDIDATE)


async def on_admitted_candidate(update: Update, context: ChiboContext) -> str:
    """Stores the candidate (who must be awaiting the decision) and asks the decision number."""
    today = context.runtime.today()
    try:
        candidate = await check_next_step(context.runtime.db, await acting(update, context),
                                          pressed_id(update), Stage.DECISION, today, today=today)
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return KN_CHOOSING_CANDIDATE
    draft(context).update(cid=candidate.id, name=candidate.full_name)
    return await goto(update, context, KN_ASKING_NUMBER)


@asks(KN_ASKING_NUMBER)
async def ask_admission_number(update: Update, context: ChiboContext) -> None:
    """Asks the admission decision's number."""
    lang = context.runtime.lang
    await ask(update, context, t("kn.ask_number", lang, name=draft(context)["name"]), [nav("kn", lang)])


async def on_admission_number(update: Update, context: ChiboContext) -> str:
    """Stores the decision number and asks its date."""
    try:
        number = decision_number(typed_text(update))
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return KN_ASKING_NUMBER
    draft(context)["number"] = number
    return await goto(update, context, KN_ASKING_DECISION_DATE)


@asks(KN_ASKING_DECISION_DATE)
async def ask_decision_date(update: Update, context: ChiboContext) -> None:
    """Asks the date the decision was signed."""
    lang = context.runtime.lang
    hint = t("cn.date_hint", lang, today=format_date(context.runtime.today(), lang))
    await ask(update, context, f"{t('kn.ask_decision_date', lang, number=draft(context)['number'])}\n{hint}",
              date_rows("kn", lang))


async def on_decision_date(update: Update, context: ChiboContext) -> str:
    """Stores the decision date (not in the future, not before the ward resolution) and asks the ceremony."""
    on = await date_answer(update, context)
    if on is None:
        return KN_ASKING_DECISION_DATE
    try:
        await check_next_step(context.runtime.db, await acting(update, context), int(draft(context)["cid"]),
                              Stage.DECISION, on, today=context.runtime.today())
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return KN_ASKING_DECISION_DATE
    draft(context)["on"] = on.isoformat()
    return await goto(update, context, KN_ASKING_RECEIVED_DATE)


@asks(KN_ASKING_RECEIVED_DATE)
async def ask_received_date(update: Update, context: ChiboContext) -> None:
    """Asks the date the cell received the decision (the ceremony clock starts there)."""
    d, signed = draft(context), date.fromisoformat(draft(context)["on"])
    await ask(update, context, received_question(d["name"], signed, context),
              received_rows("kn", signed, context.runtime.lang))


async def on_received_date(update: Update, context: ChiboContext) -> str:
    """Stores the received date (not before the signing, not in the future) and asks the ceremony."""
    if not await take_received_date(update, context):
        return KN_ASKING_RECEIVED_DATE
    return await goto(update, context, KN_ASKING_CEREMONY_DATE)


@asks(KN_ASKING_CEREMONY_DATE)
async def ask_ceremony_date(update: Update, context: ChiboContext) -> None:
    """Asks the ceremony date, or whether it is not held yet."""
    lang = context.runtime.lang
    text = t("kn.ask_ceremony_date", lang, name=draft(context)["name"],
             today=format_date(context.runtime.today(), lang))
    await ask(update, context, text, [[(t("button.today", lang), "kn:today")],
                                      [(t("kn.button.not_yet", lang), "kn:notyet")], nav("kn", lang)])


async def on_ceremony_date(update: Update, context: ChiboContext) -> str:
    """Stores the ceremony date (not before the decision, not in the future) and shows the summary."""
    on = await date_answer(update, context)
    if on is None:
        return KN_ASKING_CEREMONY_DATE
    d = draft(context)
    try:
        await check_ceremony_date(context.runtime.db, await acting(update, context), int(d["cid"]),
                                  decision_on=date.fromisoformat(d["on"]), ceremony_on=on,
                                  today=context.runtime.today(), received_on=_day(d.get("received")))
    except DomainError as exc:
        await refuse(update, context, problem(exc, context))
        return KN_ASKING_CEREMONY_DATE
    d["ceremony"] = on.isoformat()
    return await goto(update, context, KN_CONFIRMING)


async def on_ceremony_not_yet(update: Update, context: ChiboContext) -> str:
    """Notes that the ceremony is not held yet and shows the summary."""
    draft(context)["ceremony"] = None
    return await goto(update, context, KN_CONFIRMING)


def _admission_summary(d: dict[str, Any], context: ChiboContext) -> str:
    rt = context.runtime
    return admission_summary(d["name"], d["number"], date.fromisoformat(d["on"]), _day(d.get("ceremony")),
                             counted_stage(rt.settings.quotas.count_by), rt.lang,
                             received_on=_day(d.get("received")))


@asks(KN_CONFIRMING)
async def ask_admission_confirm(update: Update, context: ChiboContext) -> None:
    """Shows the admission summary with "✅ Lưu"."""
    lang = context.runtime.lang
    body = _admission_summary(draft(context), context)
    await ask(update, context, f"{body}\n\n{t('cn.confirm_question', lang)}",
              [[(t("button.save", lang), "kn:save")], nav("kn", lang)])


async def on_admission_save(update: Update, context: ChiboContext) -> int:
    """Saves the decision (and the ceremony, if held) in one call, repeats it, and ends the flow."""
    lang, d = context.runtime.lang, draft(context)
    await acknowledge(update)
    ceremony_on = _day(d.get("ceremony"))
    try:
        actor = await acting(update, context)
        saved = (await admit(context.runtime.db, actor, int(d["cid"]), number=d["number"],
                             decision_on=date.fromisoformat(d["on"]), ceremony_on=ceremony_on,
                             today=context.runtime.today(), received_on=_day(d.get("received")))).candidate
    except DomainError as exc:
        await reply(update, context, t("cn.not_saved", lang, problem=problem(exc, context)))
        return finish(context)
    status = (t("kn.saved_ceremony", lang, name=saved.full_name, date=format_date(ceremony_on, lang))
              if ceremony_on else t("kn.saved_no_ceremony", lang))
    return await confirm_saved(update, context,
                               t("cn.saved", lang, body=f"{_admission_summary(d, context)}\n{status}"))


# ── the conversation table ───────────────────────────────────────────────────────────────────

def build_admission_conversation(idle_seconds: float) -> ConversationHandler[Any]:
    """/ketnap, read top to bottom: candidate → decision number → its date → received → ceremony →
    summary → save."""
    back = button(trail.back(), r"^kn:back$")
    states: dict[object, Handlers] = {
        KN_CHOOSING_CANDIDATE: [button(on_page, r"^kn:p:\d{1,4}$"),
                                button(on_admitted_candidate, r"^kn:c:\d{1,12}$")],
        KN_ASKING_NUMBER: [text_answer(on_admission_number), back],
        KN_ASKING_DECISION_DATE: [text_answer(on_decision_date),
                                  button(on_decision_date, r"^kn:today$"), back],
        KN_ASKING_RECEIVED_DATE: [text_answer(on_received_date),
                                  button(on_received_date, r"^kn:(signed|today)$"), back],
        KN_ASKING_CEREMONY_DATE: [text_answer(on_ceremony_date), button(on_ceremony_date, r"^kn:today$"),
                                  button(on_ceremony_not_yet, r"^kn:notyet$"), back],
        KN_CONFIRMING: [button(on_admission_save, r"^kn:save$"), back],
    }
    return make_conversation(name=KN_FLOW, entry_points=[CommandHandler("ketnap", start_admission)],
                             states=states, idle_seconds=idle_seconds)


def register(app: Application) -> None:  # type: ignore[type-arg]
    idle_seconds = app.runtime.idle_seconds  # type: ignore[attr-defined]
    app.add_handler(build_admission_conversation(idle_seconds))
