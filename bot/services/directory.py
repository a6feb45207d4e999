"""Read-only look-ups every channel needs: the cells a user may see, the cell a secretary reports for."""

from __future__ import annotations

from bot.domain.cells import CellInfo, CellKind
from bot.domain.errors import NotFound
from bot.domain.roles import Actor, Role, require_read, require_secretary
from bot.store.committees import get_cell, get_committee, list_cells
from bot.store.db import Database
from bot.store.users import cell_names


async def visible_cells(db: Database, actor: Actor) -> list[CellInfo]:
    """Admin: every cell; committee member: the cells in their charge; secretary: their own."""
    async with db.read() as session:
        committee = await get_committee(session, actor.committee_id)
        if committee is None:
            return []
        if actor.role is Role.ADMIN:
            return await list_cells(session, committee.id)
        mine = actor.cell_ids if actor.role is Role.COMMITTEE else {actor.cell_id} - {None}
        cells = await list_cells(session, committee.id, only=mine)
    return [c for c in cells if actor.can_read_cell(c.id)]


async def reporting_cell(db: Database, actor: Actor) -> tuple[int, str]:
    """The id and name of the cell `actor` reports for (meetings, candidates); PermissionDenied
    (reason "secretary_only") for anyone but a cell secretary."""
    cell_id = require_secretary(actor)
    async with db.read() as session:
        names = await cell_names(session, [cell_id])
    return cell_id, names[0] if names else ""


async def cell_kind(db: Database, actor: Actor, cell_id: int) -> CellKind:
    """The kind of a cell the actor may see (who introduces a candidate depends on it)."""
    require_read(actor, cell_id)
    async with db.read() as session:
        cell = await get_cell(session, cell_id, actor.committee_id)
    if cell is None:
        raise NotFound(entity="cell", id=cell_id)
    return cell.kind
