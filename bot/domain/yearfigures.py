"""A year's figures for the ward and each of its cells, as plain data (bot.services.yearfigures
fills them; /tonghop, /tiendo and the /baocao workbook read them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.cells import CellInfo
from bot.domain.membership import Movement
from bot.domain.quotas import Progress, Quota, compare_to_last_year
from bot.domain.stages import Stage


@dataclass(frozen=True)
class Period:
    """The year asked for: [start, end], and last year's same period [last_start, last_end]."""

    year: int
    start: date
    end: date
    last_start: date
    last_end: date
    running: bool  # the year is not over: `end` is today

    @classmethod
    def of(cls, year: int, today: date) -> Period:
        running = year == today.year
        end = today if running else date(year, 12, 31)
        if running:  # compare like with like: 1 January to today, this year and last
            last_end = date(year - 1, 2, 28) if (today.month, today.day) == (2, 29) \
                else today.replace(year=year - 1)
        else:
            last_end = date(year - 1, 12, 31)
        return cls(year, date(year, 1, 1), end, date(year - 1, 1, 1), last_end, running)

    @property
    def months_due(self) -> int:
        """Monthly meetings due in the period: every month of a past year; the months already
        over in the running one."""
        return self.end.month - 1 if self.running else 12

    @property
    def meetings_until(self) -> date:
        """The last day of the months due."""
        return date(self.year, self.months_due + 1, 1) - timedelta(days=1) if self.running else self.end


def _percent(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CellYear:
    """One cell's year."""

    cell: CellInfo
    period: Period
    admitted: int
    quota: Quota
    last_year_admitted: int  # the same period of last year
    members_end: int  # at the end of the period (31 December, or today)
    members_last_end: int  # at the end of last year
    movement: Movement  # who came and went in the period
    stages: dict[Stage, int]  # candidates by stage at the end of the period
    meetings_held: int  # months with a meeting, of the months due
    meetings_due: int
    present: int  # members present, summed over the period's meetings
    expected: int

    @property
    def progress(self) -> Progress:
        return Progress(self.admitted, self.quota.value)

    @property
    def percent(self) -> Decimal | None:
        return self.progress.percent

    @property
    def change(self) -> int:
        return self.members_end - self.members_last_end

    @property
    def attendance(self) -> Decimal | None:
        return _percent(self.present, self.expected)


@dataclass(frozen=True)
class WardYear:
    """The ward's year, with one row per active cell (in the cells' stored order)."""

    committee_name: str
    superior_name: str
    period: Period
    admitted: int  # every admission in the ward, cells since closed included
    quota: Quota
    last_year_admitted: int
    members_end: int
    members_last_end: int
    movement: Movement
    cells: tuple[CellYear, ...]

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def progress(self) -> Progress:
        return Progress(self.admitted, self.quota.value)

    @property
    def vs_last_year(self) -> Decimal | None:
        return compare_to_last_year(self.admitted, self.last_year_admitted)

    @property
    def change(self) -> int:
        return self.members_end - self.members_last_end
