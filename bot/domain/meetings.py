"""Cell meetings: kinds, and the arithmetic a report must satisfy (present + absent = expected)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.domain.errors import InvalidInput
from bot.domain.workdays import add_months

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


@dataclass(frozen=True)
class MeetingInfo(MeetingDraft):
    """A saved meeting: the report as drafted, with its id."""

    id: int = field(kw_only=True)


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


def absent_count(expected: int, present: int) -> int:
    return expected - present


def meeting_draft(
    *, cell_id: int, held_on: date, kind: MeetingKind, expected: int, present: int, committee: bool,
    excused: tuple[int, ...] | None = None, unexcused: tuple[int, ...] = (), excused_count: int = 0,
) -> MeetingDraft:
    """The report from a flow's answers: absentees named (`excused`, `unexcused` member ids), or,
    when `excused` is None, counted (`excused_count` with a reason, the other absentees without)."""
    if excused is not None:
        n_excused, n_unexcused, named = len(excused), len(unexcused), (excused, unexcused)
    else:
        n_excused = excused_count
        n_unexcused, named = absent_count(expected, present) - excused_count, ((), ())
    return MeetingDraft(cell_id=cell_id, held_on=held_on, kind=kind, expected=expected, present=present,
                        absent_excused=n_excused, absent_unexcused=n_unexcused,
                        committee_member_attended=committee, excused_member_ids=named[0],
                        unexcused_member_ids=named[1])


def check_expected(expected: int) -> None:
    """The number of members expected is a plausible cell size."""
    if not 1 <= expected <= MAX_MEMBERS:
        raise InvalidInput(field="expected", reason="count_range", limit=MAX_MEMBERS)


def check_present(present: int, expected: int) -> int:
    """Nobody is present beyond those expected; returns how many were absent."""
    if present > expected:
        raise InvalidInput(field="present", reason="present_exceeds_expected", present=present,
                           expected=expected)
    return absent_count(expected, present)


def names_absentees(absent: int, members_listed: int) -> bool:
    """Absentees are picked by name when the cell's member list is imported and holds them all;
    otherwise only counted."""
    return 0 < absent <= members_listed


def check_excused_count(count: int, absent: int) -> None:
    """The absentees with a reason (a typed count) are some of those absent."""
    if count > absent:
        raise InvalidInput(field="absent", reason="excused_count_range", absent=absent)


def check_excused_picked(chosen: int, absent: int) -> None:
    """No more members picked as absent with a reason than were absent."""
    if chosen > absent:
        raise InvalidInput(field="absent", reason="too_many_excused", chosen=chosen, absent=absent,
                           extra=chosen - absent)


def check_absentees_picked(expected: int, present: int, chosen: int) -> None:
    """The members picked as absent (with or without a reason) are exactly expected − present."""
    absent = absent_count(expected, present)
    values = {"expected": expected, "present": present, "absent": absent, "chosen": chosen}
    if chosen < absent:
        raise InvalidInput(field="absent", reason="still_missing", missing=absent - chosen, **values)
    if chosen > absent:
        raise InvalidInput(field="absent", reason="too_many_absent", extra=chosen - absent, **values)


def previous_month(d: date) -> tuple[int, int]:
    return (d.year, d.month - 1) if d.month > 1 else (d.year - 1, 12)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, add_months(first, 1) - timedelta(days=1)


# How long a committee member may go without attending a cell in their charge.
WINDOW_MONTHS = {"month": 1, "quarter": 3, "half_year": 6}


def attendance_window(d: date, window: str) -> tuple[date, date, str]:
    """The window containing `d`: first day, last day, and a key such as "2026-Q4"."""
    size = WINDOW_MONTHS[window]
    start = date(d.year, (d.month - 1) // size * size + 1, 1)
    end = add_months(start, size) - timedelta(days=1)
    index = (d.month - 1) // size + 1
    key = {"month": f"{d.year}-{d.month:02d}", "quarter": f"{d.year}-Q{index}",
           "half_year": f"{d.year}-H{index}"}[window]
    return start, end, key
