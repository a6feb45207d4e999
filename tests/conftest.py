"""Shared fixtures: a migrated database on SQLite (always) and PostgreSQL (when CHIBO_TEST_PG_URL is set).

Migrating and writing the demo ward are done once per session, not once per test: SQLite
databases are copies of template files built on first use, and the PostgreSQL database is
migrated once and then emptied (TRUNCATE) for each test, as long as its schema is still the
newest one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import normalise_database_url
from bot.domain.channels import TELEGRAM
from bot.domain.roles import Actor, Role
from bot.store.db import Database
from bot.store.models import Base
from bot.store.schema import alembic_config, upgrade_schema

PG_ENV = "CHIBO_TEST_PG_URL"
PG_SKIP_REASON = f"{PG_ENV} is not set: PostgreSQL tests skipped (set it to a scratch database URL)"


_TEMPLATE_DIR = Path(tempfile.mkdtemp(prefix="chibo-test-templates-"))
_templates: dict[object, Path] = {}  # what a template holds -> its file, built on first use
_migrated_pg: set[str] = set()  # PostgreSQL URLs migrated by this session


def pytest_sessionfinish(session: pytest.Session) -> None:
    shutil.rmtree(_TEMPLATE_DIR, ignore_errors=True)


async def _template(key: object, fill: Callable[[Database], Awaitable[None]] | None = None) -> Path:
    """A migrated SQLite file (with the demo ward when `key` says so), built once per session."""
    if key not in _templates:
        path = _TEMPLATE_DIR / f"template-{len(_templates)}.db"
        database = Database(f"sqlite+aiosqlite:///{path}")
        await upgrade_schema(database)
        if fill is not None:
            await fill(database)
        await database.dispose()  # the last connection closing folds the WAL into the file
        _templates[key] = path
    return _templates[key]


async def _reset_pg(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def _empty_pg(url: str) -> bool:
    """Empties every table if the schema is still exactly the newest one; False if it is not."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    tables = sorted(Base.metadata.tables)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            found = set(await conn.scalars(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")))
            if found != {*tables, "alembic_version"}:
                return False
            if await conn.scalar(text("SELECT version_num FROM alembic_version")) != head:
                return False
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            return True
    finally:
        await engine.dispose()


async def make_database(backend: str, tmp_path: Path) -> Database:
    """A freshly migrated, empty database on `backend` ("sqlite" or "postgresql")."""
    if backend == "sqlite":
        path = tmp_path / "chibo-test.db"
        shutil.copyfile(await _template("migrated"), path)
        return Database(f"sqlite+aiosqlite:///{path}")
    raw = os.environ.get(PG_ENV)
    if not raw:
        pytest.skip(PG_SKIP_REASON)
    url = normalise_database_url(raw, tmp_path)
    if url in _migrated_pg and await _empty_pg(url):
        return Database(url)
    await _reset_pg(url)
    database = Database(url)
    await upgrade_schema(database)
    _migrated_pg.add(url)
    return database


async def load_demo_ward(db: Database, *, today: date, channel: str = TELEGRAM, wards: int = 1) -> None:
    """`write_demo_ward(db, today=…, channel=…)` into an empty SQLite test database, copied from a
    file written once per session (the ward is deterministic for its `today` and channel)."""
    from bot.demo.write import write_demo_ward

    async def fill(database: Database) -> None:
        await write_demo_ward(database, today=today, channel=channel, wards=wards)

    template = await _template(("demo", today, channel, wards), fill)
    await db.dispose()  # no connection may hold the file while it is replaced
    path = Path(db.engine.url.database or "")
    for stale in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(template, path)


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database, once per backend."""
    database = await make_database(request.param, tmp_path)
    yield database
    await database.dispose()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite database file (for tests whose subject is not the backend)."""
    database = await make_database("sqlite", tmp_path)
    yield database
    await database.dispose()


_next_external_id = iter(range(5_000_000, 6_000_000))


async def add_actor(
    db: Database, role: Role, *, cell_id: int | None = None, cell_ids: frozenset[int] = frozenset()
) -> Actor:
    """A registered user with `role` (stored, so audit rows can point at them), as an Actor."""
    from bot.store.users import get_user, upsert_user

    async with db.write() as session:
        user_id, _ = await upsert_user(
            session, channel="telegram", external_id=str(next(_next_external_id)), chat_id=None,
            display_name=f"Test {role.value}", role=role, cell_id=cell_id, cell_ids=cell_ids,
        )
        user = await get_user(session, user_id)
    assert user is not None
    return user.actor()
