"""Forgiving parsing of the dates and years people type on a phone ("12/3/2024", "12-03-2024", "1998")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.errors import InvalidInput

_DMY = re.compile(r"^\s*(\d{1,2})\s*[/\-.\s]\s*(\d{1,2})\s*[/\-.\s]\s*(\d{2}|\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True)
class LooseDate:
    """A date that may be known only to the year (a birth year is often all a secretary has)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def is_year_only(self) -> bool:
        return self.month is None

    def as_date(self) -> date:
        """The exact date, or 1 January of the year when only the year is known."""
        return date(self.year, self.month or 1, self.day or 1)


def _expand_year(y: int, today: date) -> int:
    """Two-digit years: '98' → 1998, '24' → 2024 (the nearest past-or-this-century reading)."""
    if y >= 100:
        return y
    century = today.year // 100 * 100
    return century + y if century + y <= today.year else century - 100 + y


def parse_date(text: str, today: date) -> date:
    """A day-month-year date in Vietnamese order (or ISO). Raises InvalidInput(reason=...)."""
    text = text.strip()
    m = _ISO.match(text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DMY.match(text)
        if not m:
            raise InvalidInput(field="date", reason="format", value=text[:40])
        d, mo, y = int(m[1]), int(m[2]), _expand_year(int(m[3]), today)
    try:
        return date(y, mo, d)
    except ValueError:
        raise InvalidInput(field="date", reason="impossible", value=text[:40]) from None


def parse_loose_date(text: str, today: date) -> LooseDate:
    """A full date or just a four-digit year."""
    m = _YEAR.match(text)
    if m:
        year = int(m[1])
        if not 1900 <= year <= today.year:
            raise InvalidInput(field="date", reason="year_range", value=text[:40])
        return LooseDate(year)
    d = parse_date(text, today)
    return LooseDate(d.year, d.month, d.day)


def age_in_months(birth: LooseDate, today: date) -> int:
    """Completed months of age. With a year only, counts from 1 January (the most generous reading)."""
    b = birth.as_date()
    months = (today.year - b.year) * 12 + (today.month - b.month)
    if today.day < b.day:
        months -= 1
    return months
