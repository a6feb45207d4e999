"""Queries about the ward committee and its cells. Functions take the session first and never commit."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.cells import CellInfo, CellKind, resolve_cell
from bot.store.models import Cell, Committee
from bot.store.slices import slices


@dataclass(frozen=True)
class CommitteeInfo:
    id: int
    name: str
    superior_name: str




def _cell_info(row: Cell) -> CellInfo:
    return CellInfo(id=row.id, name=row.name, kind=CellKind(row.kind), quota=row.quota)


async def get_committee(session: AsyncSession) -> CommitteeInfo | None:
    """The ward committee (a deployment serves one ward)."""
    row = (await session.scalars(select(Committee).order_by(Committee.id).limit(1))).first()
    return CommitteeInfo(row.id, row.name, row.superior_name) if row else None


async def upsert_committee(session: AsyncSession, name: str, superior_name: str) -> tuple[int, bool]:
    """Create the committee or rename it; returns (id, created)."""
    row = (await session.scalars(select(Committee).order_by(Committee.id).limit(1))).first()
    if row is None:
        row = Committee(name=name, superior_name=superior_name)
        session.add(row)
        await session.flush()
        return row.id, True
    row.name = name
    if superior_name:
        row.superior_name = superior_name
    return row.id, False


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


async def get_cell(session: AsyncSession, cell_id: int) -> CellInfo | None:
    row = await session.get(Cell, cell_id)
    return _cell_info(row) if row and row.active else None


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
