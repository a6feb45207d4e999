"""Engine and sessions. One `Database` per process; services open one transaction per use-case.

SQLite: WAL (readers never block the writer), a busy timeout, foreign keys on, and write
transactions opened with `BEGIN IMMEDIATE`: a deferred BEGIN that reads and then writes fails
with "database is locked" when another writer got there first, whatever the timeout.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

BUSY_TIMEOUT_MS = 30_000
_WRITE_OPTION = "chibo_write"


def _install_sqlite_pragmas(engine: AsyncEngine, *, read_only: bool = False) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves (pysqlite's own transaction handling would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:  # setting the journal mode is a write
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """Owns the engine; hands out read and write sessions, each one transaction."""

    def __init__(self, url: str, *, echo: bool = False, read_only: str = "") -> None:
        """`read_only` (SQLite only): "ro" opens the file read-only; "immutable" also promises
        SQLite that nobody writes it meanwhile, which is what lets it read a WAL database in a
        folder it cannot create the -shm file in (a read-only file system)."""
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        if not self.is_sqlite:
            kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=5)
        elif read_only and not url.endswith(":memory:"):
            path = url.split(":///", 1)[1]
            flags = "mode=ro" + ("&immutable=1" if read_only == "immutable" else "")
            url = f"sqlite+aiosqlite:///file:{path}?{flags}&uri=true"
        self.engine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            _install_sqlite_pragmas(self.engine, read_only=bool(read_only))
        self._reader = async_sessionmaker(self.engine, expire_on_commit=False)
        self._writer = async_sessionmaker(
            self.engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A transaction that will write: committed on success, rolled back on any exception."""
        async with self._writer() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only session: its transaction starts on the first query and is rolled back at the end."""
        async with self._reader() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
