"""Importing cells and members into a real database: all or nothing, idempotent, audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from bot.domain.errors import NotFound
from bot.services.importing import (
    NO_COMMITTEE,
    ImportRejected,
    ImportReport,
    import_cells,
    import_members,
)
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import AuditLog, Cell, Member
from bot.texts import has_text, t
from bot.texts.importing import describe_report

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
CELLS = (EXAMPLES / "cells.csv").read_bytes()
MEMBERS = (EXAMPLES / "members.csv").read_bytes()
TODAY = date(2025, 6, 1)
ACTOR = "cli:test"


async def make_committee(db: Database) -> None:
    async with db.write() as session:
        await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ", "Tỉnh ủy Thái Nguyên")


async def run_cells(db: Database, data: bytes) -> ImportReport:
    return await import_cells(db, data, actor_label=ACTOR, today=TODAY)


async def run_members(db: Database, data: bytes) -> ImportReport:
    return await import_members(db, data, actor_label=ACTOR, today=TODAY)


async def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Everything an import may touch, in a comparable form."""
    async with db.read() as session:
        cells = (await session.execute(
            select(Cell.id, Cell.name, Cell.kind, Cell.quota, Cell.active).order_by(Cell.id)
        )).all()
        members = (await session.execute(
            select(Member.id, Member.cell_id, Member.full_name, Member.status, Member.admitted_on,
                   Member.active, Member.left_on).order_by(Member.id)
        )).all()
        audit = (await session.execute(
            select(AuditLog.id, AuditLog.action).order_by(AuditLog.id)
        )).all()
    return {"cells": list(cells), "members": list(members), "audit": list(audit)}


async def audit_rows(db: Database) -> list[AuditLog]:
    async with db.read() as session:
        return list(await session.scalars(select(AuditLog).order_by(AuditLog.id)))


async def test_the_example_files_import_every_cell_and_member(db: Database) -> None:
    await make_committee(db)

    cells = await run_cells(db, CELLS)
    members = await run_members(db, MEMBERS)

    assert cells == ImportReport("cells", created=4, updated=0, unchanged=0)
    assert members == ImportReport("members", created=8, updated=0, unchanged=0)
    async with db.read() as session:
        school = (await session.scalars(
            select(Cell).where(Cell.name == "Chi bộ Trường THCS Hoàng Văn Thụ")
        )).one()
        residential = (await session.scalars(select(Cell).where(Cell.name == "Chi bộ tổ 16"))).one()
        thang = (await session.scalars(
            select(Member).where(Member.full_name == "Lê Đức Thắng")
        )).one()
    assert (school.kind, school.quota) == ("school", 2)
    assert (residential.kind, residential.quota) == ("residential", None)
    # Written "Tổ 16" in the file: resolved to the stored cell, not a new one.
    assert thang.cell_id == residential.id
    assert (thang.status, thang.admitted_on) == ("probationary", date(2024, 9, 2))


async def test_reimporting_the_same_files_creates_no_duplicates_and_reports_unchanged(
    db: Database,
) -> None:
    await make_committee(db)
    await run_cells(db, CELLS)
    await run_members(db, MEMBERS)
    first = await snapshot(db)

    again_cells = await run_cells(db, CELLS)
    again_members = await run_members(db, MEMBERS)

    assert again_cells == ImportReport("cells", created=0, updated=0, unchanged=4)
    assert again_members == ImportReport("members", created=0, updated=0, unchanged=8)
    second = await snapshot(db)
    assert second["cells"] == first["cells"]
    assert second["members"] == first["members"]
    assert describe_report(again_members) == t(
        "import.report.members", "vi", total=8, created=0, updated=0, unchanged=8
    )


async def test_each_accepted_import_writes_one_audit_row_with_the_counts(db: Database) -> None:
    await make_committee(db)
    await run_cells(db, CELLS)
    await run_members(db, MEMBERS)
    await run_members(db, MEMBERS)

    rows = await audit_rows(db)
    assert [r.action for r in rows] == ["import_cells", "import_members", "import_members"]
    assert {r.actor_label for r in rows} == {ACTOR}
    counts = [{k: r.after[k] for k in ("created", "updated", "unchanged")} for r in rows if r.after]
    assert counts == [
        {"created": 4, "updated": 0, "unchanged": 0},
        {"created": 8, "updated": 0, "unchanged": 0},
        {"created": 0, "updated": 0, "unchanged": 8},
    ]


async def test_names_differing_only_in_accents_or_case_update_rather_than_duplicate(
    db: Database,
) -> None:
    await make_committee(db)
    await run_cells(db, CELLS)
    await run_members(db, MEMBERS)
    cells_before = (await snapshot(db))["cells"]

    report = await run_cells(db, b"name;kind;quota\nCHI BO TO 16;residential;3\n")
    members_report = await run_members(
        db, b"cell;full_name;status\nchi bo to 16;nguyen van hung;du bi\n"
    )

    assert report == ImportReport("cells", created=0, updated=1, unchanged=0)
    assert members_report == ImportReport("members", created=0, updated=1, unchanged=0)
    after = await snapshot(db)
    assert len(after["cells"]) == len(cells_before) == 4
    assert len(after["members"]) == 8
    async with db.read() as session:
        cell = (await session.scalars(select(Cell).where(Cell.quota == 3))).one()
        hung = (await session.scalars(
            select(Member).where(Member.full_name == "Nguyễn Văn Hùng")
        )).one()
    # The unaccented file did not strip the stored accents; the values it carried were applied,
    # and a blank admission date did not erase the known one.
    assert cell.name == "Chi bộ tổ 16"
    assert (hung.status, hung.admitted_on) == ("probationary", date(1975, 5, 19))


