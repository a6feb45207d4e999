"""What /tiendo (a cell's progress) and /tonghop (the ward at a glance) show, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.cells import CellInfo
from bot.domain.deadlines import Deadline
from bot.domain.meetings import MeetingInfo
from bot.domain.quotas import Progress
from bot.domain.stages import Stage
from bot.domain.yearfigures import CellYear, WardYear


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
    last_meeting: MeetingInfo | None  # None for a past year: what is current is not shown
    deadlines: tuple[CandidateDeadline, ...]
    probationary: tuple[ProbationaryMember, ...] = ()
    figures: CellYear | None = None  # members, who set the quota, meetings held in the year
    candidates: tuple[CandidateLine, ...] = ()  # the drill-down: each candidate, by stage

    @property
    def running(self) -> bool:
        return self.figures is None or self.figures.period.running


@dataclass(frozen=True)
class CandidateLine:
    """A candidate in a cell's drill-down: the stage, how long in it, what is overdue."""

    name: str
    stage: Stage
    days_in_stage: int
    overdue: tuple[Deadline, ...]


@dataclass(frozen=True)
class WardNow:
    """What is current, shown only for the running year ("Tình hình hiện nay")."""

    missing_meeting_month: tuple[int, int]  # (year, month)
    cells_missing_meeting: tuple[str, ...]
    committee_window: str  # "2026-Q4"
    committee_not_attended: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class WardSummary:
    """/tonghop: the year's figures (bot.services.yearfigures) and, for the running year, now."""

    figures: WardYear
    now: WardNow | None

    @property
    def progress(self) -> Progress:
        return self.figures.progress
