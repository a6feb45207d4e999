"""The demo ward written into an empty, migrated database: the plan (bot.demo.plan) in one
transaction of bulk INSERTs; and the demo users' names read back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import GeneralSettings
from bot.demo.plan import plan_ward
from bot.demo.shapes import WardPlan
from bot.demo.ward import (
    CELL_QUOTA_SET_BY,
    DEMO_CHANNEL,
    DEMO_DISPLAY_NAMES,
    DEMO_PROVINCE_ID,
    FIRST_YEAR,
    OTHER_WARD_NAMES,
    SUPERIOR_NAME,
    WARD_ID_STEP,
    WARD_NAME,
    WARD_QUOTA_SET_BY,
    DemoSummary,
    DemoWardError,
)
from bot.domain.channels import sample_external_id
from bot.domain.roles import Role
from bot.domain.stages import Stage
from bot.store.db import Database
from bot.store.models import (
    AuditLog,
    Candidate,
    CandidateEvent,
    Cell,
    CellQuota,
    Committee,
    CommitteeAssignment,
    Meeting,
    MeetingAbsence,
    Member,
    User,
    YearQuota,
)

# The ward's own zone (the default of general.timezone), not the deployment's: the demo ward is
# the same rows wherever it is written.
WARD_TZ = ZoneInfo(GeneralSettings.timezone)
# Rows per INSERT batch: large enough that a round trip is nothing next to the rows it carries.
CHUNK_ROWS = 5_000


def _stamp(d: date, hour: int = 9) -> datetime:
    """A deterministic UTC timestamp for something done on local day `d` at `hour`."""
    return datetime(d.year, d.month, d.day, hour, tzinfo=WARD_TZ).astimezone(UTC)


# ── Writing ───────────────────────────────────────────────────────────────────────────────────


async def _insert(session: AsyncSession, model: Any, rows: Iterable[dict[str, Any]]) -> None:
    """executemany per chunk of rows: both drivers batch it, no round trip per row, and only one
    chunk of row dicts (and of the driver's copies of them) is in memory at a time, whatever the
    ward's size."""
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_ROWS)):
        await session.execute(insert(model), chunk)


async def _insert_ids(
    session: AsyncSession, model: Any, rows: Iterable[dict[str, Any]], key: tuple[str, ...]
) -> list[int]:
    """Insert `rows`, then read their ids back by a natural key unique among them.

    Not INSERT … RETURNING: keeping RETURNING rows in parameter order makes SQLAlchemy fall back
    to one statement per row on SQLite, 20 times slower at scale 10.
    """
    keys: list[tuple[Any, ...]] = []

    def keyed() -> Iterator[dict[str, Any]]:
        for row in rows:
            keys.append(tuple(row[k] for k in key))
            yield row

    await _insert(session, model, keyed())
    columns = [getattr(model, k) for k in key]
    found = {tuple(r[1:]): r[0] for r in await session.execute(select(model.id, *columns))}
    return [found[k] for k in keys]


async def _write_plan(
    session: AsyncSession, plan: WardPlan, today: date, channel: str, *, name: str = WARD_NAME,
    province_id: int | None = None, id_offset: int = 0,
) -> None:
    created = _stamp(date(FIRST_YEAR - 1, 12, 1), 8)
    committee_id = (await _insert_ids(session, Committee, [
        {"name": name, "superior_name": SUPERIOR_NAME, "created_at": created, "kind": "ward",
         "parent_id": province_id}
    ], ("name",)))[0]
    cell_ids = await _insert_ids(session, Cell, [
        {"committee_id": committee_id, "name": c.name, "kind": c.kind.value, "quota": None,
         "active": True, "created_at": created} for c in plan.cells
    ], ("committee_id", "name"))
    await _insert(session, YearQuota, [
        {"committee_id": committee_id, "year": y, "quota": q, "set_by": WARD_QUOTA_SET_BY}
        for y, q in plan.year_quotas.items()
    ])
    # The ward splits the city's quota among its cells: each cell its kind's default, every year.
    await _insert(session, CellQuota, [
        {"cell_id": cell_ids[i], "year": y, "quota": c.quota, "set_by": CELL_QUOTA_SET_BY,
         "updated_at": created}
        for y in plan.year_quotas for i, c in enumerate(plan.cells)
    ])
    user_ids = await _write_users(session, plan, cell_ids, today, channel, committee_id, id_offset)
    secretary_of = {u.cell: user_ids[k] for k, u in enumerate(plan.users)
                    if u.role is Role.SECRETARY}
    member_ids = await _insert_ids(session, Member, (
        {"cell_id": cell_ids[m.cell], "full_name": m.full_name, "status": m.status.value,
         "admitted_on": m.admitted_on, "left_on": m.left_on, "active": m.left_on is None,
         "joined_on": m.admitted_on if m.joined_how else None, "joined_how": m.joined_how,
         "left_how": m.left_how, "left_note": ""}
        for m in plan.members
    ), ("cell_id", "full_name"))
    await _write_candidates(session, plan, cell_ids, member_ids, secretary_of)
    await _write_meetings(session, plan, cell_ids, member_ids, secretary_of)
    session.add(AuditLog(at=_stamp(today, 8), actor_label="chibo demo", action="demo.generate",
                         entity="committee", entity_id=committee_id,
                         after={"cells": len(plan.cells), "members": len(plan.members)}))


