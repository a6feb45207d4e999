"""How members come into a cell and leave it, and the year-end counts reports give.

A member is counted in a cell at a date when they had joined it by then (their join date, else
their admission date, else "on the list from the start") and not yet left it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.domain.cells import fold_name


class JoinKind(enum.StrEnum):
    LISTED = ""  # on the imported list from the start
    ADMITTED = "admitted"  # kết nạp: the ceremony made them a probationary member
    TRANSFERRED_IN = "transferred_in"  # chuyển sinh hoạt đến


class LeaveKind(enum.StrEnum):
    UNKNOWN = ""  # left before the reason was recorded
    TRANSFERRED_OUT = "transferred_out"  # chuyển sinh hoạt đi
    DIED = "died"  # từ trần
    STRUCK_OFF = "struck_off"  # xóa tên
    EXPELLED = "expelled"  # khai trừ


# The drop reason written on a probationary member's admission record when /dangvien records them
# leaving ("member_left:died"): the texts name the way they left.
LEFT_REASON_PREFIX = "member_left:"


def left_reason(how: LeaveKind) -> str:
    return f"{LEFT_REASON_PREFIX}{how.value}"


def reason_left_how(reason: str) -> LeaveKind | None:
    """The LeaveKind a drop reason written by `left_reason` names (None: a typed reason)."""
    if not reason.startswith(LEFT_REASON_PREFIX):
        return None
    try:
        how = LeaveKind(reason.removeprefix(LEFT_REASON_PREFIX))
    except ValueError:
        return None
    return how if how is not LeaveKind.UNKNOWN else None


# What a spreadsheet's "lý do" column says, folded (accents and case ignored).
_LEAVE_ALIASES: dict[str, LeaveKind] = {
    "transferred_out": LeaveKind.TRANSFERRED_OUT, "transferred out": LeaveKind.TRANSFERRED_OUT,
    "chuyen di": LeaveKind.TRANSFERRED_OUT, "chuyen sinh hoat di": LeaveKind.TRANSFERRED_OUT,
    "chuyen sinh hoat": LeaveKind.TRANSFERRED_OUT,
    "died": LeaveKind.DIED, "tu tran": LeaveKind.DIED, "tu tran (mat)": LeaveKind.DIED,
    "mat": LeaveKind.DIED, "qua doi": LeaveKind.DIED,
    "struck_off": LeaveKind.STRUCK_OFF, "xoa ten": LeaveKind.STRUCK_OFF,
    "expelled": LeaveKind.EXPELLED, "khai tru": LeaveKind.EXPELLED,
}
_JOIN_ALIASES: dict[str, JoinKind] = {
    "admitted": JoinKind.ADMITTED, "ket nap": JoinKind.ADMITTED, "ket nap moi": JoinKind.ADMITTED,
    "transferred_in": JoinKind.TRANSFERRED_IN, "transferred in": JoinKind.TRANSFERRED_IN,
    "chuyen den": JoinKind.TRANSFERRED_IN, "chuyen sinh hoat den": JoinKind.TRANSFERRED_IN,
}


def parse_leave_kind(text: str) -> LeaveKind | None:
    return _LEAVE_ALIASES.get(fold_name(text))


def parse_join_kind(text: str) -> JoinKind | None:
    return _JOIN_ALIASES.get(fold_name(text))


@dataclass(frozen=True)
class Movement:
    """Who came and went in a year: the change in members is `joined - left`."""

    admitted: int = 0
    transferred_in: int = 0
    transferred_out: int = 0
    died: int = 0
    removed: int = 0  # xóa tên and khai trừ
    other_left: int = 0  # left for a reason not recorded

    @property
    def joined(self) -> int:
        return self.admitted + self.transferred_in

    @property
    def left(self) -> int:
        return self.transferred_out + self.died + self.removed + self.other_left

    @property
    def change(self) -> int:
        return self.joined - self.left


def movement_from_counts(joined: dict[str, int], left: dict[str, int]) -> Movement:
    """A Movement from counts by JoinKind / LeaveKind value (as a GROUP BY returns them)."""
    return Movement(
        admitted=joined.get(JoinKind.ADMITTED.value, 0),
        transferred_in=joined.get(JoinKind.TRANSFERRED_IN.value, 0),
        transferred_out=left.get(LeaveKind.TRANSFERRED_OUT.value, 0),
        died=left.get(LeaveKind.DIED.value, 0),
        removed=left.get(LeaveKind.STRUCK_OFF.value, 0) + left.get(LeaveKind.EXPELLED.value, 0),
        other_left=left.get(LeaveKind.UNKNOWN.value, 0),
    )


def sum_movements(movements: list[Movement]) -> Movement:
    """Several cells' movements added up (the ward's)."""
    return Movement(*(sum(getattr(m, f) for m in movements) for f in (
        "admitted", "transferred_in", "transferred_out", "died", "removed", "other_left")))
