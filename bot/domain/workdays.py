"""Working days in Vietnam: weekends and public holidays (Tết, Hùng Kings, 30/4, 1/5, 2/9 …) are off,
government make-up Saturdays are on. Holiday data comes from the `holidays` package (no I/O).

Deadlines such as "ceremony within 30 working days of the decision" count working days *after*
the starting date: the start day itself is day 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

_MAX_SPAN_DAYS = 3660  # no clock here runs for ten years; guards a loop fed a nonsense count


@lru_cache(maxsize=64)
def _vietnam(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


class WorkCalendar:
    """Vietnamese working days, with optional local additions (a decree the package does not know)."""

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()):
        self._extra_holidays = frozenset(extra_holidays)
        self._extra_workdays = frozenset(extra_workdays)

    def is_working_day(self, d: date) -> bool:
        if d in self._extra_workdays:
            return True
        if d in self._extra_holidays:
            return False
        return bool(_vietnam(d.year).is_working_day(d))

    def add_working_days(self, start: date, count: int) -> date:
        """The date that is the `count`-th working day after `start`."""
        if count < 0:
            raise ValueError("count must be ≥ 0")
        d, left = start, count
        while left:
            d += timedelta(days=1)
            if (d - start).days > _MAX_SPAN_DAYS:
                raise ValueError("working-day count too large")
            if self.is_working_day(d):
                left -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many have passed since `start` by the end of `end`."""
        if end <= start:
            return 0
        return sum(self.is_working_day(start + timedelta(days=i))
                   for i in range(1, (end - start).days + 1))


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