async def _write_users(
    session: AsyncSession, plan: WardPlan, cell_ids: list[int], today: date, channel: str,
    committee_id: int, id_offset: int,
) -> list[int]:
    joined = _stamp(today - timedelta(days=30), 10)
    user_ids = await _insert_ids(session, User, [
        {"channel": channel, "external_id": sample_external_id(channel, u.telegram_id + id_offset),
         "chat_id": sample_external_id(channel, u.telegram_id + id_offset),
         "display_name": u.display_name, "role": u.role.value,
         "cell_id": cell_ids[u.cell] if u.cell is not None else None, "active": True,
         "committee_id": committee_id, "unreachable_since": None, "created_at": joined}
        for u in plan.users
    ], ("channel", "external_id"))
    await _insert(session, CommitteeAssignment, [
        {"user_id": user_ids[k], "cell_id": cell_ids[cell]}
        for k, u in enumerate(plan.users) for cell in u.cells
    ])
    return user_ids


async def _write_candidates(
    session: AsyncSession, plan: WardPlan, cell_ids: list[int], member_ids: list[int],
    secretary_of: dict[int | None, int],
) -> None:
    rows = []
    for c in plan.candidates:
        last = max([*c.events.values(), c.dropped_on or date.min])
        rows.append({
            "cell_id": cell_ids[c.cell], "full_name": c.full_name, "birth_year": c.birth.year,
            "birth_month": None if c.birth_year_only else c.birth.month,
            "birth_day": None if c.birth_year_only else c.birth.day,
            "gender": c.gender.value, "background": c.background.value,
            "helper_member_id": member_ids[c.helper],
            "helper_name": plan.members[c.helper].full_name,
            "stage": c.stage.value, "dropped_on": c.dropped_on,
            "dropped_reason": c.dropped_reason,
            "created_at": _stamp(c.events[Stage.SPOTTED], 20), "updated_at": _stamp(last, 20),
        })
    # Candidates' names are unique in their cell too (drawn from the cell's name book).
    candidate_ids = await _insert_ids(session, Candidate, rows, ("cell_id", "full_name"))
    await _insert(session, CandidateEvent, (
        {"candidate_id": candidate_ids[k], "stage": stage.value, "happened_on": day,
         "details": c.details.get(stage, {}), "recorded_by": secretary_of[c.cell],
         "recorded_at": _stamp(day, 20)}
        for k, c in enumerate(plan.candidates) for stage, day in c.events.items()
    ))


async def _write_meetings(
    session: AsyncSession, plan: WardPlan, cell_ids: list[int], member_ids: list[int],
    secretary_of: dict[int | None, int],
) -> None:
    meeting_ids = await _insert_ids(session, Meeting, (
        {"cell_id": cell_ids[m.cell], "held_on": m.held_on, "kind": m.kind,
         "expected": m.expected, "present": m.expected - len(m.absences),
         "absent_excused": sum(excused for _, excused in m.absences),
         "absent_unexcused": sum(not excused for _, excused in m.absences),
         "committee_member_attended": m.committee_attended,
         "reported_by": secretary_of[m.cell], "created_at": _stamp(m.held_on, 21)}
        for m in plan.meetings
    ), ("cell_id", "held_on"))
    await _insert(session, MeetingAbsence, (
        {"meeting_id": meeting_ids[k], "member_id": member_ids[i], "excused": excused}
        for k, m in enumerate(plan.meetings) for i, excused in m.absences
    ))


