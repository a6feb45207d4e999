"""Where the decision and ceremony clocks start (QĐ 232, 4.3.1 and 4.4), at their boundaries.

The decision is due 60 working days after the *cell* resolution; the ceremony 30 working days
after the cell *received* the decision (the signing date when the receipt was not recorded).
Vietnamese holidays of 2026 used here: 31/08 (moved from Saturday 22/08, which is worked), 01/09 and
02/09 (National Day), 24/11 (Ngày Văn hóa Việt Nam).
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import ReminderSettings, RuleSettings
from bot.domain.candidates import CandidateInfo, StepRecord
from bot.domain.dates import LooseDate
from bot.domain.deadlines import Clock, candidate_deadlines
from bot.domain.errors import InvalidInput
from bot.domain.pipeline import check_decision_received, validate_details
from bot.domain.reminders import CandidateFacts, CellFacts, Rule, WardFacts, decide
from bot.domain.stages import Stage
from bot.domain.workdays import WorkCalendar
from bot.texts.reminders import reminder_line

RULES = RuleSettings()
PARAMS = ReminderSettings()
CAL = WorkCalendar()
SEC, COM, ADMIN = 1, 2, 3


def _due(clock: Clock, stage: Stage, events: dict[Stage, date], received: date | None = None) -> date:
    [found] = [d for d in candidate_deadlines(stage, events, RULES, CAL, received) if d.clock is clock]
    return found.due


# --- item 1: the decision clock starts at the cell resolution ----------------------------------
def test_cell_vote_on_18_08_2026_makes_the_decision_due_on_12_11_2026() -> None:
    voted = {Stage.CELL_VOTE: date(2026, 8, 18)}
    assert _due(Clock.DECISION_DUE, Stage.CELL_VOTE, voted) == date(2026, 11, 12)


def test_the_ward_resolution_does_not_restart_the_decision_clock() -> None:
    events = {Stage.CELL_VOTE: date(2026, 8, 18), Stage.WARD_RESOLUTION: date(2026, 9, 10)}
    assert _due(Clock.DECISION_DUE, Stage.WARD_RESOLUTION, events) == date(2026, 11, 12)


def test_the_decision_clock_stops_when_the_decision_is_recorded() -> None:
    events = {Stage.CELL_VOTE: date(2026, 8, 18), Stage.WARD_RESOLUTION: date(2026, 9, 10),
              Stage.DECISION: date(2026, 10, 1)}
    clocks = {d.clock for d in candidate_deadlines(Stage.DECISION, events, RULES, CAL)}
    assert Clock.DECISION_DUE not in clocks and Clock.CEREMONY_DUE in clocks


def test_a_decision_due_on_a_holiday_moves_to_the_next_working_day() -> None:
    # Counting from Thursday 27/08/2026 the 60th working day would be Tuesday 24/11 (Ngày Văn hóa
    # Việt Nam, a day off), so it is Wednesday 25/11.
    assert not CAL.is_working_day(date(2026, 11, 24))
    assert _due(Clock.DECISION_DUE, Stage.CELL_VOTE, {Stage.CELL_VOTE: date(2026, 8, 27)}) \
        == date(2026, 11, 25)


# --- item 2: the ceremony clock starts when the decision is received ---------------------------
def test_without_a_received_date_the_ceremony_clock_runs_from_the_signing() -> None:
    signed = {Stage.DECISION: date(2026, 11, 5)}
    assert _due(Clock.CEREMONY_DUE, Stage.DECISION, signed) == date(2026, 12, 18)
    assert _due(Clock.CEREMONY_DUE, Stage.DECISION, signed, received=date(2026, 11, 5)) == date(2026, 12, 18)


def test_the_ceremony_clock_runs_from_the_day_the_decision_was_received() -> None:
    signed = {Stage.DECISION: date(2026, 10, 20)}
    assert _due(Clock.CEREMONY_DUE, Stage.DECISION, signed) == date(2026, 12, 2)
    assert _due(Clock.CEREMONY_DUE, Stage.DECISION, signed, received=date(2026, 11, 5)) == date(2026, 12, 18)


def test_received_on_the_friday_before_national_day_counts_from_thursday_03_09() -> None:
    # Received Friday 28/08/2026: 31/08, 01/09 and 02/09 are off, so day 1 is Thursday 03/09 and
    # day 30 is Wednesday 14/10 (counting from the signing, 20/08, it would be Monday 05/10).
    signed = {Stage.DECISION: date(2026, 8, 20)}
    assert CAL.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)
    assert _due(Clock.CEREMONY_DUE, Stage.DECISION, signed, received=date(2026, 8, 28)) == date(2026, 10, 14)
    assert _due(Clock.CEREMONY_DUE, Stage.DECISION, signed) == date(2026, 10, 5)


def test_the_received_date_lives_in_the_decision_steps_details() -> None:
    clean = validate_details(Stage.DECISION, {"number": "123-QĐ/TU", "received_on": "2026-11-05"})
    assert clean == {"number": "123-QĐ/TU", "received_on": "2026-11-05"}
    assert validate_details(Stage.DECISION, {"number": "123-QĐ/TU"}) == {"number": "123-QĐ/TU"}
    candidate = CandidateInfo(1, 16, "Nguyễn Thị Hoa", LooseDate(2000), "female", "worker", "",
                              Stage.DECISION, None, "",
                              {Stage.DECISION: StepRecord(date(2026, 10, 20), clean)})
    assert candidate.decision_received_on == date(2026, 11, 5)


@pytest.mark.parametrize(("received", "reason"), [
    (date(2026, 10, 19), "received_before_signed"),  # a day before the signing
    (date(2026, 12, 2), "future"),  # tomorrow
])
def test_a_received_date_before_the_signing_or_in_the_future_is_refused(received: date, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_decision_received(date(2026, 10, 20), received, today=date(2026, 12, 1))
    assert refused.value.data["reason"] == reason


@pytest.mark.parametrize("received", [date(2026, 10, 20), date(2026, 12, 1)])
def test_received_on_the_signing_day_or_today_is_accepted(received: date) -> None:
    check_decision_received(date(2026, 10, 20), received, today=date(2026, 12, 1))


# --- the reminders follow the same clocks ------------------------------------------------------
def _ward(candidate: CandidateFacts) -> WardFacts:
    cell = CellFacts(id=16, name="Chi bộ tổ 16", quota=1, admitted=0, awaiting_decision=1,
                     in_pipeline=1, met_last_month=True, secretaries=(SEC,), committee=(COM,))
    return WardFacts(cells=(cell,), attendance=(), absences=(), candidates=(candidate,),
                     admins=(ADMIN,), unreachable=())


def test_the_decision_reminder_counts_from_the_cell_vote_and_says_overdue_after_the_due_day() -> None:
    waiting = CandidateFacts(7, "Nguyễn Thị Hoa", 16, Stage.WARD_RESOLUTION,
                             {Stage.CELL_VOTE: date(2026, 8, 18), Stage.WARD_RESOLUTION: date(2026, 9, 10)})
    assert not [r for r in decide(_ward(waiting), date(2026, 11, 12), PARAMS, RULES, CAL)
                if r.rule is Rule.DECISION_OVERDUE]
    [late] = [r for r in decide(_ward(waiting), date(2026, 11, 13), PARAMS, RULES, CAL)
              if r.rule is Rule.DECISION_OVERDUE]
    assert late.recipient == ADMIN and late.facts["due"] == "2026-11-12"
    line = reminder_line(late.rule.value, late.facts, "vi")
    assert "ĐÃ QUÁ HẠN" in line and "12/11/2026" in line and "18/08/2026" in line


def test_the_ceremony_reminder_warns_from_the_receipt_then_says_overdue() -> None:
    decided = CandidateFacts(7, "Nguyễn Thị Hoa", 16, Stage.DECISION, {Stage.DECISION: date(2026, 10, 20)},
                             decision_received=date(2026, 11, 5))

    def ceremony(d: date) -> list[dict[str, object]]:
        return [r.facts for r in decide(_ward(decided), d, PARAMS, RULES, CAL)
                if r.rule is Rule.CEREMONY_DUE and r.recipient == SEC]

    # 25 working days after the signing but only 19 after the receipt: no warning yet.
    assert CAL.working_days_between(date(2026, 11, 5), date(2026, 12, 2)) < PARAMS.ceremony_warn_working_days
    assert ceremony(date(2026, 12, 2)) == []
    [warned] = ceremony(date(2026, 12, 14))
    assert warned["due"] == "2026-12-18" and not warned.get("overdue")
    assert "ĐÃ QUÁ HẠN" not in reminder_line("ceremony_due", warned, "vi")
    assert ceremony(date(2026, 12, 18))[0].get("overdue") is None
    [late] = ceremony(date(2026, 12, 21))
    assert reminder_line("ceremony_due", late, "vi").endswith(
        "ĐÃ QUÁ HẠN tổ chức lễ kết nạp (hạn 18/12/2026) — tổ chức muộn cần ý kiến cấp ủy cấp trên.")
