"""The admission pipeline: the stages a candidate passes through, in the order the rules require."""

from __future__ import annotations

import enum


class Stage(enum.StrEnum):
    """One step of the pipeline (DOMAIN.md, "The admission pipeline"). Values are stored in the DB."""

    SPOTTED = "spotted"  # 1 quần chúng ưu tú / cảm tình Đảng
    COURSE = "course"  # 2 học lớp nhận thức về Đảng (certificate date)
    DOSSIER = "dossier"  # 3 hồ sơ: đơn, lý lịch, thẩm tra
    INTRODUCED = "introduced"  # 4 giới thiệu (two members, or youth union + one member)
    CELL_VOTE = "cell_vote"  # 5 chi bộ xét
    WARD_RESOLUTION = "ward_resolution"  # 6 đảng ủy cơ sở xét
    DECISION = "decision"  # 7 quyết định kết nạp (number + date)
    CEREMONY = "ceremony"  # 8 lễ kết nạp → đảng viên dự bị
    FULL_MEMBER = "full_member"  # 10 công nhận chính thức (stage 9, probation, is the wait before it)


PIPELINE: tuple[Stage, ...] = tuple(Stage)


def stage_index(stage: Stage) -> int:
    return PIPELINE.index(stage)


def next_stage(stage: Stage) -> Stage | None:
    """The step that may be recorded after `stage`, or None at the end of the pipeline."""
    i = stage_index(stage)
    return PIPELINE[i + 1] if i + 1 < len(PIPELINE) else None


def is_admitted(stage: Stage) -> bool:
    """Has the candidate received the admission decision (the default quota date)?"""
    return stage_index(stage) >= stage_index(Stage.DECISION)
