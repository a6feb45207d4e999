"""Planning the demo ward's candidates: admissions per year and cell, the pipeline in progress,
drop-outs, and the few candidates the reminders are about (see bot.demo for the story)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from bot.demo.names import DROP_REASONS
from bot.demo.shapes import BASE_CELL_NAMES, CandidatePlan, CellPlan, PlanCalendar, Timeline, random_day
from bot.demo.ward import ADMITTED_2022, ADMITTED_2023, BEHIND_THIS_YEAR, TO16, TO16_ADMITTED_2023, YEAR_PACE
from bot.domain.candidates import Background, Gender
from bot.domain.stages import PIPELINE, Stage, stage_index
from bot.domain.workdays import add_months

# ── Planning: candidate timelines ─────────────────────────────────────────────────────────────

StepBack = Callable[[random.Random, PlanCalendar, date], date]

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
    rng: random.Random, cal: PlanCalendar, stage: Stage, last: date,
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
    rng: random.Random, cal: PlanCalendar, decision: date, ceremony: date | None = None
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


def _decision_day(rng: random.Random, cal: PlanCalendar, first: date, last: date) -> date:
    """A working day in [first, last] (decisions are signed in office hours)."""
    d = cal.on_or_after(random_day(rng, first, last))
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
    rng: random.Random, cells: list[CellPlan], today: date, scale: float
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


def _this_year_targets(rng: random.Random, cells: list[CellPlan]) -> list[int]:
    targets = []
    for cell in cells:
        if cell.name in BEHIND_THIS_YEAR:
            targets.append(BEHIND_THIS_YEAR[cell.name])
        elif cell.name not in BASE_CELL_NAMES and rng.random() < 0.2:
            targets.append(0 if cell.quota == 1 else rng.randint(0, cell.quota - 1))
        else:
            targets.append(cell.quota + (1 if rng.random() < 0.2 else 0))
    return targets


def _new_candidate(rng: random.Random, cell: int, events: Timeline) -> CandidatePlan:
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
    return CandidatePlan(cell, gender, birth, rng.random() < 0.15, background, events)


def plan_admissions(
    rng: random.Random, cal: PlanCalendar, cells: list[CellPlan], today: date, scale: float
) -> list[CandidatePlan]:
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


def _admission_decision_day(rng: random.Random, cal: PlanCalendar, year: int, cell: str) -> date:
    if cell == TO16 and year == 2023:
        # Both must have had their ceremony by 31 December to make 119 members at year end.
        return _decision_day(rng, cal, date(2023, 3, 1), date(2023, 10, 15))
    return _decision_day(rng, cal, date(year, 1, 8), date(year, 12, 22))


# ── Planning: the candidates the reminders are about ─────────────────────────────────────────


def _special_timelines(
    rng: random.Random, cal: PlanCalendar, today: date
) -> list[tuple[str, Timeline]]:
    """(cell, timeline) for the candidates whose clocks are close to `today` (module docstring)."""
    year_ago = add_months(today, -12)
    probation_soon = year_ago + timedelta(days=18)
    specials = [
        (TO16, _timeline_until(rng, cal, Stage.SPOTTED, today - timedelta(days=40))),
        (TO16, _timeline_until(rng, cal, Stage.COURSE, today - timedelta(days=75))),
        (TO16, _timeline_until(rng, cal, Stage.DOSSIER, today - timedelta(days=120))),
        # The decision is due 60 working days after the cell vote (domain.deadlines).
        (TO16, _awaiting_decision(rng, cal, cal.shift(today, -56))),
        ("Chi bộ tổ 9", _awaiting_decision(rng, cal, cal.shift(today, -63))),
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


WARD_AFTER_VOTE = 10  # working days from the cell vote to the ward resolution, in the story


def _awaiting_decision(rng: random.Random, cal: PlanCalendar, voted: date) -> Timeline:
    """A candidate awaiting the decision whose cell voted on `voted` (where the decision clock
    starts), the ward resolving a fortnight later. Draws from `rng` exactly as a timeline up to
    the ward resolution does, so the rest of the demo is unchanged."""
    timeline = _timeline_until(rng, cal, Stage.WARD_RESOLUTION, voted)
    timeline[Stage.CELL_VOTE] = voted
    timeline[Stage.WARD_RESOLUTION] = cal.shift(voted, WARD_AFTER_VOTE)
    return timeline


def _probation_timeline(rng: random.Random, cal: PlanCalendar, ceremony: date) -> Timeline:
    """An admission whose ceremony was on `ceremony` and whose probation is not yet recognised."""
    decision = cal.shift(ceremony, -rng.randint(5, 20))
    timeline = _admission_timeline(rng, cal, decision, ceremony)
    del timeline[Stage.FULL_MEMBER]
    return timeline


def plan_specials(
    rng: random.Random, cal: PlanCalendar, cells: list[CellPlan], today: date
) -> list[CandidatePlan]:
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


def plan_pipeline(
    rng: random.Random, cal: PlanCalendar, cells: list[CellPlan], today: date
) -> list[CandidatePlan]:
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


def plan_dropouts(
    rng: random.Random, cal: PlanCalendar, cells: list[CellPlan], today: date, scale: float
) -> list[CandidatePlan]:
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
