"""Setting up a ward: the committee itself (`chibo init`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import DomainError
from bot.store.audit import add_audit
from bot.store.committees import CommitteeInfo, get_committee, upsert_committee
from bot.store.db import Database


@dataclass(frozen=True)
class WardSetup:
    committee: CommitteeInfo | None
    created: bool


async def set_up_ward(
    db: Database, *, committee_name: str | None, superior_name: str | None, actor_label: str
) -> WardSetup:
    """Create or rename the ward committee. Without a name, report what is there."""
    async with db.write() as session:
        if not committee_name:
            return WardSetup(await get_committee(session), created=False)
        name = committee_name.strip()
        if not name or len(name) > 200:
            raise DomainError("committee_name_invalid")
        committee_id, created = await upsert_committee(session, name, (superior_name or "").strip())
        await add_audit(session, action="init_committee", entity="committee",
                        entity_id=committee_id, actor_label=actor_label,
                        after={"name": name, "superior": superior_name or ""})
        return WardSetup(await get_committee(session), created)


async def require_committee(db: Database) -> CommitteeInfo:
    async with db.read() as session:
        committee = await get_committee(session)
    if committee is None:
        raise DomainError("committee_missing")
    return committee
