"""The demo ward decided in memory, no I/O: cells, members, candidates with their timelines,
meetings and users, deterministic for a seed, `today` and scale (see bot.demo for the story)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.config import QuotaSettings
from bot.demo.names import DROP_REASONS, NameBook
from bot.demo.ward import (
    ABSENTEES,
    ADMITTED_2022,
    ADMITTED_2023,
    BASE_MEMBERS,
    BASE_RESIDENTIAL_CELLS,
    BEHIND_THIS_YEAR,
    COMMITTEE_ID_BASE,
    DEMO_ADMIN_ID,
    DEMO_COMMITTEE_CELLS,
    DEMO_COMMITTEE_ID,
    DEMO_DISPLAY_NAMES,
    DEMO_SECRETARY_ID,
    EXTRA_CELL_TEMPLATES,
    FIRST_YEAR,
    OTHER_CELLS,
    SECRETARY_ID_BASE,
    SILENT_CELLS,
    TO16,
    TO16_ADMITTED_2023,
    TO16_MEMBERS_END_2022,
    UNVISITED_CELL,
    YEAR_PACE,
)
from bot.domain.candidates import Background, Gender
from bot.domain.cells import CellKind
from bot.domain.members import MemberStatus
from bot.domain.roles import Role
from bot.domain.stages import PIPELINE, Stage, stage_index
from bot.domain.workdays import WorkCalendar, add_months

# ── Calendar ──────────────────────────────────────────────────────────────────────────────────


class _WorkCalendar:
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


@dataclass
class _CellPlan:
    name: str
    kind: CellKind
    quota: int  # the per-kind default (the row itself keeps quota NULL)
    secretary: int = -1  # index of the secretary's member plan
    meeting_day: int = 10


@dataclass
class _MemberPlan:
    cell: int
    full_name: str
    admitted_on: date
    status: MemberStatus = MemberStatus.FULL
    left_on: date | None = None


@dataclass
class _CandidatePlan:
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


@dataclass
class _MeetingPlan:
    cell: int
    held_on: date
    kind: str
    expected: int
    absences: list[tuple[int, bool]]  # (member plan index, excused)
    committee_attended: bool


@dataclass
class _UserPlan:
    telegram_id: int
    display_name: str
    role: Role
    cell: int | None = None
    cells: list[int] = field(default_factory=list)


@dataclass
class WardPlan:
    cells: list[_CellPlan]
    members: list[_MemberPlan]
    candidates: list[_CandidatePlan]
    meetings: list[_MeetingPlan]
    users: list[_UserPlan]
    year_quotas: dict[int, int]

    def admitted_by_year(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for c in self.candidates:
            decided = c.events.get(Stage.DECISION)
            if decided is not None:
                counts[decided.year] = counts.get(decided.year, 0) + 1
        return dict(sorted(counts.items()))


# ── Planning: cells ───────────────────────────────────────────────────────────────────────────


def _default_quota(kind: CellKind) -> int:
    return int(getattr(QuotaSettings(), kind.value))


def _plan_cells(scale: float) -> list[_CellPlan]:
    """Residential cells "Chi bộ tổ N" first (tổ 16 always among them), then the others."""
    n_res = max(1, round(BASE_RESIDENTIAL_CELLS * scale))
    numbers = list(range(1, n_res + 1))
    if 16 not in numbers:
        numbers[-1] = 16
    named = [(f"Chi bộ tổ {n}", CellKind.RESIDENTIAL) for n in numbers]
    n_other = max(1, round(len(OTHER_CELLS) * scale))
    others = list(OTHER_CELLS[:n_other])
    for k in range(n_other - len(others)):
        template, kind = EXTRA_CELL_TEMPLATES[k % len(EXTRA_CELL_TEMPLATES)]
        others.append((template.format(n=k // len(EXTRA_CELL_TEMPLATES) + 1), kind))
    return [_CellPlan(name, kind, _default_quota(kind)) for name, kind in named + others]


# ── Planning: candidate timelines ─────────────────────────────────────────────────────────────

StepBack = Callable[[random.Random, _WorkCalendar, date], date]

# How long before a stage its predecessor happened (step back from `stage` to the one before).
_STEP_BACK: dict[Stage, StepBack] = {
    Stage.COURSE: lambda rng, cal, d: d - timedelta(days=rng.randint(45, 300)),
    Stage.DOSSIER: lambda rng, cal, d: d - timedelta(days=rng.randint(20, 150)),
    Stage.INTRODUCED: lambda rng, cal, d: d - timedelta(days=rng.randint(20, 90)),
    Stage.CELL_VOTE: lambda rng, cal, d: d - timedelta(days=rng.randint(7, 40)),
    # Cell vote to decision stays within 20–55 working days: the 60-day clock is met.
    Stage.WARD_RESOLUTION: lambda rng, cal, d: cal.shift(d, -rng.randint(5, 20)),
    Stage.DECISION: lambda rng, cal, d: cal.shift(d, -rng.randint(15, 35)),
    Stage.CEREMONY: lambda rng, cal, d: cal.shift(d, -rng.randint(5, 25)),
    Stage.FULL_MEMBER: lambda rng, cal, d: add_months(cal.shift(d, -rng.randint(3, 25)), -12),
}


def _timeline_until(
    rng: random.Random, cal: _WorkCalendar, stage: Stage, last: date,
    fixed: dict[Stage, date] | None = None,
) -> Timeline:
    """Dates for every stage up to `stage` (on `last`), stepping back; `fixed` pins some dates."""
    fixed = fixed or {}
    dates = {stage: last}
    for i in range(stage_index(stage), 0, -1):
        here, before = PIPELINE[i], PIPELINE[i - 1]
        dates[before] = fixed.get(before) or _STEP_BACK[here](rng, cal, dates[here])
    return {s: dates[s] for s in PIPELINE if s in dates}


def _admission_timeline(
    rng: random.Random, cal: _WorkCalendar, decision: date, ceremony: date | None = None
) -> Timeline:
    """A whole admission around its decision date: ceremony within 30 working days, then
    recognition a few weeks after the 12 months of probation."""
    timeline = _timeline_until(rng, cal, Stage.DECISION, decision)
    ceremony = ceremony or cal.shift(decision, rng.randint(5, 25))
    timeline[Stage.CEREMONY] = ceremony
    timeline[Stage.FULL_MEMBER] = cal.shift(add_months(ceremony, 12), rng.randint(3, 25))
    return timeline


def _until(timeline: Timeline, today: date) -> Timeline:
    return {s: d for s, d in timeline.items() if d <= today}


def _random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _decision_day(rng: random.Random, cal: _WorkCalendar, first: date, last: date) -> date:
    """A working day in [first, last] (decisions are signed in office hours)."""
    d = cal.on_or_after(_random_day(rng, first, last))
    return d if d <= last else cal.shift(last + timedelta(days=1), -1)


def _allocate(rng: random.Random, quotas: Sequence[int], total: int,
              fixed: dict[int, int]) -> list[int]:
    """Split a ward's yearly admissions over its cells: under quota, random cells (none above
    its own quota); over quota, every cell its quota plus extras, then a few cells miss while
    others make up for them."""
    counts = [0] * len(quotas)
    for i, n in fixed.items():
        counts[i] = n
    free = [i for i in range(len(quotas)) if i not in fixed]
    remaining = max(0, total - sum(fixed.values()))
    pool = [i for i in free for _ in range(quotas[i])]
    if remaining <= len(pool):
        for i in rng.sample(pool, remaining):
            counts[i] += 1
        return counts
    for i in free:
        counts[i] = quotas[i]
    for i in rng.choices(free, [quotas[i] for i in free], k=remaining - len(pool)):
        counts[i] += 1
    for _ in range(len(free) // 6):
        src, dst = rng.sample(free, 2)
        if counts[src] > 0 and counts[dst] < quotas[dst] + 2:
            counts[src] -= 1
            counts[dst] += 1
    return counts


def _admissions_per_cell(
    rng: random.Random, cells: list[_CellPlan], today: date, scale: float
) -> dict[int, list[int]]:
    """year → admissions per cell (by decision date), the current year's being the plan for the
    whole year (decisions after `today` are still in the pipeline)."""
    quotas = [c.quota for c in cells]
    to16 = next(i for i, c in enumerate(cells) if c.name == TO16)
    plan = {
        2022: _allocate(rng, quotas, round(ADMITTED_2022 * scale), {to16: 0}),
        2023: _allocate(rng, quotas, round(ADMITTED_2023 * scale), {to16: TO16_ADMITTED_2023}),
    }
    for year in range(2024, today.year):
        plan[year] = _allocate(rng, quotas, round(sum(quotas) * YEAR_PACE.get(year, 1.0)), {})
    plan[today.year] = _this_year_targets(rng, cells)
    return plan


def _this_year_targets(rng: random.Random, cells: list[_CellPlan]) -> list[int]:
    targets = []
    for cell in cells:
        if cell.name in BEHIND_THIS_YEAR:
            targets.append(BEHIND_THIS_YEAR[cell.name])
        elif cell.name not in _BASE_CELL_NAMES and rng.random() < 0.2:
            targets.append(0 if cell.quota == 1 else rng.randint(0, cell.quota - 1))
        else:
            targets.append(cell.quota + (1 if rng.random() < 0.2 else 0))
    return targets


_BASE_CELL_NAMES = frozenset(
    [f"Chi bộ tổ {n}" for n in range(1, BASE_RESIDENTIAL_CELLS + 1)]
    + [name for name, _ in OTHER_CELLS]
)


def _new_candidate(rng: random.Random, cell: int, events: Timeline) -> _CandidatePlan:
    """A candidate aged 18–44 when spotted (so 18–60 at the cell vote, as the rules require);
    the young ones mostly come from the youth union, as DOMAIN.md says."""
    gender = Gender.FEMALE if rng.random() < 0.45 else Gender.MALE
    age = rng.randint(18 * 365 + 5, 44 * 365)
    birth = events[Stage.SPOTTED] - timedelta(days=age)
    if age < 23 * 365:
        background = Background.STUDENT if rng.random() < 0.5 else Background.YOUTH_UNION
    elif age < 30 * 365:
        background = Background.YOUTH_UNION if rng.random() < 0.7 else Background.WORKER
    else:
        background = Background.WORKER if rng.random() < 0.85 else Background.OTHER
    return _CandidatePlan(cell, gender, birth, rng.random() < 0.15, background, events)


def _plan_admissions(
    rng: random.Random, cal: _WorkCalendar, cells: list[_CellPlan], today: date, scale: float
) -> list[_CandidatePlan]:
    per_year = _admissions_per_cell(rng, cells, today, scale)
    plans = []
    for year, counts in per_year.items():
        for cell, n in enumerate(counts):
            for _ in range(n):
                decision = _admission_decision_day(rng, cal, year, cells[cell].name)
                events = _until(_admission_timeline(rng, cal, decision), today)
                if events:  # an admission planned late in this year may not have begun yet
                    plans.append(_new_candidate(rng, cell, events))
    return plans


def _admission_decision_day(rng: random.Random, cal: _WorkCalendar, year: int, cell: str) -> date:
    if cell == TO16 and year == 2023:
        # Both must have had their ceremony by 31 December to make 119 members at year end.
        return _decision_day(rng, cal, date(2023, 3, 1), date(2023, 10, 15))
    return _decision_day(rng, cal, date(year, 1, 8), date(year, 12, 22))


# ── Planning: the candidates the reminders are about ─────────────────────────────────────────


def _special_timelines(
    rng: random.Random, cal: _WorkCalendar, today: date
) -> list[tuple[str, Timeline]]:
    """(cell, timeline) for the candidates whose clocks are close to `today` (module docstring)."""
    year_ago = add_months(today, -12)
    probation_soon = year_ago + timedelta(days=18)
    specials = [
        (TO16, _timeline_until(rng, cal, Stage.SPOTTED, today - timedelta(days=40))),
        (TO16, _timeline_until(rng, cal, Stage.COURSE, today - timedelta(days=75))),
        (TO16, _timeline_until(rng, cal, Stage.DOSSIER, today - timedelta(days=120))),
        # The decision is due 60 working days after the ward resolution (domain.deadlines).
        (TO16, _timeline_until(rng, cal, Stage.WARD_RESOLUTION, cal.shift(today, -56))),
        ("Chi bộ tổ 9", _timeline_until(rng, cal, Stage.WARD_RESOLUTION, cal.shift(today, -63))),
        ("Chi bộ tổ 4", _timeline_until(
            rng, cal, Stage.INTRODUCED, today - timedelta(days=30),
            {Stage.DOSSIER: today - timedelta(days=210),
             Stage.COURSE: add_months(today, -57) - timedelta(days=5)})),
        ("Chi bộ tổ 11", _timeline_until(rng, cal, Stage.DOSSIER, add_months(today, -13))),
        ("Chi bộ tổ 2", _timeline_until(rng, cal, Stage.CELL_VOTE, cal.shift(today, -6))),
        ("Chi bộ Trường THCS Hoàng Văn Thụ",
         _timeline_until(rng, cal, Stage.DECISION, cal.shift(today, -18))),
        ("Chi bộ Công an phường",
         _probation_timeline(rng, cal, year_ago - timedelta(days=12))),
    ]
    probation = _probation_timeline(rng, cal, probation_soon)
    # Tổ 16 stays behind this year: its member in probation must come from an earlier year.
    owner = TO16 if probation[Stage.DECISION].year < today.year else "Chi bộ Trạm Y tế phường"
    specials.append((owner, probation))
    return specials


def _probation_timeline(rng: random.Random, cal: _WorkCalendar, ceremony: date) -> Timeline:
    """An admission whose ceremony was on `ceremony` and whose probation is not yet recognised."""
    decision = cal.shift(ceremony, -rng.randint(5, 20))
    timeline = _admission_timeline(rng, cal, decision, ceremony)
    del timeline[Stage.FULL_MEMBER]
    return timeline


def _plan_specials(
    rng: random.Random, cal: _WorkCalendar, cells: list[_CellPlan], today: date
) -> list[_CandidatePlan]:
    index = {c.name: i for i, c in enumerate(cells)}
    plans = []
    for cell_name, timeline in _special_timelines(rng, cal, today):
        decided = timeline.get(Stage.DECISION)
        # 2022 and 2023 are the seed's exact figures: a special never adds to them.
        if cell_name in index and (decided is None or decided.year > 2023):
            plans.append(_new_candidate(rng, index[cell_name], _until(timeline, today)))
    return plans


# What a candidate still in the pipeline did last, and how many days ago at most.
_OPEN_STAGES: tuple[tuple[Stage, int, int], ...] = (
    (Stage.SPOTTED, 4, 240),
    (Stage.COURSE, 3, 200),
    (Stage.DOSSIER, 3, 300),
    (Stage.INTRODUCED, 2, 45),
)


def _plan_pipeline(
    rng: random.Random, cal: _WorkCalendar, cells: list[_CellPlan], today: date
) -> list[_CandidatePlan]:
    """Next years' admissions: 0–3 candidates per cell at the early stages (tổ 16's are fixed)."""
    plans = []
    for i, cell in enumerate(cells):
        if cell.name == TO16:
            continue
        for _ in range(rng.choices((0, 1, 2, 3), (3, 4, 2, 1))[0]):
            stage, _, max_age = rng.choices(_OPEN_STAGES, [w for _, w, _ in _OPEN_STAGES])[0]
            last = today - timedelta(days=rng.randint(3, max_age))
            plans.append(_new_candidate(rng, i, _timeline_until(rng, cal, stage, last)))
    return plans


def _plan_dropouts(
    rng: random.Random, cal: _WorkCalendar, cells: list[_CellPlan], today: date, scale: float
) -> list[_CandidatePlan]:
    """People who left the pipeline: the stage they reached is kept, with a date and a reason."""
    plans = []
    for k in range(max(1, round(4 * scale))):
        cell = rng.choice([i for i, c in enumerate(cells) if c.name != TO16] or [0])
        stage = PIPELINE[k % 5]  # spotted … cell_vote: they left before the ward decided
        last = today - timedelta(days=rng.randint(120, 500))
        plan = _new_candidate(rng, cell, _timeline_until(rng, cal, stage, last))
        plan.dropped_on = min(last + timedelta(days=rng.randint(20, 100)), today - timedelta(1))
        plan.dropped_reason = DROP_REASONS[k % len(DROP_REASONS)]
        plans.append(plan)
    return plans


# ── Planning: members, helpers, introducers ──────────────────────────────────────────────────


def _legacy_counts(
    rng: random.Random, cells: list[_CellPlan], admitted: list[int], scale: float
) -> list[int]:
    """Members admitted before 2022 per cell, so the whole ward has ≈ 1,700 × scale rows.

    Residential cells are the big ones (retired members stay in their street's cell)."""
    to16 = next(i for i, c in enumerate(cells) if c.name == TO16)
    weights = [rng.uniform(45, 95) if c.kind is CellKind.RESIDENTIAL else rng.uniform(14, 45)
               for c in cells]
    weights[to16] = 0.0
    room = round(BASE_MEMBERS * scale) - TO16_MEMBERS_END_2022 - sum(admitted)
    total = sum(weights)
    counts = [max(8, round(room * w / total)) for w in weights]
    counts[to16] = TO16_MEMBERS_END_2022  # all of them admitted before 2022, none left by 2024
    return counts


def _plan_legacy_members(
    rng: random.Random, cells: list[_CellPlan], counts: list[int], books: list[NameBook],
    today: date,
) -> list[_MemberPlan]:
    members: list[_MemberPlan] = []
    for i, cell in enumerate(cells):
        residential = cell.kind is CellKind.RESIDENTIAL
        first = date(1965, 1, 1) if residential else date(1992, 1, 1)
        # Tổ 16 must count 117 at the end of 2022 and 2023 alike (+2 admitted): its leavers
        # left from 2024 on; elsewhere people move away or die any time since 2022.
        leave_from = date(2024, 1, 10) if cell.name == TO16 else date(2022, 1, 10)
        cell.secretary = len(members)
        for k in range(counts[i]):
            gender = Gender.FEMALE if rng.random() < 0.5 else Gender.MALE
            if cell.name == TO16 and k == 0:
                name = books[i].reserve(DEMO_DISPLAY_NAMES[DEMO_SECRETARY_ID])
            else:
                name = books[i].draw(rng, gender)
            member = _MemberPlan(i, name, _random_day(rng, first, date(2021, 12, 31)))
            if k > 0 and rng.random() < 0.025 and leave_from < today - timedelta(days=1):
                member.left_on = _random_day(rng, leave_from, today - timedelta(days=1))
            members.append(member)
    return members


def _stays(member: _MemberPlan) -> bool:
    return member.left_on is None


def _plan_new_members(
    rng: random.Random, candidates: list[_CandidatePlan], books: list[NameBook], today: date
) -> list[_MemberPlan]:
    """Name every candidate; the ones past their ceremony are members (probationary until
    recognised), admitted on the ceremony date."""
    members = []
    for c in candidates:
        c.full_name = books[c.cell].draw(rng, c.gender)
        ceremony = c.events.get(Stage.CEREMONY)
        if ceremony is not None:
            full = Stage.FULL_MEMBER in c.events
            status = MemberStatus.FULL if full else MemberStatus.PROBATIONARY
            members.append(_MemberPlan(c.cell, c.full_name, ceremony, status))
    return members


def _assign_helpers(
    rng: random.Random, candidates: list[_CandidatePlan], members: list[_MemberPlan]
) -> None:
    """A full member helps each candidate and introduces them, with a second member or, for a
    youth-union member, with the youth union's resolution (the details bot.domain.pipeline
    accepts); the cell votes with a two-thirds majority at least."""
    by_cell: dict[int, list[int]] = {}
    for i, m in enumerate(members):
        if m.admitted_on.year < FIRST_YEAR:
            by_cell.setdefault(m.cell, []).append(i)
    for c in candidates:
        pool = [i for i in by_cell[c.cell] if _stays(members[i])]
        c.helper, other = rng.sample(pool, 2)
        if Stage.INTRODUCED in c.events:
            youth = c.background is Background.YOUTH_UNION and rng.random() < 0.6
            c.introducers = [c.helper] if youth else [c.helper, other]
            c.details[Stage.INTRODUCED] = {
                "kind": "youth_union" if youth else "two_members",
                "introducers": [members[i].full_name for i in c.introducers],
            }
        voted = c.events.get(Stage.CELL_VOTE)
        if voted is not None:
            full = len(_active(members, by_cell[c.cell], voted))
            total = max(3, round(full * rng.uniform(0.8, 0.95)))  # the full members present
            c.details[Stage.CELL_VOTE] = {
                "votes_for": total - rng.randint(0, total // 12), "votes_total": total
            }


def _number_documents(rng: random.Random, candidates: list[_CandidatePlan]) -> None:
    """Decision numbers "123-QĐ/TU" and ward resolution numbers "45-NQ/ĐU", rising in a year."""
    for stage, suffix, start, step in (
        (Stage.DECISION, "QĐ/TU", (60, 140), (3, 25)),
        (Stage.WARD_RESOLUTION, "NQ/ĐU", (5, 20), (1, 4)),
    ):
        dated = sorted((c.events[stage], k) for k, c in enumerate(candidates) if stage in c.events)
        number, year = 0, 0
        for day, k in dated:
            if day.year != year:
                number, year = rng.randint(*start), day.year
            number += rng.randint(*step)
            candidates[k].details[stage] = {"number": f"{number}-{suffix}"}


# ── Planning: meetings ────────────────────────────────────────────────────────────────────────


def _meeting_months(today: date) -> list[date]:
    """First days of the 12 months before `today`'s month, and of `today`'s month."""
    this_month = today.replace(day=1)
    return [add_months(this_month, -k) for k in range(12, -1, -1)]


def _meeting_days(rng: random.Random, cell: _CellPlan, today: date) -> list[tuple[date, str]]:
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


def _plan_meetings(
    rng: random.Random, cells: list[_CellPlan], members: list[_MemberPlan], today: date
) -> list[_MeetingPlan]:
    by_cell: dict[int, list[int]] = {}
    for i, m in enumerate(members):
        by_cell.setdefault(m.cell, []).append(i)
    names = {c.name: i for i, c in enumerate(cells)}
    silent = {names[n] for n in SILENT_CELLS if n in names}
    silent |= {i for i, c in enumerate(cells) if c.name not in _BASE_CELL_NAMES
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


def _active(members: list[_MemberPlan], indices: Iterable[int], day: date) -> list[int]:
    return [i for i in indices if members[i].admitted_on <= day
            and (members[i].left_on is None or members[i].left_on > day)]


def _designate_absentees(
    rng: random.Random, cells: list[_CellPlan], members: list[_MemberPlan],
    by_cell: dict[int, list[int]], days_by_cell: dict[int, list[tuple[date, str]]],
    today: date, silent: set[int],
) -> _AbsenceLedger:
    ledger = _AbsenceLedger()
    names = {c.name: i for i, c in enumerate(cells)}
    for cell_name, misses in ABSENTEES:
        cell = names.get(cell_name)
        if cell is None or cell in silent:
            continue
        pool = [i for i in by_cell[cell] if i != cells[cell].secretary and _stays(members[i])
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
    rng: random.Random, cell: _CellPlan, cell_index: int, held_on: date, kind: str,
    members: list[_MemberPlan], cell_members: list[int], ledger: _AbsenceLedger, attended: bool,
) -> _MeetingPlan:
    active = _active(members, cell_members, held_on)
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
    return _MeetingPlan(cell_index, held_on, kind, len(active), absences, attended)


# ── Planning: users ───────────────────────────────────────────────────────────────────────────


def _plan_users(
    rng: random.Random, cells: list[_CellPlan], members: list[_MemberPlan]
) -> list[_UserPlan]:
    names = {c.name: i for i, c in enumerate(cells)}
    to16 = names[TO16]
    mine = [names[n] for n in DEMO_COMMITTEE_CELLS if n in names]
    users = [
        _UserPlan(DEMO_ADMIN_ID, DEMO_DISPLAY_NAMES[DEMO_ADMIN_ID], Role.ADMIN),
        _UserPlan(DEMO_COMMITTEE_ID, DEMO_DISPLAY_NAMES[DEMO_COMMITTEE_ID], Role.COMMITTEE,
                  cells=mine),
        _UserPlan(DEMO_SECRETARY_ID, DEMO_DISPLAY_NAMES[DEMO_SECRETARY_ID], Role.SECRETARY,
                  cell=to16),
    ]
    for i, cell in enumerate(cells):
        if i != to16:
            users.append(_UserPlan(SECRETARY_ID_BASE + i + 1, members[cell.secretary].full_name,
                                   Role.SECRETARY, cell=i))
    # One committee member in charge of each remaining cell, four or five cells each.
    rest = [i for i in range(len(cells)) if i not in mine]
    book = NameBook()
    book.reserve(DEMO_DISPLAY_NAMES[DEMO_COMMITTEE_ID])
    groups = max(1, round(len(rest) / 4.5))
    bounds = [round(k * len(rest) / groups) for k in range(groups + 1)]
    for k in range(groups):
        group = rest[bounds[k]:bounds[k + 1]]
        gender = Gender.FEMALE if rng.random() < 0.4 else Gender.MALE
        users.append(_UserPlan(COMMITTEE_ID_BASE + k + 1, book.draw(rng, gender), Role.COMMITTEE,
                               cells=group))
    return users


# ── The whole plan ────────────────────────────────────────────────────────────────────────────


def plan_ward(today: date, scale: float, seed: int) -> WardPlan:
    rng = random.Random(seed)
    cal = _WorkCalendar()
    cells = _plan_cells(scale)
    for cell in cells:
        residential = cell.kind is CellKind.RESIDENTIAL
        cell.meeting_day = rng.randint(3, 20) if residential else rng.randint(5, 25)
    candidates = (
        _plan_admissions(rng, cal, cells, today, scale)
        + _plan_specials(rng, cal, cells, today)
        + _plan_pipeline(rng, cal, cells, today)
        + _plan_dropouts(rng, cal, cells, today, scale)
    )
    books = [NameBook() for _ in cells]
    admitted = [0] * len(cells)
    for c in candidates:
        admitted[c.cell] += Stage.CEREMONY in c.events
    legacy = _plan_legacy_members(rng, cells, _legacy_counts(rng, cells, admitted, scale), books,
                                  today)
    members = legacy + _plan_new_members(rng, candidates, books, today)
    _assign_helpers(rng, candidates, members)
    _number_documents(rng, candidates)
    users = _plan_users(rng, cells, members)
    meetings = _plan_meetings(rng, cells, members, today)
    ward_quota = sum(c.quota for c in cells)
    quotas = dict.fromkeys(range(FIRST_YEAR, today.year + 1), ward_quota)
    return WardPlan(cells, members, candidates, meetings, users, quotas)
