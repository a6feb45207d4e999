"""Writing who joins and leaves a cell, and the quotas of the plan. Session first; never commits."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Cell, CellQuota, Member, YearQuota


async def member_row(session: AsyncSession, member_id: int) -> Member | None:
    return await session.get(Member, member_id)


async def member_named(session: AsyncSession, cell_id: int, full_name: str) -> Member | None:
    return (await session.scalars(
        select(Member).where(Member.cell_id == cell_id, Member.full_name == full_name))).first()


def snapshot(member: Member) -> dict[str, Any]:
    """What the audit log keeps of a member's membership (dates as ISO text)."""
    return {"cell_id": member.cell_id, "full_name": member.full_name, "status": member.status,
            "active": member.active, "joined_on": _iso(member.joined_on),
            "joined_how": member.joined_how, "left_on": _iso(member.left_on), "left_how": member.left_how}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


async def quota_rows(
    session: AsyncSession, committee_id: int, cell_id: int | None, year: int
) -> YearQuota | CellQuota | None:
    if cell_id is None:
        return (await session.scalars(select(YearQuota).where(
            YearQuota.committee_id == committee_id, YearQuota.year == year))).first()
    return (await session.scalars(select(CellQuota).join(Cell, Cell.id == CellQuota.cell_id).where(
        Cell.committee_id == committee_id, CellQuota.cell_id == cell_id, CellQuota.year == year))).first()


async def set_quota(
    session: AsyncSession, committee_id: int, cell_id: int | None, year: int, quota: int, set_by: str
) -> tuple[int, dict[str, Any] | None]:
    """Creates or changes the (cell or ward) quota for `year`; returns its id and what it was."""
    row = await quota_rows(session, committee_id, cell_id, year)
    before = {"quota": row.quota, "set_by": row.set_by} if row is not None else None
    if row is None:
        row = (YearQuota(committee_id=committee_id, year=year, quota=quota, set_by=set_by)
               if cell_id is None else CellQuota(cell_id=cell_id, year=year, quota=quota, set_by=set_by))
        session.add(row)
    else:
        row.quota, row.set_by = quota, set_by
    await session.flush()
    return row.id, before
