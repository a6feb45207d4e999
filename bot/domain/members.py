"""Party member status, and reading it from what people type in a spreadsheet."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.domain.cells import fold_name


class MemberStatus(enum.StrEnum):
    FULL = "full"  # đảng viên chính thức
    PROBATIONARY = "probationary"  # đảng viên dự bị


@dataclass(frozen=True)
class MemberInfo:
    id: int
    full_name: str
    status: str


_STATUS_ALIASES = {
    "full": MemberStatus.FULL,
    "chinh thuc": MemberStatus.FULL,
    "dang vien chinh thuc": MemberStatus.FULL,
    "probationary": MemberStatus.PROBATIONARY,
    "du bi": MemberStatus.PROBATIONARY,
    "dang vien du bi": MemberStatus.PROBATIONARY,
}


def parse_member_status(text: str) -> MemberStatus | None:
    """The status named by `text` ("chính thức", "dự bị", or the English code), or None."""
    return _STATUS_ALIASES.get(fold_name(text))
