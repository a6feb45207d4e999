"""The year's report as plain data: what the workbook, the charts and the báo cáo paragraph show.

Built by `bot.services.reports.year_report` from set-based queries; rendered by `bot.reports`
(workbook, charts) and `bot.texts.report` (the paragraph). Membership figures are optional
(`None`: not known for this database), so the renderers show them only when they exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.domain.deadlines import Clock
from bot.domain.quotas import Progress, compare_to_last_year
from bot.domain.stages import Stage


@dataclass(frozen=True)
class Members:
    """Members at the end of the year and the change on the end of the year before."""

    at_end: int
    change: int


@dataclass(frozen=True)
class MeetingFigures:
    """Meetings in the year: months with a meeting against months due, attendance."""

    held: int  # months (of the months due) in which the cell met; for the ward, summed over cells
    due: int  # months due: 12 for a past year, the months already over for the running year
    present: int  # summed over the year's meetings
    expected: int
    committee_attended: int  # meetings the committee member in charge attended
    meetings: int  # meetings held in the year (a month may hold two)

    @property
    def attendance(self) -> Decimal | None:
        """Average attendance (present ÷ expected, in percent), None without any meeting."""
        if self.expected <= 0:
            return None
        return (Decimal(self.present) * 100 / Decimal(self.expected)).quantize(Decimal("0.01"))

    @property
    def committee_rate(self) -> Decimal | None:
        if self.meetings <= 0:
            return None
        return (Decimal(self.committee_attended) * 100 / Decimal(self.meetings)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class YearFigures:
    """One cell's year, or the ward's (or a committee member's cells') in total."""

    name: str
    progress: Progress
    last_year: int  # admitted in the same period of the year before
    members: Members | None
    stages: dict[Stage, int]  # current candidates by stage
    meetings: MeetingFigures
    quota_set_by: str = ""  # who set the quota ("Thành ủy Thái Nguyên"), when known

    @property
    def vs_last_year(self) -> Decimal | None:
        return compare_to_last_year(self.progress.admitted, self.last_year)

    @property
    def candidates(self) -> int:
        return sum(self.stages.values())


@dataclass(frozen=True)
class CandidateLine:
    """A current candidate as the ward's monthly meeting reviews them."""

    cell: str
    name: str
    stage: Stage
    entered: date  # the date of the current stage's step
    days_in_stage: int
    next_clock: Clock | None
    next_due: date | None
    overdue: bool  # the next deadline is already past on the report's day


@dataclass(frozen=True)
class MeetingMonth:
    """A cell's meetings in one month."""

    cell: str
    month: int
    meetings: int
    expected: int
    present: int
    absent_excused: int
    absent_unexcused: int
    committee_attended: int


@dataclass(frozen=True)
class StageFunnel:
    stage: Stage
    count: int
    median_days: float | None  # median days the candidates now at this stage have spent in it


@dataclass(frozen=True)
class YearReport:
    """Everything `/baocao` and `chibo report` deliver for one year and one scope."""

    committee: str  # "Đảng bộ phường Hoàng Văn Thụ"
    superior: str  # "Thành ủy Thái Nguyên"
    scope: str  # "ward" | "cells" (a committee member's) | "cell" (a secretary's)
    year: int
    today: date
    same_period_until: date | None  # set while the year runs: last year is compared up to this day
    total: YearFigures
    cells: tuple[YearFigures, ...]  # cells behind first
    candidates: tuple[CandidateLine, ...]
    meetings: tuple[MeetingMonth, ...]
    monthly: tuple[int, ...]  # admissions in each month of the year (12)
    monthly_last_year: tuple[int, ...]
    funnel: tuple[StageFunnel, ...]


def cumulative(counts: tuple[int, ...] | list[int]) -> list[int]:
    out, total = [], 0
    for n in counts:
        total += n
        out.append(total)
    return out


def median(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
