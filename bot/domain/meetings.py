"""Cell meetings: kinds, and the arithmetic a report must satisfy (present + absent = expected)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.domain.errors import InvalidInput

MAX_MEMBERS = 5000  # no cell is larger; guards typos such as 1190 for 119


class MeetingKind(enum.StrEnum):
    REGULAR = "regular"  # sinh hoạt thường kỳ (monthly)
    THEMATIC = "thematic"  # sinh hoạt chuyên đề (at least quarterly)
    BOTH = "both"  # thường kỳ kết hợp chuyên đề


@dataclass(frozen=True)
class MeetingDraft:
    cell_id: int
    held_on: date
    kind: MeetingKind
    expected: int
    present: int
    absent_excused: int
    absent_unexcused: int
    committee_member_attended: bool
    # Named absentees (member ids) when the cell's members are imported; else counts only.
    excused_member_ids: tuple[int, ...] = field(default=())
    unexcused_member_ids: tuple[int, ...] = field(default=())


def check_meeting_date(held_on: date, today: date, max_age_days: int, may_backdate: bool) -> None:
    if held_on > today:
        raise InvalidInput(field="date", reason="future", value=held_on.isoformat())
    if not may_backdate and held_on < today - timedelta(days=max_age_days):
        raise InvalidInput(field="date", reason="too_old", days=max_age_days)


def check_attendance(draft: MeetingDraft) -> None:
    """Counts must add up: present + absent with reason + absent without reason = expected."""
    if not 1 <= draft.expected <= MAX_MEMBERS:
        raise InvalidInput(field="expected", reason="count_range", limit=MAX_MEMBERS)
    if draft.present > draft.expected:
        raise InvalidInput(field="present", reason="present_exceeds_expected",
                           present=draft.present, expected=draft.expected)
    if min(draft.present, draft.absent_excused, draft.absent_unexcused) < 0:
        raise InvalidInput(field="present", reason="negative")
    if draft.present + draft.absent_excused + draft.absent_unexcused != draft.expected:
        raise InvalidInput(field="absent", reason="counts_do_not_add_up", expected=draft.expected,
                           present=draft.present,
                           absent=draft.absent_excused + draft.absent_unexcused)
    named = set(draft.excused_member_ids) | set(draft.unexcused_member_ids)
    if len(named) != len(draft.excused_member_ids) + len(draft.unexcused_member_ids):
        raise InvalidInput(field="absent", reason="absent_twice")
    if named and (len(draft.excused_member_ids) != draft.absent_excused
                  or len(draft.unexcused_member_ids) != draft.absent_unexcused):
        raise InvalidInput(field="absent", reason="names_do_not_match_counts")


def quarter_of(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def previous_month(d: date) -> tuple[int, int]:
    return (d.year, d.month - 1) if d.month > 1 else (d.year - 1, 12)
