"""Who introduces a candidate and for how long they must have known them (issue #10, item 3):
youth age 30 vs 31 in months, the cell's kind, 11 vs 12 months, forgiving "since when"."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import RuleSettings
from bot.domain.cells import CellKind
from bot.domain.dates import LooseDate
from bot.domain.eligibility import Refused
from bot.domain.errors import InvalidInput
from bot.domain.introducers import (
    IntroducerKind,
    KnownSince,
    allowed_kinds,
    check_kind,
    check_known,
    clean_introduction,
    parse_known_since,
)

RULES = RuleSettings()
TODAY = date(2026, 11, 28)
BORN = LooseDate(1995, 12, 1)  # 30 years 11 months on 30/11/2026, 31 on 01/12/2026


def test_youth_age_ends_at_31_counted_in_months() -> None:
    youth, two = (IntroducerKind.YOUTH_UNION,), (IntroducerKind.TWO_MEMBERS,)
    assert allowed_kinds(BORN, date(2026, 11, 30), CellKind.RESIDENTIAL, RULES) == youth
    assert allowed_kinds(BORN, date(2026, 12, 1), CellKind.RESIDENTIAL, RULES) == two


def test_past_youth_age_a_workplace_cell_proposes_the_trade_union_first() -> None:
    assert allowed_kinds(BORN, date(2026, 12, 1), CellKind.AGENCY, RULES) == (
        IntroducerKind.TRADE_UNION, IntroducerKind.TWO_MEMBERS)
    youth = (IntroducerKind.YOUTH_UNION,)
    assert allowed_kinds(BORN, date(2026, 11, 30), CellKind.ENTERPRISE, RULES) == youth


def test_a_kind_not_allowed_names_the_one_required() -> None:
    with pytest.raises(InvalidInput) as info:
        check_kind("two_members", BORN, date(2026, 11, 30), CellKind.RESIDENTIAL, RULES)
    assert info.value.data["reason"] == "introducer_kind_not_allowed"
    assert info.value.data["allowed"] == "youth_union"
    with pytest.raises(InvalidInput):
        check_kind("youth_union", BORN, date(2026, 12, 1), CellKind.AGENCY, RULES)
    check_kind("two_members", BORN, date(2026, 12, 1), CellKind.AGENCY, RULES)  # a unit without a union


def test_a_birth_year_alone_near_31_asks_for_the_full_date() -> None:
    with pytest.raises(Refused) as info:
        allowed_kinds(LooseDate(1995), date(2026, 6, 1), CellKind.RESIDENTIAL, RULES)
    assert info.value.code == "birth_date_needed"
    assert allowed_kinds(LooseDate(2000), date(2026, 6, 1), CellKind.RESIDENTIAL, RULES) == (
        IntroducerKind.YOUTH_UNION,)


@pytest.mark.parametrize(("since", "months"), [
    (KnownSince(2025, 11), 12), (KnownSince(2025, 11, 28), 12), (KnownSince(2024, 3), 32)])
def test_twelve_months_known_is_enough(since: KnownSince, months: int) -> None:
    assert check_known(since, TODAY, RULES) == months


@pytest.mark.parametrize("since", [KnownSince(2025, 12), KnownSince(2025, 11, 29)])
def test_eleven_months_known_is_refused_with_the_count(since: KnownSince) -> None:
    with pytest.raises(InvalidInput) as info:
        check_known(since, TODAY, RULES)
    assert info.value.data["reason"] == "known_too_short"
    assert (info.value.data["months"], info.value.data["required"]) == (11, 12)


@pytest.mark.parametrize(("typed", "expected"), [
    ("3/2024", KnownSince(2024, 3)), ("03-2024", KnownSince(2024, 3)),
    ("tháng 3/2024", KnownSince(2024, 3)), ("T3/2024", KnownSince(2024, 3)),
    ("2024-03", KnownSince(2024, 3)), ("15/3/2024", KnownSince(2024, 3, 15)),
    ("từ 15/03/2024", KnownSince(2024, 3, 15)), ("tu thang 3 2024", KnownSince(2024, 3)),
])
def test_since_when_is_read_forgivingly(typed: str, expected: KnownSince) -> None:
    assert parse_known_since(typed, TODAY) == expected


@pytest.mark.parametrize(("typed", "reason"), [
    ("2024", "known_since_year_only"), ("13/2024", "known_since_format"), ("lâu rồi", "known_since_format"),
    ("1/2027", "known_since_future"), ("31/02/2024", "known_since_format"),
])
def test_since_when_that_cannot_be_checked_is_refused(typed: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_known_since(typed, TODAY)
    assert info.value.data["reason"] == reason


def test_the_stored_introduction_keeps_ids_periods_and_months() -> None:
    clean = clean_introduction({"kind": "two_members", "introducers": ["Lê Văn Hải", "Phạm Thị Lan"],
                                "member_ids": [7, None], "known_since": ["2024-03", "2020-01-15"]},
                               TODAY, RULES)
    assert clean == {"kind": "two_members", "introducers": ["Lê Văn Hải", "Phạm Thị Lan"],
                     "member_ids": [7, None], "known_since": ["2024-03", "2020-01-15"],
                     "months_known": [32, 82]}


@pytest.mark.parametrize("details", [
    {"kind": "two_members", "introducers": ["Lê Văn Hải", "lê văn hải"], "known_since": ["2024-03"] * 2},
    {"kind": "two_members", "introducers": ["A B", "C D"], "member_ids": [7, 7],
     "known_since": ["2024-03"] * 2},
    {"kind": "trade_union", "introducers": ["A B", "C D"], "known_since": ["2024-03"] * 2},
    {"kind": "party_cell", "introducers": ["A B"], "known_since": ["2024-03"]},
])
def test_the_same_person_twice_or_the_wrong_count_is_refused(details: dict[str, object]) -> None:
    with pytest.raises(InvalidInput, match="introducers_invalid"):
        clean_introduction(details, TODAY, RULES)


def test_an_introduction_without_the_period_is_refused() -> None:
    with pytest.raises(InvalidInput, match="known_since_missing"):
        clean_introduction({"kind": "youth_union", "introducers": ["Lê Tám"]}, TODAY, RULES)
