"""The demo ward's plan, in memory: what is decided for each cell, member, candidate, meeting and
user before one bulk write; and the working-day calendar the planning counts with."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.demo.ward import BASE_RESIDENTIAL_CELLS, OTHER_CELLS
from bot.domain.candidates import Background, Gender
from bot.domain.cells import CellKind
from bot.domain.members import MemberStatus
from bot.domain.roles import Role
from bot.domain.stages import Stage
from bot.domain.workdays import WorkCalendar

# ── Calendar ──────────────────────────────────────────────────────────────────────────────────


class PlanCalendar:
    """The domain's working days (bot.domain.workdays), the calendar the reminders count with,
    stepped both ways and memoised: the plan asks about the same few thousand days again and
    again."""

    def __init__(self) -> None:
        self.calendar = WorkCalendar()
        self.known: dict[date, bool] = {}

    def is_working(self, d: date) -> bool:
        working = self.known.get(d)
        if working is None:
            working = self.known[d] = self.calendar.is_working_day(d)
        return working

    def shift(self, d: date, days: int) -> date:
        """`days` working days after `d` (before it when negative)."""
        step = timedelta(days=1 if days >= 0 else -1)
        for _ in range(abs(days)):
            d += step
            while not self.is_working(d):
                d += step
        return d

    def on_or_after(self, d: date) -> date:
        while not self.is_working(d):
            d += timedelta(days=1)
        return d


# ── The plan (everything decided in memory before one bulk write) ─────────────────────────────

Timeline = dict[Stage, date]


@dataclass(slots=True)
class CellPlan:
    name: str
    kind: CellKind
    quota: int  # the per-kind default (the row itself keeps quota NULL)
    secretary: int = -1  # index of the secretary's member plan
    meeting_day: int = 10


@dataclass(slots=True)
class MemberPlan:
    cell: int
    full_name: str
    admitted_on: date
    status: MemberStatus = MemberStatus.FULL
    left_on: date | None = None
    left_how: str = ""  # bot.domain.membership.LeaveKind's value
    joined_how: str = ""  # JoinKind's: "admitted" for those admitted at a ceremony since 2022


@dataclass(slots=True)
class CandidatePlan:
    cell: int
    gender: Gender
    birth: date
    birth_year_only: bool
    background: Background
    events: Timeline  # pipeline order, none after `today`
    dropped_on: date | None = None
    dropped_reason: str = ""
    full_name: str = ""
    helper: int = -1  # member plan index
    introducers: list[int] = field(default_factory=list)
    details: dict[Stage, dict[str, Any]] = field(default_factory=dict)

    @property
    def stage(self) -> Stage:
        return next(reversed(self.events))


@dataclass(slots=True)
class MeetingPlan:
    cell: int
    held_on: date
    kind: str
    expected: int
    absences: list[tuple[int, bool]]  # (member plan index, excused)
    committee_attended: bool


@dataclass(slots=True)
class UserPlan:
    telegram_id: int
    display_name: str
    role: Role
    cell: int | None = None
    cells: list[int] = field(default_factory=list)


@dataclass(slots=True)
class WardPlan:
    cells: list[CellPlan]
    members: list[MemberPlan]
    candidates: list[CandidatePlan]
    meetings: list[MeetingPlan]
    users: list[UserPlan]
    year_quotas: dict[int, int]  # the ward's, from FIRST_PLAN_YEAR (each cell's is its kind's default)

    def admitted_by_year(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for c in self.candidates:
            decided = c.events.get(Stage.DECISION)
            if decided is not None:
                counts[decided.year] = counts.get(decided.year, 0) + 1
        return dict(sorted(counts.items()))


# ── Helpers the planning modules share ─────────────────────────────────────────────────────────

# The cells the seed names (larger scales add numbered ones around them).
BASE_CELL_NAMES = frozenset(
    [f"Chi bộ tổ {n}" for n in range(1, BASE_RESIDENTIAL_CELLS + 1)]
    + [name for name, _ in OTHER_CELLS]
)


def random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def stays(member: MemberPlan) -> bool:
    """The member has not left the ward."""
    return member.left_on is None


def active_members(members: list[MemberPlan], indices: Iterable[int], day: date) -> list[int]:
    """Which of `indices` were members on `day`."""
    return [i for i in indices if members[i].admitted_on <= day
            and (members[i].left_on is None or members[i].left_on > day)]
