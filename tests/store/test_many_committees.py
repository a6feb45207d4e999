"""Many wards in one database, in the store: migration 0005 upgrades a single-ward database
written at 0004 with every row kept (on SQLite and PostgreSQL); the reminder sweep of a province
goes ward by ward, each ward's reminders to its own people only; `chibo import --committee`
picks the ward and a province without a name is refused."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import func, select

from bot.config import Settings
from bot.demo.write import write_demo_ward
from bot.domain.errors import DomainError, NotFound
from bot.domain.roles import Actor, Role
from bot.services.importing import import_cells
from bot.services.onboarding import create_invite
from bot.services.reminders import sweep
from bot.services.yearfigures import year_figures
from bot.store.db import Database
from bot.store.models import Base, Cell, Committee, Invite, User
from bot.store.schema import alembic_config, upgrade_schema

TODAY = date(2026, 11, 28)
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _migrate(fn, revision: str):  # type: ignore[no-untyped-def]
    def step(sync_conn):  # type: ignore[no-untyped-def]
        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        fn(cfg, revision)
    return step


async def _counts(db: Database, tables: list[str]) -> dict[str, int]:
    async with db.read() as session:
        return {name: int(await session.scalar(select(func.count()).select_from(sa.table(name))) or 0)
                for name in tables}


async def _copy_at_0004(source: Database, target: Database) -> list[str]:
    """Every row of `source` into `target` (migrated to 0004), in the columns 0004 has: the
    single-ward database today's release writes. Returns the tables copied."""
    async with target.engine.connect() as conn:
        shape = await conn.run_sync(lambda c: {
            name: [col["name"] for col in sa.inspect(c).get_columns(name)]
            for name in sa.inspect(c).get_table_names() if name != "alembic_version"})
    copied = []
    for table in Base.metadata.sorted_tables:
        if table.name not in shape:
            continue
        columns = [c for c in table.columns if c.name in shape[table.name]]
        async with source.read() as session:
            rows = [dict(r._mapping) for r in await session.execute(select(*columns))]
        old = sa.Table(table.name, sa.MetaData(), *[sa.Column(c.name, c.type) for c in columns])
        if rows:
            async with target.write() as session:
                await session.execute(old.insert(), rows)
        copied.append(table.name)
    return copied


async def test_upgrade_from_0004_keeps_every_row_of_the_demo_ward(db: Database, tmp_path: Path) -> None:
    source = Database(f"sqlite+aiosqlite:///{tmp_path / 'source.db'}")
    await upgrade_schema(source)
    await write_demo_ward(source, today=TODAY)
    await create_invite(source, Settings(), role=Role.SECRETARY, cell_names_=["Chi bộ tổ 3"],
                        now=datetime(2026, 11, 27, tzinfo=UTC), actor_label="cli")
    async with db.engine.begin() as conn:
        await conn.run_sync(_migrate(command.downgrade, "0004"))
    tables = await _copy_at_0004(source, db)
    before = await _counts(source, tables)
    assert before["users"] > 30 and before["members"] > 1700 and before["invites"] == 1

    found, head = await upgrade_schema(db)

    assert found == "0004" and head >= "0005"
    assert await _counts(db, tables) == before
    async with db.read() as session:
        wards = list(await session.execute(select(Committee.id, Committee.kind, Committee.parent_id)))
        users = Counter(await session.scalars(select(User.committee_id)))
        invites = list(await session.scalars(select(Invite.committee_id)))
        admin = (await session.scalars(select(User).where(User.role == "admin"))).one()
    assert len(wards) == 1 and tuple(wards[0])[1:] == ("ward", None)
    ward_id = wards[0][0]
    assert users == Counter({ward_id: before["users"]}) and invites == [ward_id]
    # The ward reads as it did: the seed's 2023, for its admin.
    actor = Actor(admin.id, Role.ADMIN, committee_id=admin.committee_id)
    figures = await year_figures(db, actor, year=2023, today=TODAY, settings=Settings())
    assert (figures.admitted, figures.quota.value, figures.last_year_admitted) == (45, 43, 12)
    await source.dispose()


