"""Queries about the ward committees, the province above them, and their cells.
Functions take the session first and never commit."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.cells import CellInfo, CellKind, resolve_cell
from bot.domain.wards import resolve_ward
from bot.store.models import Cell, Committee
from bot.store.slices import slices

WARD, PROVINCE = "ward", "province"


@dataclass(frozen=True)
class CommitteeInfo:
    id: int
    name: str
    superior_name: str
    kind: str = WARD
    parent_id: int | None = None


def _committee_info(row: Committee) -> CommitteeInfo:
    return CommitteeInfo(row.id, row.name, row.superior_name, row.kind, row.parent_id)


def _cell_info(row: Cell) -> CellInfo:
    return CellInfo(id=row.id, name=row.name, kind=CellKind(row.kind), quota=row.quota)


async def get_committee(session: AsyncSession, committee_id: int | None = None) -> CommitteeInfo | None:
    """The committee `committee_id` (a ward, or the province), or without one the only ward of a
    single-ward deployment (whose users and invites may carry no committee). With several wards
    there is no such ward: None, so that a user without a ward sees no ward's data."""
    if committee_id is not None:
        found = await session.get(Committee, committee_id)
        return _committee_info(found) if found else None
    rows = list(await session.scalars(
        select(Committee).where(Committee.kind == WARD).order_by(Committee.id).limit(2)))
    return _committee_info(rows[0]) if len(rows) == 1 else None


async def list_wards(session: AsyncSession) -> list[CommitteeInfo]:
    """Every ward committee of the deployment, in the order they were set up."""
    rows = await session.scalars(select(Committee).where(Committee.kind == WARD).order_by(Committee.id))
    return [_committee_info(r) for r in rows]


async def get_province(session: AsyncSession) -> CommitteeInfo | None:
    row = (await session.scalars(
        select(Committee).where(Committee.kind == PROVINCE).order_by(Committee.id).limit(1))).first()
    return _committee_info(row) if row else None


async def upsert_province(session: AsyncSession, name: str) -> tuple[int, bool]:
    """Create or rename the province; every ward without one comes under it, and says it is
    their superior. Returns (id, created)."""
    row = (await session.scalars(
        select(Committee).where(Committee.kind == PROVINCE).order_by(Committee.id).limit(1))).first()
    created = row is None
    if row is None:
        row = Committee(name=name, superior_name="", kind=PROVINCE)
        session.add(row)
        await session.flush()
    row.name = name
    await session.execute(
        update(Committee).where(Committee.kind == WARD, Committee.parent_id.is_(None))
        .values(parent_id=row.id, superior_name=name))
    return row.id, created


async def upsert_committee(session: AsyncSession, name: str, superior_name: str) -> tuple[int, bool]:
    """Set up a ward by name; returns (id, created).

    Without a province (a single-ward deployment) this creates the ward or renames the only one,
    as it always did. Under a province it updates the ward of that name or adds a new one."""
    province = await get_province(session)
    if province is None:
        row = (await session.scalars(
            select(Committee).where(Committee.kind == WARD).order_by(Committee.id).limit(1))).first()
    else:
        wards = {w.name: w.id for w in await list_wards(session)}
        stored = resolve_ward(name, wards)
        row = await session.get(Committee, wards[stored]) if stored is not None else None
    if row is None:
        row = Committee(name=name, superior_name=superior_name or (province.name if province else ""),
                        kind=WARD, parent_id=province.id if province else None)
        session.add(row)
        await session.flush()
        return row.id, True
    if province is None:  # the only ward: renamed (under a province the name finds the ward)
        row.name = name
    if superior_name:
        row.superior_name = superior_name
    return row.id, False


async def find_ward(session: AsyncSession, name: str) -> CommitteeInfo | None:
    """The ward a typed name means (bot.domain.wards.resolve_ward), or None."""
    wards = {w.name: w for w in await list_wards(session)}
    stored = resolve_ward(name, wards)
    return wards[stored] if stored is not None else None


async def list_cells(
    session: AsyncSession, committee_id: int, *, only: Collection[int] | None = None
) -> list[CellInfo]:
    """The committee's active cells by id; `only` limits them to those ids (a secretary's cell, a
    committee member's few), read by key instead of loading the whole ward to keep three."""
    query = select(Cell.id, Cell.name, Cell.kind, Cell.quota).where(
        Cell.committee_id == committee_id, Cell.active)
    if only is None:
        rows = list(await session.execute(query))
    else:
        rows = []
        for some in slices(sorted(only)):
            rows += await session.execute(query.where(Cell.id.in_(some)))
    return [CellInfo(id=i, name=n, kind=CellKind(k), quota=q) for i, n, k, q in sorted(rows)]


async def get_cell(
    session: AsyncSession, cell_id: int, committee_id: int | None = None
) -> CellInfo | None:
    """The active cell `cell_id`; with `committee_id`, only if it is that ward's (an id from a
    button of another ward's admin means no cell)."""
    row = await session.get(Cell, cell_id)
    if row is None or not row.active or (committee_id is not None and row.committee_id != committee_id):
        return None
    return _cell_info(row)


async def get_cell_by_name(session: AsyncSession, committee_id: int, name: str) -> CellInfo | None:
    """The cell `name` means, by the same rule as the CSV import (`resolve_cell`): exact, then
    without accents, then the short form ("Tổ 16"); an ambiguous name means no cell."""
    cells = {c.name: c for c in await list_cells(session, committee_id)}
    stored = resolve_cell(name, cells)
    return cells[stored] if stored is not None else None


async def lock_cell_reports(session: AsyncSession, cell_id: int) -> None:
    """Serialises the writes that first check "already reported?" for one cell (a meeting on a
    date, the same candidate twice) on PostgreSQL, where READ COMMITTED lets two transactions both
    see "nothing yet": the second waits here for the first to commit, then sees its row.
    FOR NO KEY UPDATE leaves inserts that merely reference the cell (they take KEY SHARE) free.
    On SQLite the write transaction's BEGIN IMMEDIATE already serialises every writer."""
    await session.execute(select(Cell.id).where(Cell.id == cell_id).with_for_update(key_share=True))


async def cell_committee(session: AsyncSession, cell_id: int) -> int | None:
    """The ward a cell belongs to (None for no such cell)."""
    return await session.scalar(select(Cell.committee_id).where(Cell.id == cell_id))
