"""Writing imported cells and members: upserts that a re-run of the same file leaves untouched.

Functions take the session first and never commit (the service owns the transaction).

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

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.cells import fold_name
from bot.domain.csv_import import CellRow, MemberRow, choose_spelling
from bot.store.models import Cell, Member


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


async def _members_of(session: AsyncSession, cell_ids: set[int]) -> list[Member]:
    """Every member of these cells, active or not (the unique constraint covers both)."""
    if not cell_ids:
        return []
    query = select(Member).where(Member.cell_id.in_(cell_ids)).order_by(Member.id)
    return list(await session.scalars(query))


async def upsert_members(
    session: AsyncSession, committee_id: int, rows: Sequence[MemberRow]
) -> ImportCounts:
    """Create or update members from validated file rows; `row.cell` is a stored cell's exact name.

    Raises LookupError if a row names a cell the committee does not have (the caller validated
    the file against the same transaction's cells, so this means a programming error).
    """
    cells = {
        c.name: c.id
        for c in await session.scalars(select(Cell).where(Cell.committee_id == committee_id))
    }
    missing = {row.cell for row in rows} - cells.keys()
    if missing:
        raise LookupError(f"cells not in committee {committee_id}: {sorted(missing)}")
    cell_ids = {cells[row.cell] for row in rows}
    stored = await _members_of(session, cell_ids)
    exact = {(m.cell_id, m.full_name): m for m in stored}
    folded: dict[tuple[int, str], Member] = {}
    for m in stored:
        folded.setdefault((m.cell_id, fold_name(m.full_name)), m)
    counter = _Counter()
    for row in rows:
        cell_id = cells[row.cell]
        member = exact.get((cell_id, row.full_name)) or folded.get(
            (cell_id, fold_name(row.full_name))
        )
        if member is None:
            session.add(
                Member(cell_id=cell_id, full_name=row.full_name, status=row.status.value,
                       admitted_on=row.admitted_on, active=True)
            )
            counter.add()
            continue
        values: dict[str, object] = {
            "full_name": choose_spelling(member.full_name, row.full_name),
            "status": row.status.value,
            "active": True,
            "left_on": None,
        }
        if row.admitted_on is not None:
            values["admitted_on"] = row.admitted_on
        counter.match(_set(member, **values))
    await session.flush()
    return counter.result()
