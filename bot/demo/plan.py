"""The demo ward decided in memory, no I/O: cells, members, candidates with their timelines,
meetings and users, deterministic for a seed, `today` and scale (see bot.demo for the story)."""

from __future__ import annotations

import random
from datetime import date

from bot.config import QuotaSettings
from bot.demo.candidates import plan_admissions, plan_dropouts, plan_pipeline, plan_specials
from bot.demo.meetings import plan_meetings
from bot.demo.members import (
    assign_helpers,
    legacy_counts,
    number_documents,
    plan_departed,
    plan_legacy_members,
    plan_new_members,
)
from bot.demo.names import NameBook
from bot.demo.shapes import CellPlan, MemberPlan, PlanCalendar, UserPlan, WardPlan
from bot.demo.ward import (
    BASE_RESIDENTIAL_CELLS,
    COMMITTEE_ID_BASE,
    DEMO_ADMIN_ID,
    DEMO_COMMITTEE_CELLS,
    DEMO_COMMITTEE_ID,
    DEMO_DISPLAY_NAMES,
    DEMO_SECRETARY_ID,
    EXTRA_CELL_TEMPLATES,
    FIRST_PLAN_YEAR,
    MEMBERS_END_2023,
    OTHER_CELLS,
    SECRETARY_ID_BASE,
    TO16,
)
from bot.domain.candidates import Gender
from bot.domain.cells import CellKind
from bot.domain.roles import Role
from bot.domain.stages import Stage

# ── Planning: cells ───────────────────────────────────────────────────────────────────────────


def _default_quota(kind: CellKind) -> int:
    return int(getattr(QuotaSettings(), kind.value))


def plan_cells(scale: float) -> list[CellPlan]:
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
    return [CellPlan(name, kind, _default_quota(kind)) for name, kind in named + others]


# ── Planning: users ───────────────────────────────────────────────────────────────────────────


def plan_users(
    rng: random.Random, cells: list[CellPlan], members: list[MemberPlan]
) -> list[UserPlan]:
    names = {c.name: i for i, c in enumerate(cells)}
    to16 = names[TO16]
    mine = [names[n] for n in DEMO_COMMITTEE_CELLS if n in names]
    users = [
        UserPlan(DEMO_ADMIN_ID, DEMO_DISPLAY_NAMES[DEMO_ADMIN_ID], Role.ADMIN),
        UserPlan(DEMO_COMMITTEE_ID, DEMO_DISPLAY_NAMES[DEMO_COMMITTEE_ID], Role.COMMITTEE,
                  cells=mine),
        UserPlan(DEMO_SECRETARY_ID, DEMO_DISPLAY_NAMES[DEMO_SECRETARY_ID], Role.SECRETARY,
                  cell=to16),
    ]
    for i, cell in enumerate(cells):
        if i != to16:
            users.append(UserPlan(SECRETARY_ID_BASE + i + 1, members[cell.secretary].full_name,
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
        users.append(UserPlan(COMMITTEE_ID_BASE + k + 1, book.draw(rng, gender), Role.COMMITTEE,
                               cells=group))
    return users


# ── The whole plan ────────────────────────────────────────────────────────────────────────────


def plan_ward(today: date, scale: float, seed: int) -> WardPlan:
    rng = random.Random(seed)
    cal = PlanCalendar()
    cells = plan_cells(scale)
    for cell in cells:
        residential = cell.kind is CellKind.RESIDENTIAL
        cell.meeting_day = rng.randint(3, 20) if residential else rng.randint(5, 25)
    candidates = (
        plan_admissions(rng, cal, cells, today, scale)
        + plan_specials(rng, cal, cells, today)
        + plan_pipeline(rng, cal, cells, today)
        + plan_dropouts(rng, cal, cells, today, scale)
    )
    books = [NameBook() for _ in cells]
    admitted = [0] * len(cells)
    for c in candidates:
        admitted[c.cell] += Stage.CEREMONY in c.events
    side = random.Random(f"{seed}:members")  # what the seed's own stream did not plan
    legacy = plan_legacy_members(rng, cells, legacy_counts(rng, cells, admitted, scale), books,
                                  today, side)
    members = legacy + plan_new_members(rng, candidates, books, today)
    assign_helpers(rng, candidates, members)
    number_documents(rng, candidates)
    users = plan_users(rng, cells, members)
    meetings = plan_meetings(rng, cells, members, today)
    members += plan_departed(side, cells, members, books, today, round(MEMBERS_END_2023 * scale))
    ward_quota = sum(c.quota for c in cells)
    quotas = dict.fromkeys(range(FIRST_PLAN_YEAR, today.year + 1), ward_quota)
    return WardPlan(cells, members, candidates, meetings, users, quotas)
