"""Two `chibo run` processes on one PostgreSQL database and one (local) Bot API: one leads, the
other stands by and takes over when the leader is killed (SIGKILL) or hangs (SIGSTOP); a hung
leader woken up (SIGCONT) steps down instead of sending. On SQLite a second `chibo run` refuses.

What is checked on the emulator's own request log: every reminder arrives, none twice except at
most the one in flight when the leader went; no two getUpdates are ever open at once and none is
answered 409; the standby's first poll comes within `takeover_seconds` of the leader's end.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.domain.roles import Role
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.records import RequestRecord
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import Outbox
from bot.store.outbox import enqueue
from bot.store.users import upsert_user
from tests.conftest import PG_ENV, PG_SKIP_REASON, make_database

TOKEN = "515151:STANDBY-test-token"
TAKEOVER = 10  # [standby] takeover_seconds: short, so the test is quick
PEOPLE = 30
FIRST_CHAT = 960_000
SEND_DELAY = 0.15  # each sendMessage takes this long at the emulator: a batch is seconds long
LEADS = "leader: this process now polls"
STANDS_BY = "standby: "


class Instance:
    """One `chibo run` child process and its log file."""

    def __init__(self, name: str, config: Path, log: Path) -> None:
        self.name, self.config, self.log = name, config, log
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--config", str(self.config), "--log-level", "INFO",
                env={**os.environ, "CHIBO_TELEGRAM_TOKEN": TOKEN}, stdout=out, stderr=out)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, sig)

    async def stop(self) -> int:
        """SIGTERM (after SIGCONT, in case it is stopped); its exit code."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.signal(signal.SIGCONT)
            self.signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout=30)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
            raise AssertionError(f"{self.name} did not stop on SIGTERM:\n{self.text()}") from None


