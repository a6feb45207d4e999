"""What /tiendo (a cell's progress) and /tonghop (the ward at a glance) show, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.domain.cells import CellInfo
from bot.domain.deadlines import Deadline
from bot.domain.meetings import MeetingInfo
from bot.domain.quotas import Progress
from bot.domain.stages import Stage


@dataclass(frozen=True)
class CandidateDeadline:
    candidate_name: str
    deadline: Deadline


@dataclass(frozen=True)
class ProbationaryMember:
    """A đảng viên dự bị: no longer a quần chúng; the clocks are probation and its review."""

    name: str
    ceremony: date  # admitted (the ceremony), the start of probation
    probation_ends: date
    review_due: date  # the cell's full-membership review, working days after probation ends


def is_probationary(stage: Stage) -> bool:
    return stage is Stage.CEREMONY


@dataclass(frozen=True)
class CellStatus:
    cell: CellInfo
    year: int
    progress: Progress
    admitted: tuple[tuple[str, date], ...]
    stages: dict[Stage, int]
    last_meeting: MeetingInfo | None
    deadlines: tuple[CandidateDeadline, ...]
    probationary: tuple[ProbationaryMember, ...] = ()


@dataclass(frozen=True)
class CellRow:
    cell: CellInfo
    progress: Progress


@dataclass(frozen=True)
class WardSummary:
    committee_name: str
    year: int
    progress: Progress
    last_year_admitted: int
    vs_last_year: Decimal | None
    same_period_until: date | None  # set when the year is still running
    rows: tuple[CellRow, ...]  # cells behind first
    missing_meeting_month: tuple[int, int]
    cells_missing_meeting: tuple[str, ...]
    committee_window: str  # "2026-Q4"
    committee_not_attended: tuple[tuple[str, tuple[str, ...]], ...]
