"""Working days: weekends, Tết and other public holidays, make-up Saturdays, month ends, leap years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.workdays import WorkCalendar, add_months

CAL = WorkCalendar()


def test_tet_2026_is_skipped() -> None:
    # Tết 2026: Mon 16/02 to Fri 20/02 are off, so Friday 13/02 + 1 working day is Monday 23/02.
    assert CAL.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_reunification_and_labour_day() -> None:
    # 30/04 and 01/05/2026 (Thu, Fri) are off: Wednesday 29/04 + 1 working day is Monday 04/05.
    assert CAL.add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)


def test_make_up_saturday_is_a_working_day() -> None:
    assert CAL.is_working_day(date(2025, 4, 26))  # Saturday worked in exchange for 02/05/2025
    assert not CAL.is_working_day(date(2025, 5, 2))


def test_thirty_working_days_spans_six_weeks_normally() -> None:
    assert CAL.add_working_days(date(2026, 6, 1), 30) == date(2026, 7, 13)


def test_local_overrides() -> None:
    cal = WorkCalendar(extra_holidays=[date(2026, 6, 2)], extra_workdays=[date(2026, 6, 6)])
    assert not cal.is_working_day(date(2026, 6, 2))
    assert cal.is_working_day(date(2026, 6, 6))


def test_add_months_clamps_month_ends_and_leap_years() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2021, 6, 15), 60) == date(2026, 6, 15)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 80))
def test_adding_n_working_days_passes_exactly_n(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, end) == n
    assert n == 0 or CAL.is_working_day(end)
    assert (end - start) >= timedelta(days=n)


def _one_day_at_a_time(cal: WorkCalendar, start: date, n: int) -> date:
    """The plain definition: step a day at a time, counting the working ones."""
    d = start
    while n:
        d += timedelta(days=1)
        n -= cal.is_working_day(d)
    return d


LOCAL = WorkCalendar(extra_holidays=[date(2026, 6, 2), date(2026, 12, 31)],
                     extra_workdays=[date(2026, 6, 6), date(2027, 1, 2)])


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 400),
       st.sampled_from([CAL, LOCAL]))
def test_counting_by_year_tables_matches_the_day_by_day_definition(
        start: date, n: int, cal: WorkCalendar) -> None:
    end = _one_day_at_a_time(cal, start, n)
    assert cal.add_working_days(start, n) == end
    assert cal.working_days_between(start, end) == n
    later = end + timedelta(days=n % 9)
    assert cal.working_days_between(start, later) == sum(
        cal.is_working_day(start + timedelta(days=i)) for i in range(1, (later - start).days + 1))


def test_local_overrides_move_the_counts_across_a_new_year() -> None:
    # 31/12/2026 (Thu) made a holiday, Saturday 02/01/2027 a working day; 01/01 is a holiday.
    assert LOCAL.add_working_days(date(2026, 12, 30), 1) == date(2027, 1, 2)
    assert LOCAL.working_days_between(date(2026, 12, 30), date(2027, 1, 4)) == 2


def test_an_absurd_count_is_refused() -> None:
    with pytest.raises(ValueError, match="too large"):
        CAL.add_working_days(date(2026, 1, 1), 3000)
