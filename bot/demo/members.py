"""Planning the demo ward's members: those from before 2022, those admitted since, and who helps
and introduced each candidate."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bot.demo.names import NameBook
from bot.demo.shapes import (
    CandidatePlan,
    CellPlan,
    MemberPlan,
    active_members,
    random_day,
    stays,
)
from bot.demo.ward import (
    BASE_MEMBERS,
    DEMO_DISPLAY_NAMES,
    DEMO_SECRETARY_ID,
    FIRST_YEAR,
    TO16,
    TO16_MEMBERS_END_2022,
)
from bot.domain.candidates import Background, Gender
from bot.domain.cells import CellKind
from bot.domain.members import MemberStatus
from bot.domain.membership import JoinKind, LeaveKind
from bot.domain.stages import Stage
from bot.domain.workdays import add_months

# ── Planning: members, helpers, introducers ──────────────────────────────────────────────────

# How members leave, and how often: most move away, some die, a few are struck off or expelled.
LEAVE_KINDS = ((LeaveKind.TRANSFERRED_OUT, 0.5), (LeaveKind.DIED, 0.35), (LeaveKind.STRUCK_OFF, 0.12),
               (LeaveKind.EXPELLED, 0.03))


def leave_kind(side: random.Random) -> str:
    return side.choices([k for k, _ in LEAVE_KINDS], [w for _, w in LEAVE_KINDS])[0].value


def legacy_counts(
    rng: random.Random, cells: list[CellPlan], admitted: list[int], scale: float
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


def plan_legacy_members(
    rng: random.Random, cells: list[CellPlan], counts: list[int], books: list[NameBook],
    today: date, side: random.Random,
) -> list[MemberPlan]:
    """`side` draws why leavers left: a stream of its own, so the rest of the ward stays as it was."""
    members: list[MemberPlan] = []
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
            member = MemberPlan(i, name, random_day(rng, first, date(2021, 12, 31)))
            if k > 0 and rng.random() < 0.025 and leave_from < today - timedelta(days=1):
                member.left_on = random_day(rng, leave_from, today - timedelta(days=1))
                member.left_how = leave_kind(side)
            members.append(member)
    return members


def plan_new_members(
    rng: random.Random, candidates: list[CandidatePlan], books: list[NameBook], today: date
) -> list[MemberPlan]:
    """Name every candidate; the ones past their ceremony are members (probationary until
    recognised), admitted on the ceremony date."""
    members = []
    for c in candidates:
        c.full_name = books[c.cell].draw(rng, c.gender)
        ceremony = c.events.get(Stage.CEREMONY)
        if ceremony is not None:
            full = Stage.FULL_MEMBER in c.events
            status = MemberStatus.FULL if full else MemberStatus.PROBATIONARY
            members.append(MemberPlan(c.cell, c.full_name, ceremony, status,
                                      joined_how=JoinKind.ADMITTED.value))
    return members


def assign_helpers(
    rng: random.Random, candidates: list[CandidatePlan], members: list[MemberPlan]
) -> None:
    """A full member helps each candidate and introduces them, with a second member or, for a
    youth-union member, with the youth union's resolution (the details bot.domain.pipeline
    accepts); the cell votes with a two-thirds majority at least."""
    by_cell: dict[int, list[int]] = {}
    for i, m in enumerate(members):
        if m.admitted_on.year < FIRST_YEAR:
            by_cell.setdefault(m.cell, []).append(i)
    for c in candidates:
        pool = [i for i in by_cell[c.cell] if stays(members[i])]
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
            full = len(active_members(members, by_cell[c.cell], voted))
            total = max(3, round(full * rng.uniform(0.8, 0.95)))  # the full members present
            c.details[Stage.CELL_VOTE] = {
                "votes_for": total - rng.randint(0, total // 12), "votes_total": total
            }


def number_documents(rng: random.Random, candidates: list[CandidatePlan]) -> None:
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


def plan_departed(
    side: random.Random, cells: list[CellPlan], members: list[MemberPlan], books: list[NameBook],
    today: date, target_end_2023: int,
) -> list[MemberPlan]:
    """Members on the list at the end of 2023 who have left since, before the year of meetings the
    demo holds, so that the ward counts `target_end_2023` then ("trên 1.700 đảng viên"). Drawn
    last and from `side`, so nothing else in the ward changes; never in Chi bộ tổ 16, whose 119
    is the seed's."""
    end_2023 = date(2023, 12, 31)
    counted = sum(1 for m in members if m.admitted_on <= end_2023
                  and (m.left_on is None or m.left_on > end_2023))
    first = date(2024, 1, 10)
    last = add_months(today.replace(day=1), -12) - timedelta(days=1)  # before the first meeting
    others = [i for i, c in enumerate(cells) if c.name != TO16]
    if target_end_2023 <= counted or last < first or not others:
        return []
    departed = []
    for k in range(target_end_2023 - counted):
        cell = others[k % len(others)]
        residential = cells[cell].kind is CellKind.RESIDENTIAL
        gender = Gender.FEMALE if side.random() < 0.5 else Gender.MALE
        admitted = random_day(side, date(1965 if residential else 1992, 1, 1), date(2021, 12, 31))
        member = MemberPlan(cell, books[cell].draw(side, gender), admitted)
        member.left_on, member.left_how = random_day(side, first, last), leave_kind(side)
        departed.append(member)
    return departed