async def test_a_province_sweep_sends_each_wards_reminders_to_that_wards_people_only(
    sqlite_db: Database,
) -> None:
    await write_demo_ward(sqlite_db, today=TODAY, wards=3)
    result = await sweep(sqlite_db, Settings(), as_of=TODAY, now=datetime(2026, 11, 28, 1, tzinfo=UTC),
                         dry_run=True)
    async with sqlite_db.read() as session:
        ward_of_user = dict((await session.execute(select(User.id, User.committee_id))).all())
        ward_of_cell = dict((await session.execute(select(Cell.id, Cell.committee_id))).all())
        admins = dict((await session.execute(
            select(User.id, User.committee_id).where(User.role == "admin"))).all())
    by_ward: Counter[int] = Counter()
    for planned in result.planned:
        reminder = planned.reminder
        recipient_ward = ward_of_user[reminder.recipient]
        by_ward[recipient_ward] += 1
        if reminder.subject.startswith("cell:"):
            assert ward_of_cell[int(reminder.subject.split(":")[1])] == recipient_ward
        if reminder.subject == "ward":  # a digest: to that ward's admin, about that ward's cells
            assert reminder.recipient in admins
    assert len(by_ward) == 3 and min(by_ward.values()) > 0
    digests = Counter(ward_of_user[p.reminder.recipient] for p in result.planned
                      if p.reminder.subject == "ward")
    assert set(digests) == set(admins.values())  # each ward's admin has digests, nobody else
    # A Monday in December: the quota digest, one per ward, counting that ward's cells only.
    december = await sweep(sqlite_db, Settings(), as_of=date(2026, 12, 7),
                           now=datetime(2026, 12, 7, 1, tzinfo=UTC), dry_run=True)
    quota_digests = [p.reminder for p in december.planned
                     if p.reminder.subject == "ward" and "total" in p.reminder.facts]
    assert sorted(ward_of_user[r.recipient] for r in quota_digests) == sorted(admins.values())
    for r in quota_digests:
        assert r.facts["total"] == sum(1 for w in ward_of_cell.values() if w == ward_of_user[r.recipient])


async def test_import_and_invite_name_their_ward_once_there_are_several(sqlite_db: Database) -> None:
    await write_demo_ward(sqlite_db, today=TODAY, wards=3)
    data = (EXAMPLES / "cells.csv").read_bytes()
    with pytest.raises(DomainError) as refused:
        await import_cells(sqlite_db, data, actor_label="t", today=TODAY)
    assert refused.value.code == "committee_choose"
    with pytest.raises(NotFound):
        await import_cells(sqlite_db, data, actor_label="t", today=TODAY, committee="Bến Thành")
    report = await import_cells(sqlite_db, data, actor_label="t", today=TODAY, committee="Gia Sàng")
    assert report.total > 0
    created = await create_invite(sqlite_db, Settings(), role=Role.ADMIN, now=datetime.now(UTC),
                                  actor_label="cli", committee_name="Phan Đình Phùng")
    province = await create_invite(sqlite_db, Settings(), role=Role.PROVINCE, now=datetime.now(UTC),
                                   actor_label="cli")
    async with sqlite_db.read() as session:
        rows = list(await session.execute(
            select(Invite.role, Committee.name).join(Committee, Committee.id == Invite.committee_id)
            .order_by(Invite.id)))
    assert created.role is Role.ADMIN and province.role is Role.PROVINCE
    assert [tuple(r) for r in rows] == [("admin", "Đảng bộ phường Phan Đình Phùng"),
                                        ("province", "Thành ủy Thái Nguyên")]


async def test_an_admin_reads_and_writes_only_their_own_wards_cells(sqlite_db: Database) -> None:
    from bot.domain.errors import PermissionDenied
    from bot.services.candidates import candidates_of_cell
    from bot.services.meetings import cell_members

    await write_demo_ward(sqlite_db, today=TODAY, wards=3)
    async with sqlite_db.read() as session:
        admins = list(await session.execute(
            select(User.id, User.committee_id).where(User.role == "admin").order_by(User.id)))
        cells = dict((await session.execute(
            select(Cell.committee_id, func.min(Cell.id)).group_by(Cell.committee_id))).all())
    (_, ward_1), (second, ward_2) = admins[0], admins[1]
    admin_2 = Actor(second, Role.ADMIN, committee_id=ward_2)
    assert await cell_members(sqlite_db, admin_2, cells[ward_2])  # their own ward's: its members
    for read in (candidates_of_cell, cell_members):
        with pytest.raises(PermissionDenied):
            await read(sqlite_db, admin_2, cells[ward_1])
