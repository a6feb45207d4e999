"""Writing imported cells and members: upserts that a re-run of the same file leaves untouched.

Functions take the session first and never commit (the service owns the transaction).
Members are planned from a snapshot outside the write transaction and written in bulk (see below).

Matching rule: a file row matches a stored row with the same name **folded** (no accents, no case,
single spaces) — the exact stored name first, should two stored names fold alike. Matching on the
exact name only would turn "Chi bo to 16" in a re-exported spreadsheet into a second cell beside
"Chi bộ tổ 16", and members' absences would split between the two. When the spellings differ the
stored one is replaced by the file's, unless that would strip its accents (`choose_spelling`).

Other choices, each because the file is the ward office's roster of what exists now:
- inactive rows are matched too (the unique constraints cover them) and a file naming one
  reactivates it — a member listed again has their `left_on` cleared;
- rows the file does not name are left alone: an import adds and corrects, it never removes;
- a blank quota sets the kind's default (None); a file WITHOUT a quota column keeps stored quotas;
- a blank admission date keeps the stored date: an unknown never erases a known.
Members are matched within their cell only: names are not unique across a ward, so a member
listed under another cell is a new row there (transfers are not guessed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.cells import fold_name
from bot.domain.csv_import import CellRow, MemberRow, QuotaRow, choose_spelling
from bot.domain.membership import JoinKind
from bot.store.models import Cell, CellQuota, Member, YearQuota


@dataclass(frozen=True)
class ImportCounts:
    """What an upsert did: rows added, rows changed, rows already as the file says."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


class _Counter:
    """Tallies rows as they are matched, so the report and the audit row agree."""

    def __init__(self) -> None:
        self.created = self.updated = self.unchanged = 0

    def add(self) -> None:
        self.created += 1

    def match(self, changed: bool) -> None:
        if changed:
            self.updated += 1
        else:
            self.unchanged += 1

    def result(self) -> ImportCounts:
        return ImportCounts(self.created, self.updated, self.unchanged)


def _set(row: object, **values: object) -> bool:
    """Assign the values that differ; True when anything changed (so "unchanged" is honest)."""
    changed = False
    for attr, value in values.items():
        if getattr(row, attr) != value:
            setattr(row, attr, value)
            changed = True
    return changed


async def list_active_cell_names(session: AsyncSession, committee_id: int) -> list[str]:
    """The names of the committee's active cells: what a members file may refer to."""
    rows = await session.scalars(
        select(Cell.name).where(Cell.committee_id == committee_id, Cell.active).order_by(Cell.id)
    )
    return list(rows)


async def upsert_cells(
    session: AsyncSession, committee_id: int, rows: Sequence[CellRow]
) -> ImportCounts:
    """Create or update the committee's cells from validated file rows (names unique folded)."""
    stored = list(
        await session.scalars(
            select(Cell).where(Cell.committee_id == committee_id).order_by(Cell.id)
        )
    )
    exact = {c.name: c for c in stored}
    folded: dict[str, Cell] = {}
    for c in stored:
        # Two stored names folding alike: the earliest answers here, the other by its exact name.
        folded.setdefault(fold_name(c.name), c)
    counter = _Counter()
    for row in rows:
        cell = exact.get(row.name) or folded.get(fold_name(row.name))
        if cell is None:
            session.add(
                Cell(committee_id=committee_id, name=row.name, kind=row.kind.value,
                     quota=row.quota, active=True)
            )
            counter.add()
            continue
        values: dict[str, object] = {
            "name": choose_spelling(cell.name, row.name),
            "kind": row.kind.value,
            "active": True,
        }
        if row.quota_given:
            values["quota"] = row.quota
        counter.match(_set(cell, **values))
    await session.flush()
    return counter.result()


# --- members: planned outside the write lock, written in bulk ----------------------------------
# A members file can hold a whole province (100k rows). Building an ORM object per row inside the
# write transaction held SQLite's write lock for the whole import (37 s for 100k rows) and every
# other writer gave up with "database is locked". So the service reads a `MemberSnapshot` and
# plans the changes (`plan_members`, pure) in a read transaction, then in the write transaction
# checks that the snapshot still holds and applies the plan with two executemany statements.


@dataclass(frozen=True)
class MemberSnapshot:
    """What a members import is planned against: the committee's cells by stored name, and
    every member of those cells, active or not (the unique constraint covers both), by id."""

    cells: dict[str, int]
    # (id, cell_id, full_name, status, admitted_on, active, left_on, joined_on, joined_how, left_how)
    members: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class MemberPlan:
    inserts: list[dict[str, Any]]
    updates: list[dict[str, Any]]  # each with the member's "id" and every column an import sets
    counts: ImportCounts


_MEMBER_COLUMNS = (Member.id, Member.cell_id, Member.full_name, Member.status, Member.admitted_on,
                   Member.active, Member.left_on, Member.joined_on, Member.joined_how, Member.left_how)


