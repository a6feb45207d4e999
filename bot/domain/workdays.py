"""Working days in Vietnam: weekends and public holidays (Tết, Hùng Kings, 30/4, 1/5, 2/9 …) are off,
government make-up Saturdays are on. Holiday data comes from the `holidays` package (no I/O).

Deadlines such as "ceremony within 30 working days of the decision" count working days *after*
the starting date: the start day itself is day 0.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import holidays

_MAX_SPAN_DAYS = 3660  # no clock here runs for ten years; guards a loop fed a nonsense count


@lru_cache(maxsize=64)
def _vietnam(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


@lru_cache(maxsize=64)
def _vietnam_working_days(year: int) -> tuple[int, ...]:
    """The year's Vietnamese working days as sorted ordinals: asked of the calendar once per day of
    the year, then every count is a binary search (a sweep counts clocks for thousands of people)."""
    first = date(year, 1, 1).toordinal()
    days = (date.fromordinal(first + i) for i in range(date(year, 12, 31).toordinal() - first + 1))
    return tuple(d.toordinal() for d in days if _vietnam(year).is_working_day(d))


class WorkCalendar:
    """Vietnamese working days, with optional local additions (a decree the package does not know)."""

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()):
        self._extra_holidays = frozenset(extra_holidays)
        self._extra_workdays = frozenset(extra_workdays)
        self._years: dict[int, tuple[int, ...]] = {}

    def is_working_day(self, d: date) -> bool:
        if d in self._extra_workdays:
            return True
        if d in self._extra_holidays:
            return False
        return bool(_vietnam(d.year).is_working_day(d))

    def _working_days(self, year: int) -> tuple[int, ...]:
        """Sorted ordinals of the year's working days, local additions included."""
        days = self._years.get(year)
        if days is None:
            days = _vietnam_working_days(year)
            if self._extra_holidays or self._extra_workdays:
                local = {d.toordinal(): self.is_working_day(d)
                         for d in self._extra_holidays | self._extra_workdays if d.year == year}
                days = tuple(sorted({o for o in days if local.get(o, True)}
                                    | {o for o, working in local.items() if working}))
            self._years[year] = days
        return days

    def add_working_days(self, start: date, count: int) -> date:
        """The date that is the `count`-th working day after `start`."""
        if count < 0:
            raise ValueError("count must be ≥ 0")
        if count == 0:
            return start
        origin, left, year = start.toordinal(), count, start.year
        days = self._working_days(year)
        index = bisect_right(days, origin)
        while index + left > len(days):
            left -= len(days) - index
            year, index = year + 1, 0
            if date(year, 1, 1).toordinal() - origin > _MAX_SPAN_DAYS:
                raise ValueError("working-day count too large")
            days = self._working_days(year)
        found = days[index + left - 1]
        if found - origin > _MAX_SPAN_DAYS:
            raise ValueError("working-day count too large")
        return date.fromordinal(found)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many have passed since `start` by the end of `end`."""
        if end <= start:
            return 0
        total = 0
        for year in range(start.year, end.year + 1):
            days = self._working_days(year)
            total += bisect_right(days, end.toordinal()) - bisect_right(days, start.toordinal())
        return total


def add_months(d: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31/01 + 1 month → 28 or 29/02)."""
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(day, d.day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover
