"""Who serves: with two `chibo run` on one PostgreSQL database, exactly one leads; on SQLite, one only.

The leader polls (or serves the webhooks), sweeps and sends reminders; a standby does none of it —
it holds no Application at all — and waits, saying so in the log. Two pollers on one bot token
would cut each other off (Telegram answers the older poll 409), and two senders would pace one
chat twice over.

**The lease.** The leader holds a PostgreSQL session-level advisory lock on a dedicated
connection (`bot.store.leader_lock`), and runs a statement on it every `beat` (a heartbeat).
An advisory lock alone is not enough:

- a leader that *dies* (kill -9, a crash) closes its socket and PostgreSQL frees the lock at once;
- a leader that *hangs* (SIGSTOP, a deadlocked loop, a machine that froze, a cut network) would
  hold it for ever: so the session is opened with `idle_session_timeout` = `idle`, and PostgreSQL
  itself ends a session whose holder stopped beating — no other process has to judge it dead,
  and no clock but the server's is trusted for that;
- a leader whose connection *drops* (PostgreSQL restarts, the network blips) has lost the lock
  before it can know it: the lock is free while it still believes it leads.

So the leader also keeps a lease on its own monotonic clock: it leads only until `valid_for`
after the start of its last heartbeat that succeeded, and the poller and the sender ask
`leading()` before each getUpdates and each message. A heartbeat that fails or takes longer than
`beat_timeout` ends the term: the process stops its Applications and stands by again. A leader
woken from SIGSTOP finds its lease run out on its own clock before anything else runs, and its
next heartbeat fails on the session PostgreSQL ended: it steps down without sending.

The other side of that bargain: a process that takes the lock waits `grace` before it polls or
sends — the longest the previous leader may still believe it leads (`valid_for`), plus the
longest a getUpdates it started before then may stay open at Telegram (`poll_cap`, to which the
long-poll timeout is cut), plus a margin for the network. Then it frees the reminder rows the
old leader had claimed (their own lease would hold them for minutes) and starts.

All durations are fractions of one setting, `[standby] takeover_seconds` (K, default 30):
a hang is taken over within idle + beat + grace = 13/15 K, a death within beat + grace = 8/15 K;
the rest is left for start-up. See `Timing`.

**SQLite** is one file on one machine, served by one process: a second `chibo run` on the same
file *refuses* to start (an exclusive `flock` on `<file>-run.lock`, freed by the kernel however
the first one ends). A standby on the same machine would guard against nothing that systemd's
`Restart=` does not, and SQLite on a network share is how databases get corrupted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from bot.config import Settings
from bot.store import leader_lock
from bot.trouble import sqlite_path

log = logging.getLogger("chibo.standby")


@dataclass(frozen=True)
class Timing:
    """Every duration of the lease, in seconds, from `takeover` (see the module docstring)."""

    takeover: float

    @property
    def beat(self) -> float:
        """Between two heartbeats of the leader; between two tries of a standby."""
        return self.takeover / 15

    @property
    def beat_timeout(self) -> float:
        return self.takeover / 15

    @property
    def valid_for(self) -> float:
        """How long after a heartbeat starts the leader may act on it (three beats)."""
        return self.takeover / 5

    @property
    def idle(self) -> float:
        """PostgreSQL ends the lock's session when it has been idle this long."""
        return self.takeover / 3

    @property
    def poll_cap(self) -> int:
        """The longest long poll (whole seconds: the Bot API's timeout is an integer)."""
        return max(1, int(self.takeover / 5))

    @property
    def grace(self) -> float:
        """What a new leader waits before it polls or sends."""
        return self.valid_for + self.poll_cap + self.beat

    @property
    def worst_hang(self) -> float:
        """From a leader's last heartbeat to its standby leading: the session times out, the
        standby's next try takes the lock, the grace runs."""
        return self.idle + self.beat + self.grace

    @property
    def worst_death(self) -> float:
        return self.beat + self.grace


class Leadership(Protocol):
    """What `chibo run` asks: may I serve (`acquire`), do I still (`leading`), until when (`lost`)."""

    poll_cap: int | None  # the longest getUpdates wait while standbys may exist; None: no cap

    async def acquire(self, stopping: asyncio.Event) -> bool:
        """Waits until this process may serve (True), or `stopping` is set first (False)."""
        ...

    def leading(self) -> bool:
        """Right now, may this process poll and send? Cheap: asked before every poll and message."""
        ...

    async def lost(self) -> None:
        """Returns when this term of leadership is over (it may never return)."""
        ...

    async def close(self) -> None:
        ...


class AlreadyServing(Exception):
    """Another `chibo run` serves this SQLite file; the message says which process."""


