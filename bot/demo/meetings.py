"""Planning the demo ward's monthly meetings: their days, who attended, the absentees the warnings
are about, and the cells that went silent."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.demo.shapes import BASE_CELL_NAMES, CellPlan, MeetingPlan, MemberPlan, active_members, stays
from bot.demo.ward import ABSENTEES, FIRST_YEAR, SILENT_CELLS, UNVISITED_CELL
from bot.domain.cells import CellKind
from bot.domain.workdays import add_months

# ── Planning: meetings ────────────────────────────────────────────────────────────────────────


def _meeting_months(today: date) -> list[date]:
    """First days of the 12 months before `today`'s month, and of `today`'s month."""
    this_month = today.replace(day=1)
    return [add_months(this_month, -k) for k in range(12, -1, -1)]


def _meeting_days(rng: random.Random, cell: CellPlan, today: date) -> list[tuple[date, str]]:
    """(date, kind) of a cell's meetings: monthly, thematic in each quarter's middle month —
    usually one meeting that is both, sometimes a separate thematic one a week later."""
    days = []
    for month in _meeting_months(today):
        last = add_months(month, 1) - timedelta(days=1)
        held = month.replace(day=min(last.day, max(1, cell.meeting_day + rng.randint(-2, 2))))
        thematic = month.month % 3 == 2
        separate = held + timedelta(days=rng.randint(6, 9))
        if thematic and rng.random() < 0.3 and separate <= last and separate < today:
            days += [(held, "regular"), (separate, "thematic")]
        else:
            days.append((held, "both" if thematic else "regular"))
    return [(d, kind) for d, kind in days if d < today]


@dataclass
class _AbsenceLedger:
    """Keeps unexcused absences exact: a designated absentee misses exactly the meetings chosen
    for them; anyone else misses at most one meeting without reason in the whole year shown."""

    designated: dict[int, set[date]] = field(default_factory=dict)
    already_missed: set[int] = field(default_factory=set)


def plan_meetings(
    rng: random.Random, cells: list[CellPlan], members: list[MemberPlan], today: date
) -> list[MeetingPlan]:
    by_cell: dict[int, list[int]] = {}
    for i, m in enumerate(members):
        by_cell.setdefault(m.cell, []).append(i)
    names = {c.name: i for i, c in enumerate(cells)}
    silent = {names[n] for n in SILENT_CELLS if n in names}
    silent |= {i for i, c in enumerate(cells) if c.name not in BASE_CELL_NAMES
               and rng.random() < 0.08}
    unvisited_since = add_months(today.replace(day=1), -4)
    silent_since = add_months(today.replace(day=1), -1)
    days_by_cell = {i: _meeting_days(rng, c, today) for i, c in enumerate(cells)}
    ledger = _designate_absentees(rng, cells, members, by_cell, days_by_cell, today, silent)
    meetings = []
    for i, cell in enumerate(cells):
        for held_on, kind in days_by_cell[i]:
            if i in silent and held_on >= silent_since:
                continue
            attended = rng.random() < 0.85
            if cell.name == UNVISITED_CELL and held_on >= unvisited_since:
                attended = False
            meetings.append(_meeting(rng, cell, i, held_on, kind, members, by_cell[i], ledger,
                                     attended))
    return meetings


def _designate_absentees(
    rng: random.Random, cells: list[CellPlan], members: list[MemberPlan],
    by_cell: dict[int, list[int]], days_by_cell: dict[int, list[tuple[date, str]]],
    today: date, silent: set[int],
) -> _AbsenceLedger:
    ledger = _AbsenceLedger()
    names = {c.name: i for i, c in enumerate(cells)}
    for cell_name, misses in ABSENTEES:
        cell = names.get(cell_name)
        if cell is None or cell in silent:
            continue
        pool = [i for i in by_cell[cell] if i != cells[cell].secretary and stays(members[i])
                and members[i].admitted_on.year < FIRST_YEAR and i not in ledger.designated]
        # One regular meeting per month this calendar year (the rule counts months).
        months: dict[int, date] = {}
        for held_on, _kind in days_by_cell[cell]:
            if held_on.year == today.year:
                months.setdefault(held_on.month, held_on)
        chosen = rng.sample(sorted(months.values()), min(misses, len(months)))
        ledger.designated[rng.choice(pool)] = set(chosen)
    return ledger


def _meeting(
    rng: random.Random, cell: CellPlan, cell_index: int, held_on: date, kind: str,
    members: list[MemberPlan], cell_members: list[int], ledger: _AbsenceLedger, attended: bool,
) -> MeetingPlan:
    active = active_members(members, cell_members, held_on)
    unexcused = [i for i in active if held_on in ledger.designated.get(i, ())]
    pool = [i for i in active if i != cell.secretary and i not in ledger.designated]
    fresh = [i for i in pool if i not in ledger.already_missed]
    if fresh and rng.random() < 0.35:
        missed = rng.choice(fresh)
        ledger.already_missed.add(missed)
        unexcused.append(missed)
    rate = rng.uniform(0.04, 0.12) if cell.kind is CellKind.RESIDENTIAL else rng.uniform(0.02, 0.08)
    candidates = [i for i in pool if i not in unexcused]
    excused = rng.sample(candidates, min(len(candidates), round(len(active) * rate)))
    absences = [(i, True) for i in excused] + [(i, False) for i in unexcused]
    return MeetingPlan(cell_index, held_on, kind, len(active), absences, attended)
