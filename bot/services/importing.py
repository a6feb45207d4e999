"""Use-cases: import the ward's cells, then its members, from CSV files (`chibo import ...`).

All or nothing: the whole file is checked first and any problem rejects it (`ImportRejected`,
every problem listed) with nothing written. A clean file is upserted in one transaction with one
audit row (a members file planned beforehand and written in bulk, so the write lock is held
briefly), so running the same file again changes nothing and says so (all rows "unchanged").
Matching and update rules are in bot.store.importing; file format and problem codes in
bot.domain.csv_import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.csv_import import (
    ImportRejected,
    Problem,
    decode_csv,
    parse_cells_csv,
    parse_members_csv,
    parse_quotas_csv,
)
from bot.services.wards import choose_ward
from bot.store.audit import add_audit
from bot.store.db import Database
from bot.store.importing import (
    ImportCounts,
    apply_member_plan,
    list_active_cell_names,
    plan_members,
    read_member_snapshot,
    upsert_cells,
    upsert_quotas,
)

__all__ = ["ImportRejected", "ImportReport", "Problem", "import_cells", "import_members", "import_quotas"]

# The code other use-cases raise too, so error_text finds the shared `error.committee_missing`.
NO_COMMITTEE = "committee_missing"
_ACTOR_LABEL_MAX = 60  # AuditLog.actor_label's column size


@dataclass(frozen=True)
class ImportReport:
    """What an accepted import did, for the summary line (texts: `import.report.<kind>`)."""

    kind: Literal["cells", "members", "quotas"]
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


async def import_cells(
    db: Database, data: bytes, *, actor_label: str, today: date, committee: str | None = None
) -> ImportReport:
    """Create or update the ward's cells from a cells CSV file.

    Raises ImportRejected (nothing written) or NotFound(code "committee_missing").
    `today` is unused by cells files; it is taken so both imports are called alike.
    """
    rows = parse_cells_csv(decode_csv(data))  # checked before the write lock is taken
    async with db.write() as session:
        committee_id = await _committee_id(session, committee)
        counts = await upsert_cells(session, committee_id, rows)
        await _audit(session, "cells", committee_id, counts, data, actor_label)
    return ImportReport("cells", counts.created, counts.updated, counts.unchanged)


async def import_members(
    db: Database, data: bytes, *, actor_label: str, today: date, committee: str | None = None
) -> ImportReport:
    """Create or update party members from a members CSV file; their cells must exist already.

    Raises ImportRejected (nothing written) or NotFound(code "committee_missing").
    Admission dates after `today` are rejected.

    The file is checked and the changes planned in a read transaction, which blocks no one; the
    write transaction then only confirms that nothing it was planned against has moved and writes
    in bulk, so other writers (the running bot) wait for seconds at most, not for the whole
    import. Should something have moved in between, the plan is made again under the lock.
    """
    text = decode_csv(data)
    async with db.read() as session:
        committee_id = await _committee_id(session, committee)
        known = await list_active_cell_names(session, committee_id)
        snapshot = await read_member_snapshot(session, committee_id)
    rows = parse_members_csv(text, known_cells=known, today=today)
    plan = plan_members(snapshot, rows)
    async with db.write() as session:
        cells = await list_active_cell_names(session, committee_id)
        now = await read_member_snapshot(session, committee_id)
        if cells != known:  # the file is checked against the cells of this very transaction
            rows = parse_members_csv(text, known_cells=cells, today=today)
        if (cells, now) != (known, snapshot):  # something moved meanwhile: plan against it
            plan = plan_members(now, rows)
        await apply_member_plan(session, plan)
        await _audit(session, "members", committee_id, plan.counts, data, actor_label)
    counts = plan.counts
    return ImportReport("members", counts.created, counts.updated, counts.unchanged)


async def import_quotas(
    db: Database, data: bytes, *, actor_label: str, today: date, committee: str | None = None
) -> ImportReport:
    """Set quotas per cell and year (and the ward's own) from a quotas CSV file: the plan as the
    superior committee set it. Raises ImportRejected (nothing written) or NotFound."""
    text = decode_csv(data)
    async with db.write() as session:
        committee_id = await _committee_id(session, committee)
        known = await list_active_cell_names(session, committee_id)
        rows = parse_quotas_csv(text, known_cells=known, today=today)
        counts = await upsert_quotas(session, committee_id, rows)
        await _audit(session, "quotas", committee_id, counts, data, actor_label)
    return ImportReport("quotas", counts.created, counts.updated, counts.unchanged)


async def _committee_id(session: AsyncSession, name: str | None) -> int:
    """The ward named (`--committee`), or the only one (NotFound "committee_missing" before
    `chibo init`; a province's several wards must be named)."""
    return (await choose_ward(session, name)).id


async def _audit(
    session: AsyncSession,
    kind: Literal["cells", "members", "quotas"],
    committee_id: int,
    counts: ImportCounts,
    data: bytes,
    actor_label: str,
) -> None:
    """One row per accepted import, even one that changed nothing: it records that the roster
    was confirmed, by whom, and (by digest, not content) which file — no names in the audit."""
    await add_audit(
        session,
        action=f"import_{kind}",
        entity=kind,
        entity_id=committee_id,
        actor_label=actor_label[:_ACTOR_LABEL_MAX],
        after={
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    )