class SoleProcess:
    """SQLite: this process serves the file alone, or refuses to start (see the module docstring)."""

    poll_cap: int | None = None

    def __init__(self, database: Path | None) -> None:
        """`database`: the SQLite file (None: an in-memory database, nothing to share)."""
        self.path = database.with_name(database.name + "-run.lock") if database else None
        self._file: IO[str] | None = None

    async def acquire(self, stopping: asyncio.Event) -> bool:
        if self._file is not None or self.path is None:
            return not stopping.is_set()
        import fcntl  # POSIX only; chibo runs on Linux (see README)

        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            other = handle.read().strip() or "?"
            handle.close()
            raise AlreadyServing(other) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return not stopping.is_set()

    def leading(self) -> bool:
        return True

    async def lost(self) -> None:
        await asyncio.Event().wait()  # one process, one term: it ends when the process stops

    async def close(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file releases the flock
            self._file = None


class DatabaseLease:
    """PostgreSQL: the advisory lock with heartbeats (see the module docstring)."""

    def __init__(self, database_url: str, timing: Timing) -> None:
        self.url = database_url
        self.timing = timing
        self.poll_cap: int | None = timing.poll_cap
        self.label = f"chibo run pid {os.getpid()} on {socket.gethostname()}"
        self._conn: leader_lock.Connection | None = None
        self._not_before = float("inf")  # monotonic: no polling or sending before (the grace)
        self._valid_until = float("-inf")  # monotonic: the lease on our own clock
        self._lost = asyncio.Event()
        self._beats: asyncio.Task[None] | None = None

    def leading(self) -> bool:
        now = time.monotonic()
        return not self._lost.is_set() and self._not_before <= now < self._valid_until

    async def lost(self) -> None:
        await self._lost.wait()

    async def acquire(self, stopping: asyncio.Event) -> bool:
        t = self.timing
        while True:
            self._lost = asyncio.Event()
            self._not_before, self._valid_until = float("inf"), float("-inf")
            if not await self._take_lock(stopping):
                return False
            started = time.monotonic()
            self._valid_until = started + t.valid_for  # the lock was just taken: a heartbeat
            self._beats = asyncio.create_task(self._beat(), name="leader-heartbeat")
            log.warning("leader: took the lock; serving in %.1f s, once any previous leader's "
                        "lease and long poll have run out", t.grace)
            ended = asyncio.create_task(self._lost.wait())
            stop = asyncio.create_task(stopping.wait())
            try:
                await asyncio.wait({ended, stop}, timeout=t.grace, return_when=asyncio.FIRST_COMPLETED)
            finally:
                ended.cancel()
                stop.cancel()
            if stopping.is_set():
                return False
            if not self._lost.is_set():  # (lost during the grace: stand by again)
                self._not_before = started + t.grace
                log.warning("leader: this process now polls, sweeps and sends (%s)", self.label)
                return True

    async def _take_lock(self, stopping: asyncio.Event) -> bool:
        """Tries every beat until the lock is ours (True) or `stopping` is set (False)."""
        t = self.timing
        said: str | None = None
        while not stopping.is_set():
            try:
                if self._conn is None or self._conn.is_closed():
                    self._conn = await leader_lock.connect(
                        self.url, idle_timeout=t.idle, label=self.label, timeout=max(t.takeover / 3, 5))
                async with asyncio.timeout(t.takeover / 3):
                    if await leader_lock.try_lock(self._conn):
                        return True
                    who = await leader_lock.holder(self._conn) or "another chibo run"
                news = f"standby: {who} leads; this process takes over if it stops for {t.takeover:g} s"
            except Exception as exc:  # the database, the network, a session it ended: try again
                await self._drop_connection()
                news = f"standby: the database is out of reach ({type(exc).__name__}); trying again"
            if news != said:  # one line per change, not one per try
                log.warning("%s", news)
                said = news
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=t.beat)
        return False

    async def _beat(self) -> None:
        t = self.timing
        conn = self._conn
        assert conn is not None
        try:
            while True:
                await asyncio.sleep(t.beat)
                started = time.monotonic()
                async with asyncio.timeout(t.beat_timeout):
                    await leader_lock.heartbeat(conn)
                self._valid_until = started + t.valid_for
        except Exception as exc:  # whatever it is, the lease can no longer be proved
            # (asyncpg may even say InternalClientError when the server ended the session while
            # this process was stopped: the goodbye and the next query cross)
            self._valid_until = float("-inf")
            log.warning("leader: the lease is lost (%s): stepping down to standby", type(exc).__name__)
            await self._drop_connection()
            self._lost.set()

    async def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            conn.terminate()  # no goodbye over a connection that may be dead: just close it

    async def close(self) -> None:
        """Gives the lock back (a clean stop): the standby takes over after its grace."""
        self._valid_until = float("-inf")
        if self._beats is not None:
            self._beats.cancel()
            await asyncio.gather(self._beats, return_exceptions=True)
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            try:
                async with asyncio.timeout(self.timing.beat_timeout):
                    await conn.close()
            except Exception:  # a dead connection: just close the socket
                conn.terminate()


def leadership_for(settings: Settings) -> Leadership:
    """The lease `chibo run` serves under, by the database it serves."""
    if settings.database_url.startswith("sqlite"):
        return SoleProcess(sqlite_path(settings.database_url))
    return DatabaseLease(settings.database_url, Timing(float(settings.standby.takeover_seconds)))
