"""The acting user, checked again inside the write transaction that acts for them.

Handlers look the user up (`handlers.common.acting`) before calling a service, in a separate read.
A secretary replaced, re-roled or deactivated in between would still write once with that stale
Actor, so every service that writes on someone's behalf calls `confirm_actor` first thing inside
its `db.write()` block: the check and the write then commit together, or not at all.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import PermissionDenied
from bot.domain.roles import Actor, Role
from bot.store.committees import cell_committee
from bot.store.users import get_user_for_share


async def confirm_actor(session: AsyncSession, actor: Actor) -> None:
    """Raises PermissionDenied(reason="access_lost") unless `actor` is still an active user with
    the same role and cell as when it was looked up."""
    current = await get_user_for_share(session, actor.user_id)
    if (current is None or not current.active or current.role is not actor.role
            or current.cell_id != actor.cell_id or current.committee_id != actor.committee_id):
        raise PermissionDenied(reason="access_lost")


async def require_ward_cell(session: AsyncSession, actor: Actor, cell_id: int) -> None:
    """An admin acts on any cell of their own ward, never another ward's (an id from a forged
    button): PermissionDenied(reason="other_cell"). Secretaries and committee members are held to
    their own cells by `Actor.can_read_cell` already."""
    if (actor.role is Role.ADMIN and actor.committee_id is not None
            and await cell_committee(session, cell_id) != actor.committee_id):
        raise PermissionDenied(reason="other_cell", cell_id=cell_id)
