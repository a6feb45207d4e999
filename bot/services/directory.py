"""Read-only look-ups every channel needs: the cells a user may see."""

from __future__ import annotations

from bot.domain.cells import CellInfo
from bot.domain.roles import Actor, Role
from bot.store.committees import get_committee, list_cells
from bot.store.db import Database


async def visible_cells(db: Database, actor: Actor) -> list[CellInfo]:
    """Admin: every cell; committee member: the cells in their charge; secretary: their own."""
    async with db.read() as session:
        committee = await get_committee(session)
        if committee is None:
            return []
        cells = await list_cells(session, committee.id)
    if actor.role is Role.ADMIN:
        return cells
    return [c for c in cells if actor.can_read_cell(c.id)]