async def read_member_snapshot(session: AsyncSession, committee_id: int) -> MemberSnapshot:
    """Plain rows, not ORM objects: cheap enough to read again inside the write transaction."""
    cells: dict[str, int] = dict((await session.execute(
        select(Cell.name, Cell.id).where(Cell.committee_id == committee_id)
    )).all())
    members = (await session.execute(
        select(*_MEMBER_COLUMNS).join(Cell, Cell.id == Member.cell_id)
        .where(Cell.committee_id == committee_id).order_by(Member.id)
    )).all()
    return MemberSnapshot(cells, tuple(tuple(m) for m in members))


def plan_members(snapshot: MemberSnapshot, rows: Sequence[MemberRow]) -> MemberPlan:
    """The inserts and updates that make the stored members match validated file rows
    (`row.cell` is a stored cell's exact name); rows already as the file says are left alone.

    Raises LookupError if a row names a cell the snapshot does not have (the caller validated
    the file against the same cells, so this means a programming error).
    """
    cells = snapshot.cells
    missing = {row.cell for row in rows} - cells.keys()
    if missing:
        raise LookupError(f"cells not in the committee: {sorted(missing)}")
    exact: dict[tuple[int, str], tuple[Any, ...]] = {}
    folded: dict[tuple[int, str], tuple[Any, ...]] = {}
    for m in snapshot.members:
        exact[(m[1], m[2])] = m
        folded.setdefault((m[1], fold_name(m[2])), m)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for row in rows:
        cell_id = cells[row.cell]
        member = exact.get((cell_id, row.full_name)) or folded.get((cell_id, fold_name(row.full_name)))
        # A leaving date (with its reason) ends the membership; a row without one is a member now.
        leaving = {"active": row.left_on is None, "left_on": row.left_on,
                   "left_how": row.left_how.value if row.left_on else ""}
        if member is None:
            inserts.append({"cell_id": cell_id, "full_name": row.full_name, "status": row.status.value,
                            "admitted_on": row.admitted_on, "joined_on": row.joined_on,
                            "joined_how": JoinKind.TRANSFERRED_IN.value if row.joined_on else "",
                            "left_note": "", **leaving})
            continue
        member_id, _, name, status, admitted_on, active, left_on, joined_on, joined_how, left_how = member
        wanted = {"full_name": choose_spelling(name, row.full_name), "status": row.status.value,
                  "admitted_on": admitted_on if row.admitted_on is None else row.admitted_on,
                  "joined_on": joined_on if row.joined_on is None else row.joined_on,
                  "joined_how": joined_how if row.joined_on is None else JoinKind.TRANSFERRED_IN.value,
                  **leaving}
        if wanted == {"full_name": name, "status": status, "admitted_on": admitted_on,
                      "joined_on": joined_on, "joined_how": joined_how,
                      "active": bool(active), "left_on": left_on, "left_how": left_how}:
            unchanged += 1
        else:
            updates.append({"id": member_id, **wanted})
    return MemberPlan(inserts, updates, ImportCounts(len(inserts), len(updates), unchanged))


async def apply_member_plan(session: AsyncSession, plan: MemberPlan) -> None:
    """Two executemany statements, whatever the number of rows. Core statements, not ORM ones:
    the ORM's per-row bookkeeping made 100k inserts take seconds under the lock."""
    table = Member.__table__
    if plan.updates:
        await session.execute(
            update(table).where(table.c.id == bindparam("member_id")),
            [{"member_id": u["id"], **{k: v for k, v in u.items() if k != "id"}} for u in plan.updates],
        )
    if plan.inserts:
        await session.execute(insert(table), plan.inserts)


# --- quotas: the plan, per cell and year ---------------------------------------------------------


async def upsert_quotas(
    session: AsyncSession, committee_id: int, rows: Sequence[QuotaRow]
) -> ImportCounts:
    """Set each (cell, year)'s quota and who set it; a row for the ward sets its own year quota."""
    cell_ids: dict[str, int] = dict((await session.execute(
        select(Cell.name, Cell.id).where(Cell.committee_id == committee_id))).all())
    stored = {(q.cell_id, q.year): q for q in await session.scalars(
        select(CellQuota).join(Cell, Cell.id == CellQuota.cell_id).where(Cell.committee_id == committee_id))}
    ward = {q.year: q for q in await session.scalars(
        select(YearQuota).where(YearQuota.committee_id == committee_id))}
    counter = _Counter()
    for row in rows:
        if row.cell is None:
            found: YearQuota | CellQuota | None = ward.get(row.year)
            if found is None:
                session.add(YearQuota(committee_id=committee_id, year=row.year, quota=row.quota,
                                      set_by=row.set_by))
        else:
            found = stored.get((cell_ids[row.cell], row.year))
            if found is None:
                session.add(CellQuota(cell_id=cell_ids[row.cell], year=row.year, quota=row.quota,
                                      set_by=row.set_by))
        if found is None:
            counter.add()
        else:
            counter.match(_set(found, quota=row.quota, set_by=row.set_by))
    await session.flush()
    return counter.result()