async def get_demo_display_name(
    session: AsyncSession, telegram_id: int, channel: str = DEMO_CHANNEL
) -> str | None:
    """The display name of any demo user (the generated secretaries too), or None if unknown."""
    return await session.scalar(
        select(User.display_name).where(
            User.channel == channel, User.external_id == sample_external_id(channel, telegram_id)
        )
    )


# ── Public API ────────────────────────────────────────────────────────────────────────────────


async def write_demo_ward(
    db: Database, *, today: date, scale: float = 1.0, seed: int = 2024, channel: str = DEMO_CHANNEL,
    wards: int = 1,
) -> DemoSummary:
    """Fill an empty, migrated database with the demo ward as it stands on `today`.

    The demo users are registered on `channel` (Telegram by default; "zalo" for `chibo try
    --channel zalo` and the Zalo end-to-end tests).

    `scale` multiplies the cells and members (10 → ≈320 cells, ≈17,000 members) for benchmarks;
    Chi bộ tổ 16 stays exactly as the seed describes it. Raises DemoWardError when the database
    already has a committee, ValueError for a scale ≤ 0 or a `today` before 2024 (the 2023
    figures must be complete).

    `wards` > 1 writes a province (the city, SUPERIOR_NAME) with that many wards under it: the
    seed's ward first, exactly as alone, then wards of OTHER_WARD_NAMES generated from the next
    seeds, each with its own users (ids shifted by WARD_ID_STEP), and the province's demo user.
    """
    if not 1 <= wards <= 1 + len(OTHER_WARD_NAMES):
        raise ValueError(f"wards must be 1 to {1 + len(OTHER_WARD_NAMES)}, got {wards}")
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    if today < date(2024, 1, 1):
        raise ValueError(
            f"today must be in 2024 or later (the 2023 figures are complete), got {today}"
        )
    plans = [plan_ward(today, scale, seed + k) for k in range(wards)]
    plan = plans[0]
    async with db.write() as session:
        existing = await session.scalar(select(Committee.name).limit(1))
        if existing is not None:
            raise DemoWardError(
                f"the database already holds a committee ({existing!r}); "
                "the demo ward is written only into an empty database"
            )
        province_id = await _write_province(session, today, channel) if wards > 1 else None
        for k, ward_plan in enumerate(plans):
            await _write_plan(session, ward_plan, today, channel,
                              name=WARD_NAME if k == 0 else OTHER_WARD_NAMES[k - 1],
                              province_id=province_id, id_offset=k * WARD_ID_STEP)
    return DemoSummary(
        cells=sum(len(p.cells) for p in plans),
        members=sum(len(p.members) for p in plans),
        candidates=sum(len(p.candidates) for p in plans),
        meetings=sum(len(p.meetings) for p in plans),
        users=sum(len(p.users) for p in plans) + (1 if wards > 1 else 0),
        admitted_by_year=plan.admitted_by_year(),  # the seed's ward's
        events=sum(len(c.events) for p in plans for c in p.candidates),
        absences=sum(len(m.absences) for p in plans for m in p.meetings),
    )


async def _write_province(session: AsyncSession, today: date, channel: str) -> int:
    """The city above the demo wards, and its organisation department's demo user."""
    created = _stamp(date(FIRST_YEAR - 1, 12, 1), 8)
    province_id = (await _insert_ids(session, Committee, [
        {"name": SUPERIOR_NAME, "superior_name": "", "created_at": created, "kind": "province",
         "parent_id": None}
    ], ("name",)))[0]
    external = sample_external_id(channel, DEMO_PROVINCE_ID)
    await _insert(session, User, [
        {"channel": channel, "external_id": external, "chat_id": external,
         "display_name": DEMO_DISPLAY_NAMES[DEMO_PROVINCE_ID], "role": Role.PROVINCE.value,
         "cell_id": None, "active": True, "committee_id": province_id, "unreachable_since": None,
         "created_at": _stamp(today - timedelta(days=30), 10)}])
    return province_id
