"""The leader's lock on PostgreSQL: a session-level advisory lock on one dedicated connection.

Only the statements and the connection live here; when to take, renew and give up the lock is
`bot.standby`'s business. The connection is asyncpg's own, outside SQLAlchemy's pool: the lock
belongs to one server session, so it must never be handed back to a pool or closed by a pre-ping.

The connection is opened with `idle_session_timeout`: PostgreSQL itself ends the session — and so
frees the lock — when its holder has not run a statement for that long. That is what frees the
lock of a leader that hangs (SIGSTOP, a dead machine, a cut network) instead of dying.
"""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import make_url

# pg_try_advisory_lock(int4, int4): "chib", "orun" in ASCII. Advisory locks are per database, so
# two deployments on two databases of one server never see each other's lock.
LOCK_KEY = (0x63686962, 0x6F72756E)

Connection = asyncpg.Connection


def asyncpg_dsn(database_url: str) -> str:
    """postgresql+asyncpg://… (SQLAlchemy's form) as the postgresql://… asyncpg takes."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


async def connect(database_url: str, *, idle_timeout: float, label: str, timeout: float) -> Connection:
    """A session of its own for the lock, ended by the server after `idle_timeout` seconds idle."""
    return await asyncpg.connect(
        asyncpg_dsn(database_url), timeout=timeout,
        server_settings={"idle_session_timeout": str(max(1, int(idle_timeout * 1000))),
                         "application_name": label[:63]})


async def try_lock(conn: Connection) -> bool:
    """Takes the lock if nobody holds it (held until this session ends); True when taken."""
    return bool(await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", *LOCK_KEY))


async def heartbeat(conn: Connection) -> None:
    """A statement on the lock's session: proves it is alive and restarts its idle clock."""
    await conn.fetchval("SELECT 1")


async def holder(conn: Connection) -> str | None:
    """The application_name of the session holding the lock (None: nobody, or not visible to us:
    pg_stat_activity shows other roles' sessions only to members of pg_read_all_stats)."""
    return await conn.fetchval(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $1 "
        "AND l.objid::bigint = $2 AND l.objsubid = 2 "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        *LOCK_KEY)