async def test_a_file_without_a_quota_column_keeps_the_stored_quotas(db: Database) -> None:
    await make_committee(db)
    await run_cells(db, CELLS)

    names_and_kinds = "tên chi bộ,loại\nChi bộ Trường THCS Hoàng Văn Thụ,trường học\n"

    report = await run_cells(db, names_and_kinds.encode())

    assert report.unchanged == 1
    async with db.read() as session:
        quota = await session.scalar(
            select(Cell.quota).where(Cell.name == "Chi bộ Trường THCS Hoàng Văn Thụ")
        )
    assert quota == 2


async def test_a_member_who_had_left_is_active_again_when_a_file_lists_them(db: Database) -> None:
    await make_committee(db)
    await run_cells(db, CELLS)
    await run_members(db, MEMBERS)
    async with db.write() as session:
        await session.execute(
            update(Member)
            .where(Member.full_name == "Phạm Thị Lan")
            .values(active=False, left_on=date(2025, 1, 1))
        )

    report = await run_members(db, MEMBERS)

    assert (report.updated, report.unchanged) == (1, 7)
    async with db.read() as session:
        query = select(Member).where(Member.full_name == "Phạm Thị Lan")
        lan = (await session.scalars(query)).one()
    assert (lan.active, lan.left_on) == (True, None)


async def test_a_bad_cells_file_changes_nothing(db: Database) -> None:
    await make_committee(db)
    await run_cells(db, CELLS)
    before = await snapshot(db)
    bad = (
        "tên chi bộ;loại;chỉ tiêu\n"
        "Chi bộ tổ 16;tổ dân phố;5\n"  # a valid change that must not be applied
        "Chi bộ tổ 20;xyz;\n"
        "Chi bộ tổ 21;cơ quan;-1\n"
    ).encode()

    with pytest.raises(ImportRejected) as caught:
        await run_cells(db, bad)

    problems = caught.value.problems
    assert [(p.line, p.code) for p in problems] == [(3, "unknown_kind"), (4, "bad_quota")]
    assert await snapshot(db) == before


async def test_a_bad_members_file_changes_nothing(db: Database) -> None:
    await make_committee(db)
    await run_cells(db, CELLS)
    before = await snapshot(db)
    bad = MEMBERS + "Chi bộ tổ 99,Ngô Văn Mới,chính thức,\n".encode()

    with pytest.raises(ImportRejected) as caught:
        await run_members(db, bad)

    assert [(p.line, p.code, p.value) for p in caught.value.problems] == [
        (10, "unknown_cell", "Chi bộ tổ 99")
    ]
    assert await snapshot(db) == before


async def test_a_members_file_cannot_name_an_inactive_cell(db: Database) -> None:
    await make_committee(db)
    await run_cells(db, CELLS)
    async with db.write() as session:
        await session.execute(update(Cell).where(Cell.name == "Chi bộ tổ 7").values(active=False))

    with pytest.raises(ImportRejected) as caught:
        await run_members(db, "cell,full_name,status\nChi bộ tổ 7,Phạm Thị Lan,full\n".encode())

    assert caught.value.problems[0].code == "unknown_cell"


async def test_a_file_that_is_not_utf8_is_rejected_and_changes_nothing(db: Database) -> None:
    await make_committee(db)
    before = await snapshot(db)
    latin = "tên chi bộ,loại\n".encode() + "Chi bộ Đà Nẵng,cơ quan\n".encode("utf-16-le")

    with pytest.raises(ImportRejected) as caught:
        await run_cells(db, latin)

    (problem,) = caught.value.problems
    assert (problem.code, problem.line) == ("not_utf8", 2)
    assert await snapshot(db) == before


async def test_importing_before_chibo_init_says_the_committee_is_missing(db: Database) -> None:
    with pytest.raises(NotFound) as caught:
        await run_cells(db, CELLS)

    assert caught.value.code == NO_COMMITTEE
    assert has_text(f"error.{NO_COMMITTEE}")
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Cell)) == 0


async def test_a_member_added_while_the_file_is_checked_is_matched_not_duplicated(
    db: Database, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The file is checked and planned outside the write lock: a member another writer adds
    meanwhile is planned against again under the lock, not inserted a second time."""
    import bot.services.importing as importing

    await make_committee(db)
    await run_cells(db, CELLS)
    read_snapshot, reads = importing.read_member_snapshot, []

    async def someone_writes_after_the_first_read(session: Any, committee_id: int) -> Any:
        snapshot = await read_snapshot(session, committee_id)
        if not reads:  # the import's read transaction: the bot writes a member the file names
            await _add_member(db, "Chi bộ tổ 16", "Nguyễn Văn Hùng")
        reads.append(snapshot)
        return snapshot

    monkeypatch.setattr(importing, "read_member_snapshot", someone_writes_after_the_first_read)
    report = await run_members(db, MEMBERS)
    assert len(reads) == 2 and reads[0] != reads[1]
    assert report.created == report.total - 1
    async with db.read() as session:
        members = await session.scalar(select(func.count()).select_from(Member))
    assert members == report.total


async def _add_member(db: Database, cell_name: str, full_name: str) -> None:
    async with db.write() as session:
        cell_id = await session.scalar(select(Cell.id).where(Cell.name == cell_name))
        session.add(Member(cell_id=cell_id, full_name=full_name, status="full", active=True))
