"""Forgiving date input: the formats secretaries type, impossible dates refused with a reason."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.dates import LooseDate, age_in_months, parse_date, parse_loose_date
from bot.domain.errors import InvalidInput

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12/3/2024", date(2024, 3, 12)),
        ("12-03-2024", date(2024, 3, 12)),
        ("12.03.2024", date(2024, 3, 12)),
        (" 1/1/24 ", date(2024, 1, 1)),
        ("2024-03-12", date(2024, 3, 12)),
        ("29/02/2024", date(2024, 2, 29)),
        ("5/6/98", date(1998, 6, 5)),
    ],
)
def test_accepted_formats(typed: str, expected: date) -> None:
    assert parse_date(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("31/02/2024", "impossible"), ("29/02/2023", "impossible"), ("hôm qua", "format"),
     ("", "format"), ("12/13/2024", "impossible"), ("1/2/3/4", "format")],
)
def test_refused_dates_say_why(typed: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_date(typed, TODAY)
    assert info.value.data["reason"] == reason


def test_year_only_birth() -> None:
    assert parse_loose_date("1998", TODAY) == LooseDate(1998)
    assert parse_loose_date("12/3/1998", TODAY) == LooseDate(1998, 3, 12)
    with pytest.raises(InvalidInput):
        parse_loose_date("2099", TODAY)


def test_age_in_months_counts_completed_months() -> None:
    assert age_in_months(LooseDate(2008, 11, 28), TODAY) == 18 * 12
    assert age_in_months(LooseDate(2008, 11, 29), TODAY) == 18 * 12 - 1
    assert age_in_months(LooseDate(2008), TODAY) == 18 * 12 + 10


@given(st.dates(min_value=date(1930, 1, 1), max_value=TODAY))
def test_every_real_date_round_trips_through_vietnamese_format(d: date) -> None:
    assert parse_date(d.strftime("%d/%m/%Y"), TODAY) == d
    assert parse_date(f"{d.day}-{d.month}-{d.year}", TODAY) == d

