"""Shared fixtures: a migrated database on SQLite (always) and PostgreSQL (when CHIBO_TEST_PG_URL is set)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import normalise_database_url
from bot.domain.roles import Actor, Role
from bot.store.db import Database
from bot.store.schema import upgrade_schema

PG_ENV = "CHIBO_TEST_PG_URL"
PG_SKIP_REASON = f"{PG_ENV} is not set: PostgreSQL tests skipped (set it to a scratch database URL)"


async def _reset_pg(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def make_database(backend: str, tmp_path: Path) -> Database:
    """A freshly migrated, empty database on `backend` ("sqlite" or "postgresql")."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'chibo-test.db'}"
    else:
        raw = os.environ.get(PG_ENV)
        if not raw:
            pytest.skip(PG_SKIP_REASON)
        url = normalise_database_url(raw, tmp_path)
        await _reset_pg(url)
    database = Database(url)
    await upgrade_schema(database)
    return database


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
