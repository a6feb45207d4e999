"""Create or upgrade the schema with Alembic, on the same async engine the bot uses (both backends)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.store.db import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class ForeignDatabase(Exception):
    """An SQLite file holding another program's tables and no chibo schema: left alone.

    Pointing database.url at the wrong file must not add thirty tables to someone's data.
    (A PostgreSQL database may well be shared with other schemas' tables: not checked there.)
    """

    def __init__(self, tables: list[str]) -> None:
        self.tables = tables
        super().__init__(f"another program's database: {', '.join(tables)}")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


async def upgrade_schema(db: Database) -> tuple[str | None, str]:
    """Bring the schema to the newest revision; safe to run any number of times.

    Returns (revision before, revision after); before is None on an empty database.
    """
    cfg = alembic_config()
    head = ScriptDirectory.from_config(cfg).get_current_head()
    async with db.engine.begin() as conn:
        before = await conn.run_sync(
            lambda sync_conn: MigrationContext.configure(sync_conn).get_current_revision()
        )
        if before is None and db.is_sqlite:
            tables = list(await conn.scalars(text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name")))
            if tables:
                raise ForeignDatabase(tables)

        def _upgrade(sync_conn):  # type: ignore[no-untyped-def]
            cfg.attributes["connection"] = sync_conn
            command.upgrade(cfg, "head")

        if before != head:
            await conn.run_sync(_upgrade)
    return before, head or ""


class SchemaNotCurrent(Exception):
    """The database's schema is not the one this chibo writes (older: needs `chibo init`)."""

    def __init__(self, found: str | None, head: str) -> None:
        self.found, self.head = found, head
        super().__init__(f"schema revision {found!r}, expected {head!r}")


async def check_schema(db: Database) -> None:
    """For read-only use: the schema must be current already, since upgrading it is a write."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head() or ""
    found = await current_revision(db)
    if found != head:
        raise SchemaNotCurrent(found, head)


def known_revisions() -> set[str]:
    """Every schema revision this chibo knows (a database at another one is from a newer chibo)."""
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


async def current_revision(db: Database) -> str | None:
    async with db.engine.connect() as conn:
        return await conn.run_sync(
            lambda sync_conn: MigrationContext.configure(sync_conn).get_current_revision()
        )
