"""Reminder rules at their boundaries, with an injected date: quiet hours, month ends, Tết, leap years."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.config import ReminderSettings, RuleSettings
from bot.domain.meetings import attendance_window
from bot.domain.reminders import (
    AbsenceFacts,
    AttendanceFacts,
    CandidateFacts,
    CellFacts,
    Rule,
    WardFacts,
    decide,
    in_quiet_hours,
    next_allowed,
    quota_push_due,
)
from bot.domain.stages import Stage
from bot.domain.workdays import WorkCalendar

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PARAMS = ReminderSettings()
RULES = RuleSettings()
CAL = WorkCalendar()
SEC, COM, ADMIN = 1, 2, 3


def ward(*, admitted: int = 0, met: bool = True, candidates: tuple[CandidateFacts, ...] = (),
         attendance: tuple[AttendanceFacts, ...] = (), absences: tuple[AbsenceFacts, ...] = ()) -> WardFacts:
    cell = CellFacts(id=16, name="Chi bộ tổ 16", quota=1, admitted=admitted, awaiting_decision=1,
                     in_pipeline=3, met_last_month=met, secretaries=(SEC,), committee=(COM,))
    return WardFacts(cells=(cell,), attendance=attendance, absences=absences, candidates=candidates,
                     admins=(ADMIN,), unreachable=())


def rules_for(facts: WardFacts, d: date) -> set[tuple[Rule, int]]:
    return {(r.rule, r.recipient) for r in decide(facts, d, PARAMS, RULES, CAL)}


# --- quiet hours --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("moment", "quiet"),
    [(time(20, 59), False), (time(21, 0), True), (time(23, 59), True), (time(0, 0), True),
     (time(6, 59), True), (time(7, 0), False), (time(12, 0), False)],
)
def test_quiet_hour_edges(moment: time, quiet: bool) -> None:
    assert in_quiet_hours(moment, time(21, 0), time(7, 0)) is quiet


def test_pushes_wait_for_the_morning_never_dropped() -> None:
    evening = datetime(2026, 12, 31, 21, 30, tzinfo=HCM)
    assert next_allowed(evening, time(21, 0), time(7, 0)) == datetime(2027, 1, 1, 7, 0, tzinfo=HCM)
    early = datetime(2026, 3, 1, 6, 59, tzinfo=HCM)
    assert next_allowed(early, time(21, 0), time(7, 0)) == datetime(2026, 3, 1, 7, 0, tzinfo=HCM)
    day = datetime(2026, 3, 1, 8, 0, tzinfo=HCM)
    assert next_allowed(day, time(21, 0), time(7, 0)) == day
    assert not in_quiet_hours(time(3, 0), time(0, 0), time(0, 0))  # equal bounds: never quiet


# --- schedules ----------------------------------------------------------------------------------
def test_quota_pushes_monthly_from_july_and_weekly_in_december() -> None:
    assert not quota_push_due(date(2026, 6, 1), PARAMS)
    assert quota_push_due(date(2026, 7, 1), PARAMS)
    assert not quota_push_due(date(2026, 7, 2), PARAMS)
    mondays = [d for d in range(1, 32) if quota_push_due(date(2026, 12, d), PARAMS)]
    assert mondays == [1, 7, 14, 21, 28]  # the 1st (a Tuesday) and every Monday


def test_quota_reminder_goes_to_secretary_committee_and_a_digest_to_the_admin() -> None:
    assert rules_for(ward(), date(2026, 10, 1)) >= {
        (Rule.QUOTA_PACE, SEC), (Rule.QUOTA_PACE, COM), (Rule.DIGEST_QUOTA, ADMIN)}
    assert not {r for r, _ in rules_for(ward(admitted=1), date(2026, 10, 1))} & {Rule.QUOTA_PACE}


def test_meeting_missing_on_day_5_then_escalated_on_day_10_across_the_year_end() -> None:
    facts = ward(met=False)
    assert not {r for r, _ in rules_for(facts, date(2027, 1, 4))} & {Rule.MEETING_MISSING}
    day5 = decide(facts, date(2027, 1, 5), PARAMS, RULES, CAL)
    missing = [r for r in day5 if r.rule is Rule.MEETING_MISSING]
    assert [(r.recipient, r.period) for r in missing] == [(SEC, "2026-12")]
    assert Rule.MEETING_ESCALATED not in {r.rule for r in day5}
    day10 = rules_for(facts, date(2027, 1, 10))
    assert (Rule.MEETING_ESCALATED, COM) in day10 and (Rule.DIGEST_MEETINGS, ADMIN) in day10


def test_committee_attendance_checked_in_the_windows_last_month() -> None:
    absent = (AttendanceFacts(COM, "Đức", 16, "Chi bộ tổ 16", attended=False),)
    assert not rules_for(ward(attendance=absent), date(2026, 11, 30)) & {(Rule.COMMITTEE_ABSENT, COM)}
    found = decide(ward(attendance=absent), date(2026, 12, 1), PARAMS, RULES, CAL)
    assert {(r.rule, r.period) for r in found if r.recipient == COM and r.rule is Rule.COMMITTEE_ABSENT} == {
        (Rule.COMMITTEE_ABSENT, "2026-Q4")}
    assert attendance_window(date(2024, 2, 29), "quarter")[:2] == (date(2024, 1, 1), date(2024, 3, 31))
    assert attendance_window(date(2024, 2, 29), "month")[1] == date(2024, 2, 29)  # leap-year month end


def test_absences_warn_at_two_and_ask_removal_at_three_once_each() -> None:
    two = decide(ward(absences=(AbsenceFacts(40, "Lê An", 16, 2),)), date(2026, 6, 3), PARAMS, RULES, CAL)
    three = decide(ward(absences=(AbsenceFacts(40, "Lê An", 16, 5),)), date(2026, 9, 3), PARAMS, RULES, CAL)
    [w] = [r for r in two if r.rule is Rule.MEMBER_ABSENCES]
    [x] = [r for r in three if r.rule is Rule.MEMBER_ABSENCES]
    assert (w.period, w.facts["removal"]) == ("2026:2", False)
    assert (x.period, x.facts["removal"]) == ("2026:3", True)  # 5 absences: still the one removal notice
    one = decide(ward(absences=(AbsenceFacts(40, "Lê An", 16, 1),)), date(2026, 6, 3), PARAMS, RULES, CAL)
    assert Rule.MEMBER_ABSENCES not in {r.rule for r in one}


def _candidate(stage: Stage, **events: date) -> CandidateFacts:
    return CandidateFacts(7, "Nguyễn Thị Hoa", 16, stage, {Stage(k): v for k, v in events.items()})


def test_ceremony_warning_counts_working_days_across_tet() -> None:
    decided = date(2026, 1, 20)
    # 25 working days after 20/01/2026 skip the Tết week (16–20/02): the warning starts 03/03.
    facts = ward(candidates=(_candidate(Stage.DECISION, decision=decided),))
    assert CAL.working_days_between(decided, date(2026, 2, 27)) == 23
    assert (Rule.CEREMONY_DUE, SEC) not in rules_for(facts, date(2026, 3, 2))
    [due] = [r for r in decide(facts, date(2026, 3, 3), PARAMS, RULES, CAL) if r.rule is Rule.CEREMONY_DUE
             and r.recipient == SEC]
    assert due.facts["due"] == "2026-03-10"  # 30 working days; without Tết it would be 03/03


def test_probation_review_decision_certificate_and_dossier_clocks() -> None:
    ceremony = _candidate(Stage.CEREMONY, ceremony=date(2025, 12, 29))
    assert (Rule.PROBATION_ENDING, SEC) not in rules_for(ward(candidates=(ceremony,)), date(2026, 11, 28))
    assert (Rule.PROBATION_ENDING, SEC) in rules_for(ward(candidates=(ceremony,)), date(2026, 11, 29))
    late = rules_for(ward(candidates=(ceremony,)), date(2027, 3, 1))
    assert (Rule.REVIEW_OVERDUE, SEC) in late and (Rule.REVIEW_OVERDUE, COM) in late
    # The decision clock runs from the cell vote (QĐ 232, 4.3.1), not the ward resolution.
    waiting = _candidate(Stage.WARD_RESOLUTION, cell_vote=date(2026, 8, 3), ward_resolution=date(2026, 8, 20))
    due_day = CAL.add_working_days(date(2026, 8, 3), 60)
    assert (Rule.DECISION_OVERDUE, ADMIN) not in rules_for(ward(candidates=(waiting,)), due_day)
    assert (Rule.DECISION_OVERDUE, ADMIN) in rules_for(ward(candidates=(waiting,)),
                                                       CAL.add_working_days(due_day, 1))
    course = _candidate(Stage.DOSSIER, course=date(2022, 2, 20), dossier=date(2025, 11, 28))
    found = rules_for(ward(candidates=(course,)), date(2026, 11, 28))
    assert (Rule.CERTIFICATE_EXPIRING, SEC) in found  # expires 20/02/2027: within 90 days
    assert (Rule.DOSSIER_STALE, SEC) in found  # exactly 12 months old


def test_every_reminder_has_a_unique_key() -> None:
    facts = ward(met=False, candidates=(_candidate(Stage.DECISION, decision=date(2026, 1, 2)),))
    found = decide(facts, date(2026, 12, 7), PARAMS, RULES, CAL)
    keys = [(r.rule, r.subject, r.period, r.recipient) for r in found]
    assert len(keys) == len(set(keys)) and len(keys) > 3


def test_a_one_month_attendance_window_is_judged_in_its_last_days() -> None:
    from bot.domain.reminders import committee_check_due

    assert not committee_check_due(date(2026, 2, 1), "month")
    assert committee_check_due(date(2026, 2, 22), "month")
    assert committee_check_due(date(2026, 12, 1), "quarter")
    assert not committee_check_due(date(2026, 11, 30), "quarter")


def test_parse_int_refuses_odd_digits_and_ids_beyond_32_bits() -> None:
    from bot.handlers.keyboards import parse_int

    assert parse_int("42") == 42
    assert parse_int("²") is None and parse_int("٣") is None and parse_int("-1") is None
    assert parse_int("2147483647") == 2**31 - 1
    assert parse_int("2147483648") is None and parse_int("999999999999") is None
