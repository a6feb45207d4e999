"""Pipeline rules: steps in order, dates possible, details complete, age warning, clocks."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import RuleSettings
from bot.domain.dates import LooseDate
from bot.domain.deadlines import Clock, candidate_deadlines
from bot.domain.errors import InvalidInput
from bot.domain.pipeline import (
    CandidateSnapshot,
    StepRefused,
    age_warning,
    check_step,
    validate_details,
)
from bot.domain.stages import Stage
from bot.domain.workdays import WorkCalendar

TODAY = date(2026, 11, 28)
RULES = RuleSettings()


def snapshot(stage: Stage, **dates: date) -> CandidateSnapshot:
    return CandidateSnapshot(stage, False, {Stage(k): v for k, v in dates.items()})


def test_the_next_step_is_accepted() -> None:
    check_step(snapshot(Stage.SPOTTED, spotted=date(2026, 1, 5)), Stage.COURSE, date(2026, 3, 1), TODAY)


def test_a_skipped_step_names_what_is_missing() -> None:
    with pytest.raises(StepRefused) as info:
        check_step(snapshot(Stage.COURSE), Stage.CELL_VOTE, date(2026, 3, 1), TODAY)
    assert info.value.code == "step_out_of_order"
    assert info.value.data == {"step": "cell_vote", "missing": "dossier"}


def test_dates_in_future_or_before_the_previous_step_are_refused() -> None:
    cand = snapshot(Stage.COURSE, spotted=date(2026, 1, 5), course=date(2026, 3, 1))
    with pytest.raises(InvalidInput) as future:
        check_step(cand, Stage.DOSSIER, date(2026, 11, 29), TODAY)
    assert future.value.data["reason"] == "future"
    with pytest.raises(InvalidInput) as earlier:
        check_step(cand, Stage.DOSSIER, date(2026, 2, 1), TODAY)
    assert earlier.value.data["reason"] == "before_previous_step"
    assert earlier.value.data["step"] == "course"


def test_dropped_and_finished_candidates_take_no_steps() -> None:
    with pytest.raises(StepRefused, match="candidate_dropped"):
        check_step(CandidateSnapshot(Stage.DOSSIER, True, {}), Stage.INTRODUCED, TODAY, TODAY)
    with pytest.raises(StepRefused, match="pipeline_complete"):
        check_step(snapshot(Stage.FULL_MEMBER), Stage.FULL_MEMBER, TODAY, TODAY)


@pytest.mark.parametrize(
    ("step", "details", "ok"),
    [
        (Stage.DECISION, {"number": " 123-QĐ/TU "}, {"number": "123-QĐ/TU"}),
        (Stage.INTRODUCED, {"kind": "two_members", "introducers": ["An", "Bình"]},
         {"kind": "two_members", "introducers": ["An", "Bình"]}),
        (Stage.INTRODUCED, {"kind": "youth_union", "introducers": ["An"]},
         {"kind": "youth_union", "introducers": ["An"]}),
        (Stage.CELL_VOTE, {"votes_for": 8, "votes_total": 12}, {"votes_for": 8, "votes_total": 12}),
    ],
)
def test_step_details_are_cleaned(step: Stage, details: dict, ok: dict) -> None:  # type: ignore[type-arg]
    assert validate_details(step, details) == ok


@pytest.mark.parametrize(
    ("step", "details", "reason"),
    [
        (Stage.DECISION, {"number": "  "}, "empty"),
        (Stage.DECISION, {"number": "x" * 41}, "too_long"),
        (Stage.INTRODUCED, {"kind": "two_members", "introducers": ["An"]}, "introducers_invalid"),
        (Stage.INTRODUCED, {"kind": "two_members", "introducers": ["An", "An"]}, "introducers_invalid"),
        (Stage.INTRODUCED, {"kind": "two_members", "introducers": ["Lê Văn Hải", "lê văn hải "]},
         "introducers_invalid"),
        (Stage.CELL_VOTE, {"votes_for": 7, "votes_total": 12}, "votes_below_two_thirds"),
        (Stage.CELL_VOTE, {"votes_for": 13, "votes_total": 12}, "votes_invalid"),
    ],
)
def test_bad_details_are_refused(step: Stage, details: dict, reason: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InvalidInput) as info:
        validate_details(step, details)
    assert info.value.data["reason"] == reason


def test_age_warning_outside_18_to_60_in_months() -> None:
    assert age_warning(LooseDate(2008, 11, 28), RULES, TODAY) is None  # 18 years exactly
    young = age_warning(LooseDate(2008, 11, 29), RULES, TODAY)
    assert young is not None and young["years"] == 17
    assert age_warning(LooseDate(1966, 11, 28), RULES, TODAY) is None  # 60 years, 0 months
    assert age_warning(LooseDate(1966, 10, 27), RULES, TODAY) is not None


def test_clocks_run_from_the_right_steps() -> None:
    cal = WorkCalendar()
    voted = date(2026, 9, 1)  # the decision clock runs from the cell vote, not the ward resolution
    [decision_due] = candidate_deadlines(Stage.WARD_RESOLUTION,
                                         {Stage.CELL_VOTE: voted, Stage.WARD_RESOLUTION: date(2026, 9, 20)},
                                         RULES, cal)
    assert decision_due.clock is Clock.DECISION_DUE and decision_due.started == voted
    assert cal.working_days_between(voted, decision_due.due) == 60
    ceremony = date(2025, 12, 15)
    clocks = candidate_deadlines(Stage.CEREMONY, {Stage.CEREMONY: ceremony}, RULES, cal)
    assert [c.clock for c in clocks] == [Clock.PROBATION_ENDS, Clock.REVIEW_DUE]
    assert clocks[0].due == date(2026, 12, 15)
    course = date(2021, 12, 20)
    clocks = candidate_deadlines(Stage.DOSSIER, {Stage.COURSE: course, Stage.DOSSIER: date(2026, 1, 5)},
                                 RULES, cal)
    assert {c.clock: c.due for c in clocks} == {
        Clock.CERTIFICATE_EXPIRES: date(2026, 12, 20), Clock.DOSSIER_STALE: date(2027, 1, 5)}


def test_invisible_names_are_empty() -> None:
    from bot.domain.pipeline import clean_text

    for blank in ("\u3164\u3164", "\u200b \u200b", "\x00"):
        with pytest.raises(InvalidInput) as info:
            clean_text(blank, "full_name")
        assert info.value.data["reason"] == "empty"
    assert clean_text("Nguye\u0302\u0303n\u200b Văn An", "full_name") == "Nguyễn Văn An"
