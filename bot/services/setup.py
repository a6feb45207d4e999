"""Setting up a ward: the committee itself (`chibo init`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import DomainError
from bot.store.audit import add_audit
from bot.store.committees import (
    CommitteeInfo,
    get_committee,
    get_province,
    list_wards,
    upsert_committee,
    upsert_province,
)
from bot.store.db import Database


@dataclass(frozen=True)
class WardSetup:
    committee: CommitteeInfo | None
    created: bool
    wards: int = 0  # how many wards the database holds (a province: several, none reported alone)


async def set_up_ward(
    db: Database, *, committee_name: str | None, superior_name: str | None, actor_label: str,
    province_name: str | None = None,
) -> WardSetup:
    """Create or rename the ward committee (under a province: add or update the ward of that
    name). With `province_name`, first create or rename the province, which every ward without
    one then comes under. Without a ward name, report the only ward there is."""
    async with db.write() as session:
        if province_name:
            name = province_name.strip()
            if not name or len(name) > 200:
                raise DomainError("committee_name_invalid")
            province_id, _ = await upsert_province(session, name)
            await add_audit(session, action="init_province", entity="committee",
                            entity_id=province_id, actor_label=actor_label, after={"name": name})
        if not committee_name:
            wards = await list_wards(session)
            return WardSetup(wards[0] if len(wards) == 1 else None, created=False, wards=len(wards))
        name = committee_name.strip()
        if not name or len(name) > 200:
            raise DomainError("committee_name_invalid")
        committee_id, created = await upsert_committee(session, name, (superior_name or "").strip())
        await add_audit(session, action="init_committee", entity="committee",
                        entity_id=committee_id, actor_label=actor_label,
                        after={"name": name, "superior": superior_name or ""})
        return WardSetup(await get_committee(session, committee_id), created)


async def require_committee(db: Database, committee_id: int | None = None) -> CommitteeInfo:
    """The committee `committee_id` (a user's ward or province); without one, the province a
    deployment serves, else its only ward (what a stranger is told they are talking to)."""
    async with db.read() as session:
        committee = (await get_committee(session, committee_id) if committee_id is not None
                     else await get_province(session) or await get_committee(session))
    if committee is None:
        raise DomainError("committee_missing")
    return committee
