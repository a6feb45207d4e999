"""Which ward a command acts on: the one named (`chibo import --committee`), else the only one.

A single-ward deployment never has to name its ward; a province deployment must, and is told
the names it can use.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError, NotFound
from bot.domain.roles import Actor
from bot.store.committees import CommitteeInfo, find_ward, get_committee, list_wards


async def choose_ward(session: AsyncSession, name: str | None) -> CommitteeInfo:
    """The ward `name` means, or the only ward there is. NotFound("committee_missing") on a
    database with no ward, NotFound("committee_unknown") for a name that fits none (or several),
    DomainError("committee_choose") when there are several wards and no name."""
    if name:
        ward = await find_ward(session, name)
        if ward is None:
            raise NotFound("committee_unknown", name=name,
                           names="; ".join(w.name for w in await list_wards(session)))
        return ward
    wards = await list_wards(session)
    if not wards:
        raise NotFound("committee_missing")
    if len(wards) > 1:
        raise DomainError("committee_choose", names="; ".join(w.name for w in wards))
    return wards[0]


async def actor_ward(session: AsyncSession, actor: Actor) -> CommitteeInfo | None:
    """The committee the actor belongs to (their ward; for a province user, the province)."""
    return await get_committee(session, actor.committee_id)