async def until(predicate: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@pytest.fixture
async def pg_url(tmp_path: Path) -> AsyncIterator[str]:
    """A migrated, empty PostgreSQL database holding a ward, PEOPLE users and a reminder for each."""
    raw = os.environ.get(PG_ENV)
    if not raw:
        pytest.skip(PG_SKIP_REASON)
    db = await make_database("postgresql", tmp_path)
    now = datetime.now(UTC)
    try:
        async with db.write() as session:
            await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ", "Thành ủy Thái Nguyên")
            rows = []
            for n in range(PEOPLE):
                user_id, _ = await upsert_user(
                    session, channel="telegram", external_id=str(FIRST_CHAT + n), chat_id=FIRST_CHAT + n,
                    display_name=f"Người {n}", role=Role.COMMITTEE, cell_id=None, cell_ids=frozenset())
                rows.append({"rule": "quota_pace", "subject": f"cell:{n}", "period": "2026", "payload": {
                    "cell": "Chi bộ", "year": 2026, "admitted": 0, "quota": 1}, "recipient_user_id": user_id,
                    "due_at": now - timedelta(minutes=1), "message_group": "g", "created_at": now,
                    "attempts": 0})
            await enqueue(session, rows)
    finally:
        await db.dispose()
    yield raw


async def unsent(url: str) -> int:
    db = Database(url.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        async with db.read() as session:
            return int(await session.scalar(
                select(func.count()).select_from(Outbox).where(Outbox.sent_at.is_(None))) or 0)
    finally:
        await db.dispose()


def write_config(path: Path, url: str, emu: BotApiEmulator) -> Path:
    rules_off = "\n".join(f"{rule} = false" for rule in (
        "quota_pace", "meeting_missing", "committee_attendance", "member_absences", "admission_clocks"))
    path.write_text(
        f'[database]\nurl = "{url}"\n'
        f'[telegram]\nbase_url = "{emu.base_url}"\nbase_file_url = "{emu.base_file_url}"\n'
        # No quiet hours (the test may run at night in Hà Nội); the sweep decides nothing new.
        f'[reminders]\nsend_interval_seconds = 1\nquiet_start = "00:00"\nquiet_end = "00:00"\n{rules_off}\n'
        f"[standby]\ntakeover_seconds = {TAKEOVER}\n", encoding="utf-8")
    return path


async def two_instances(tmp_path: Path, url: str, emu: BotApiEmulator) -> tuple[Instance, Instance]:
    """Both started at once; returns (leader, standby) once one leads and the other stands by."""
    config = write_config(tmp_path / "chibo.toml", url, emu)
    pair = [Instance(name, config, tmp_path / f"{name}.log") for name in ("a", "b")]
    for instance in pair:
        await instance.start()
    await until(lambda: any(LEADS in i.text() for i in pair), "one instance to lead")
    leader = next(i for i in pair if LEADS in i.text())
    standby = next(i for i in pair if i is not leader)
    await until(lambda: STANDS_BY in standby.text(), "the other one to stand by")
    assert LEADS not in standby.text()
    return leader, standby


def delivered(emu: BotApiEmulator) -> Counter[int]:
    """Reminders that reached the emulator, by chat (None: it arrived, then its sender went)."""
    return Counter(int(c.params["chat_id"]) for c in emu.calls("sendMessage") if c.status in (200, None))


def assert_one_poller(requests: list[RequestRecord]) -> None:
    """No two getUpdates open at the same time, and none cut off with 409 Conflict.

    Checked on the requests made while both processes ran, before the test stops them: PTB's own
    stop cancels its long poll and sends one last getUpdates at once, which the emulator (like
    Telegram) may answer by ending the abandoned poll with 409 — a single process does that too.
    """
    polls = sorted((r for r in requests if r.method == "getUpdates"), key=lambda r: r.time)
    assert polls, "nobody polled"
    conflicts = [r for r in requests if r.status == 409]
    assert not conflicts, "409 Conflict answered; polls (arrived, answered, status): " + ", ".join(
        f"({r.time:.2f}, {r.finished or 0:.2f}, {r.status})" for r in polls)
    for before, after in itertools.pairwise(polls):
        assert before.finished is not None and before.finished <= after.time, (
            f"two polls open at once: {before} and {after}")


def first_after(calls: list[RequestRecord], moment: float) -> float:
    return min(c.time for c in calls if c.time > moment) - moment


async def a_send_in_flight(emu: BotApiEmulator, at_least: int) -> None:
    """Until `at_least` reminders went out and another one is being sent right now."""
    await emu.wait_until(
        lambda: len(delivered(emu)) >= at_least and any(c.status is None for c in emu.calls("sendMessage")),
        timeout=30, what=f"{at_least} reminders sent and one in flight")


async def test_the_standby_takes_over_a_killed_leader_mid_batch(tmp_path: Path, pg_url: str) -> None:
    async with BotApiEmulator(token=TOKEN) as emu:
        for n in range(PEOPLE):
            emu.add_user(FIRST_CHAT + n, first_name=f"Người {n}")
        emu.inject_fault("sendMessage", None, delay=SEND_DELAY, times=10_000)
        leader, standby = await two_instances(tmp_path, pg_url, emu)
        try:
            await a_send_in_flight(emu, at_least=8)
            leader.signal(signal.SIGKILL)
            killed_at = time.monotonic()
            assert leader.proc is not None
            await leader.proc.wait()
            sent_before = len(delivered(emu))
            assert sent_before < PEOPLE, "the batch was over before the leader was killed"
            await emu.wait_until(lambda: len(delivered(emu)) == PEOPLE, timeout=TAKEOVER + 20,
                                 what="every reminder delivered after the takeover")
            assert LEADS in standby.text()
            # The standby polls and sends within the takeover time (start-up included).
            assert first_after(emu.calls("getUpdates"), killed_at) <= TAKEOVER
            assert first_after(emu.calls("sendMessage"), killed_at) <= TAKEOVER + 2  # its sender's first run
            assert_one_poller(list(emu.requests))
        finally:
            code = await standby.stop()
            if leader.proc is not None and leader.proc.returncode is None:
                leader.proc.kill()
        assert code == 0, standby.text()
        got = delivered(emu)
        assert set(got) == {FIRST_CHAT + n for n in range(PEOPLE)}  # nothing lost
        assert sum(got.values()) - PEOPLE <= 1  # at most the one in flight, twice
    assert await unsent(pg_url) == 0
    assert "go back to the queue" in standby.text()  # the dead leader's claims were freed


async def test_a_hung_leader_loses_the_lease_and_steps_down_when_it_wakes(tmp_path: Path,
                                                                         pg_url: str) -> None:
    async with BotApiEmulator(token=TOKEN) as emu:
        for n in range(PEOPLE):
            emu.add_user(FIRST_CHAT + n, first_name=f"Người {n}")
        emu.inject_fault("sendMessage", None, delay=SEND_DELAY, times=10_000)
        leader, standby = await two_instances(tmp_path, pg_url, emu)
        try:
            await a_send_in_flight(emu, at_least=8)
            leader.signal(signal.SIGSTOP)  # hung: its sockets, its session and its lock stay open
            stopped_at = time.monotonic()
            await emu.wait_until(lambda: len(delivered(emu)) == PEOPLE, timeout=TAKEOVER + 20,
                                 what="every reminder delivered by the standby")
            assert LEADS in standby.text()
            assert first_after(emu.calls("getUpdates"), stopped_at) <= TAKEOVER
            sends_before_waking = len(emu.calls("sendMessage"))
            leader.signal(signal.SIGCONT)
            await until(lambda: "stepping down" in leader.text(), "the woken leader to step down")
            await until(lambda: STANDS_BY in leader.text().split("stepping down", 1)[1],
                        "the woken leader to stand by again")
            await asyncio.sleep(2)  # long enough for a sender or a poller that was not stopped to act
            assert len(emu.calls("sendMessage")) == sends_before_waking  # it sent nothing after waking
            assert_one_poller(list(emu.requests))
        finally:
            codes = [await leader.stop(), await standby.stop()]
        assert codes == [0, 0], leader.text() + standby.text()
        got = delivered(emu)
        assert set(got) == {FIRST_CHAT + n for n in range(PEOPLE)}
        assert sum(got.values()) - PEOPLE <= 1
    assert await unsent(pg_url) == 0


async def test_a_second_chibo_run_on_one_sqlite_file_refuses(tmp_path: Path) -> None:
    async with BotApiEmulator(token=TOKEN) as emu:
        config = tmp_path / "chibo.toml"
        config.write_text(
            f'[database]\nurl = "{tmp_path / "ward.db"}"\n[telegram]\nbase_url = "{emu.base_url}"\n'
            f'base_file_url = "{emu.base_file_url}"\n[reminders]\nenabled = false\n', encoding="utf-8")
        first = Instance("first", config, tmp_path / "first.log")
        await first.start()
        try:
            await emu.wait_until(lambda: bool(emu.calls("getUpdates")), timeout=30, what="the first polling")
            second = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--config", str(config),
                env={**os.environ, "CHIBO_TELEGRAM_TOKEN": TOKEN},
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            _, err = await asyncio.wait_for(second.communicate(), timeout=30)
            assert second.returncode == 2
            assert first.proc is not None
            assert f"tiến trình {first.proc.pid}" in err.decode() and "PostgreSQL" in err.decode()
            assert len(err.decode().strip().splitlines()) == 1  # one line, no traceback
            assert_one_poller(list(emu.requests))  # the refused one never polled
        finally:
            assert await first.stop() == 0, first.text()
