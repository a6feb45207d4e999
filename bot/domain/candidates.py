"""What a candidate is made of, as the rules see it (no storage): the fields a secretary reports."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.domain.dates import LooseDate
from bot.domain.pipeline import CandidateSnapshot
from bot.domain.stages import Stage, next_stage

MAX_NAME_LENGTH = 120


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class Background(enum.StrEnum):
    YOUTH_UNION = "youth_union"  # đoàn viên thanh niên
    STUDENT = "student"  # học sinh, sinh viên
    WORKER = "worker"  # người lao động
    RETIRED = "retired"  # cán bộ hưu trí
    OTHER = "other"


@dataclass(frozen=True)
class CandidateDraft:
    """A new candidate as reported, before it is saved."""

    cell_id: int
    full_name: str
    birth: LooseDate
    gender: Gender
    background: Background
    spotted_on: date
    helper_member_id: int | None = None
    helper_name: str = ""


@dataclass(frozen=True)
class StepRecord:
    on: date
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CandidateInfo:
    id: int
    cell_id: int
    full_name: str
    birth: LooseDate
    gender: str
    background: str
    helper_name: str
    stage: Stage
    dropped_on: date | None
    dropped_reason: str
    steps: dict[Stage, StepRecord]
    member_id: int | None = None  # the member row created at the ceremony

    @property
    def dropped(self) -> bool:
        return self.dropped_on is not None

    @property
    def decision_received_on(self) -> date | None:
        """The day the cell received the admission decision (kept in the decision step's details);
        None when it was not asked (steps recorded before the question existed)."""
        return decision_received(self.steps)

    def snapshot(self) -> CandidateSnapshot:
        return CandidateSnapshot(self.stage, self.dropped, {s: r.on for s, r in self.steps.items()},
                                 self.birth)


def decision_received(steps: dict[Stage, StepRecord]) -> date | None:
    record = steps.get(Stage.DECISION)
    value = record.details.get("received_on") if record else None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:  # a hand-edited row must not break every view of the cell
        return None


def awaiting_decision(candidates: list[CandidateInfo]) -> list[CandidateInfo]:
    """The candidates whose next step is the admission decision (what /ketnap offers)."""
    return [c for c in candidates if not c.dropped and next_stage(c.stage) is Stage.DECISION]
