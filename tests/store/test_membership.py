"""Members at year end and who came and went, quotas per cell and year with who set them: from
the CSV imports through bot.services.yearfigures, on SQLite and PostgreSQL; and migration 0004
keeps the rows of a database at 0003."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from bot.config import Settings
from bot.domain.csv_import import ImportRejected
from bot.domain.quotas import Quota, QuotaSource
from bot.domain.roles import Role
from bot.services.importing import ImportReport, import_cells, import_members, import_quotas
from bot.services.reminders import load_facts
from bot.services.yearfigures import CellYear, WardYear, year_figures
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import Member
from bot.store.schema import alembic_config, upgrade_schema
from tests.conftest import add_actor

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TO16, TO7, UBND = "Chi bộ tổ 16", "Chi bộ tổ 7", "Chi bộ Cơ quan Ủy ban nhân dân phường"


async def _ward(db: Database) -> None:
    async with db.write() as session:
        await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ", "Thành ủy Thái Nguyên")
    today = date(2025, 6, 1)
    await import_cells(db, (EXAMPLES / "cells.csv").read_bytes(), actor_label="t", today=today)
    await import_members(db, (EXAMPLES / "members-with-dates.csv").read_bytes(), actor_label="t",
                         today=today)


async def _year(db: Database, year: int, today: date) -> tuple[WardYear, dict[str, CellYear]]:
    admin = await add_actor(db, Role.ADMIN)
    figures = await year_figures(db, admin, year=year, today=today, settings=Settings())
    return figures, {row.cell.name: row for row in figures.cells}


async def test_members_at_year_end_count_joins_and_leaves_by_their_dates(db: Database) -> None:
    await _ward(db)
    ward, cells = await _year(db, 2024, date(2025, 6, 1))
    # Tổ 16: Hùng (listed), Mai (transferred in 15/08/2023); Toàn died 20/11/2024.
    assert (cells[TO16].members_last_end, cells[TO16].members_end, cells[TO16].change) == (3, 2, -1)
    assert cells[TO16].movement.died == 1 and cells[TO16].movement.left == 1
    _, cells_2023 = await _year(db, 2023, date(2025, 6, 1))
    assert cells_2023[TO16].movement.transferred_in == 1 and cells_2023[TO16].change == 1
    # The running year: tổ 7 lost one transferred out and one struck off (xóa tên), up to today.
    ward, cells = await _year(db, 2025, date(2025, 6, 1))
    assert ward.period.running and cells[TO7].members_end == 0 and cells[TO7].members_last_end == 2
    assert (cells[TO7].movement.transferred_out, cells[TO7].movement.removed) == (1, 1)
    assert ward.members_end == 2 and ward.change == -2


async def test_quotas_file_sets_each_cells_plan_and_the_wards_with_who_set_them(db: Database) -> None:
    await _ward(db)
    quotas = (EXAMPLES / "quotas.csv").read_bytes()
    first = await import_quotas(db, quotas, actor_label="t", today=date(2026, 3, 1))
    assert first == ImportReport("quotas", created=5, updated=0, unchanged=0)
    again = await import_quotas(db, quotas, actor_label="t", today=date(2026, 3, 1))
    assert again == ImportReport("quotas", created=0, updated=0, unchanged=5)
    ward, cells = await _year(db, 2026, date(2026, 3, 1))
    assert ward.quota == Quota(45, QuotaSource.PLAN, "Thành ủy Thái Nguyên giao")
    assert cells[TO16].quota == Quota(1, QuotaSource.PLAN, "Đảng ủy giao")
    assert cells[UBND].quota == Quota(2, QuotaSource.PLAN, "")
    # 2025 has no plan: tổ 7's standing quota from the cells file, else the kind's default.
    ward, cells = await _year(db, 2025, date(2026, 3, 1))
    assert cells[TO7].quota == Quota(1, QuotaSource.CELL)
    assert cells[TO16].quota == Quota(1, QuotaSource.DEFAULT)
    assert ward.quota.source is QuotaSource.CELLS
    assert ward.quota.value == sum(c.quota.value for c in cells.values())


async def test_the_quota_pace_reminder_follows_the_plan(db: Database) -> None:
    await _ward(db)
    facts = await load_facts(db, Settings(), date(2026, 10, 1))
    assert facts is not None and {c.name: c.quota for c in facts.cells}[TO16] == 1  # the default
    await import_quotas(db, (EXAMPLES / "quotas.csv").read_bytes(), actor_label="t", today=date(2026, 3, 1))
    facts = await load_facts(db, Settings(), date(2026, 10, 1))
    assert facts is not None
    assert {c.name: c.quota for c in facts.cells}["Chi bộ Trường THCS Hoàng Văn Thụ"] == 3  # planned


async def test_a_bad_quotas_file_is_refused_whole(db: Database) -> None:
    await _ward(db)
    bad = ("chi bộ,năm,chỉ tiêu\nTổ 16,2026,1\nTổ 16,2026,2\nTổ 99,2026,1\nTổ 7,1999,1\nTổ 7,2026,nhiều\n"
           "Tổ 7,2025,\n").encode()
    with pytest.raises(ImportRejected) as caught:
        await import_quotas(db, bad, actor_label="t", today=date(2026, 3, 1))
    assert [(p.line, p.code) for p in caught.value.problems] == [
        (3, "duplicate_quota"), (4, "unknown_cell"), (5, "bad_year"), (6, "bad_quota"), (7, "bad_quota")]
    _, cells = await _year(db, 2026, date(2026, 3, 1))
    assert cells[TO16].quota.source is QuotaSource.DEFAULT  # nothing was written


async def test_upgrade_from_0003_keeps_every_row(db: Database) -> None:
    cfg = alembic_config()

    def _run(fn, revision):  # type: ignore[no-untyped-def]
        def step(sync_conn):  # type: ignore[no-untyped-def]
            cfg.attributes["connection"] = sync_conn
            fn(cfg, revision)
        return step

    async with db.engine.begin() as conn:
        await conn.run_sync(_run(command.downgrade, "0003"))
    async with db.engine.begin() as conn:
        await conn.execute(text("INSERT INTO committees (id, name, superior_name, created_at) "
                                "VALUES (1, 'Đảng bộ', 'Thành ủy', CURRENT_TIMESTAMP)"))
        await conn.execute(text("INSERT INTO year_quotas (committee_id, year, quota) VALUES (1, 2023, 43)"))
        await conn.execute(text("INSERT INTO cells (id, committee_id, name, kind, active, created_at) "
                                "VALUES (1, 1, 'Chi bộ tổ 16', 'residential', true, CURRENT_TIMESTAMP)"))
        await conn.execute(text(
            "INSERT INTO members (id, cell_id, full_name, status, admitted_on, left_on, active) VALUES "
            "(1, 1, 'Lê Văn Tám', 'full', '1990-05-19', NULL, true), "
            "(2, 1, 'Trần Thị Hoa', 'probationary', '2023-06-13', NULL, true), "
            "(3, 1, 'Vũ Văn Toàn', 'full', '1980-09-02', '2024-11-20', false)"))
        await conn.execute(text(
            "INSERT INTO candidates (cell_id, full_name, birth_year, gender, background, helper_name, "
            "member_id, stage, dropped_reason, created_at, updated_at) VALUES (1, 'Trần Thị Hoa', 2000, "
            "'female', '', '', 2, 'ceremony', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    before, head = await upgrade_schema(db)
    assert before == "0003" and head >= "0004"  # to 0004 and any revision after it
    async with db.read() as session:
        rows = (await session.execute(select(Member.full_name, Member.admitted_on, Member.left_on,
                                             Member.joined_on, Member.joined_how, Member.left_how)
                                      .order_by(Member.id))).all()
        quota = (await session.execute(text("SELECT quota, set_by FROM year_quotas"))).one()
    assert [tuple(r) for r in rows] == [
        ("Lê Văn Tám", date(1990, 5, 19), None, None, "", ""),
        ("Trần Thị Hoa", date(2023, 6, 13), None, date(2023, 6, 13), "admitted", ""),  # at its ceremony
        ("Vũ Văn Toàn", date(1980, 9, 2), date(2024, 11, 20), None, "", ""),
    ]
    assert tuple(quota) == (43, "")
