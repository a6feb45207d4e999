"""Delivery hardening: one bad message never stalls the others, pacing is fair across chats and
measured when a message arrives, the sender itself handles 429, replicas never send a row another
one still holds, and each reminder goes out on its recipient's channel."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from telegram import Bot

from bot.config import Settings, ZaloSettings
from bot.domain.roles import Role
from bot.jobs.sender import Sender
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.local import LocalBot, ManualClock
from bot.store.db import Database
from bot.store.models import Outbox, User
from bot.store.outbox import enqueue
from bot.store.users import upsert_user
from tests.conftest import make_database

SETTINGS = Settings()
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội: no quiet hours
FIRST_CHAT = 910_000


async def _users(db: Database, count: int, *, channel: str = "telegram", first: int = FIRST_CHAT,
                 chat: bool = True) -> list[tuple[int, int | str | None]]:
    """`count` committee members on `channel`; returns (user id, chat id)."""
    out: list[tuple[int, int | str | None]] = []
    async with db.write() as session:
        for n in range(first, first + count):
            chat_id: int | str | None = (n if channel == "telegram" else str(n)) if chat else None
            user_id, _ = await upsert_user(session, channel=channel, external_id=str(n), chat_id=chat_id,
                                           display_name=f"Người {n}", role=Role.COMMITTEE, cell_id=None,
                                           cell_ids=frozenset())
            out.append((user_id, chat_id))
    return out


async def _queue(db: Database, user_id: int, *, count: int = 1, due: datetime = NOW,
                 rule: str = "meeting_missing", payload: dict[str, Any] | None = None,
                 tag: str = "") -> None:
    """`count` separate messages for one person (one message group each)."""
    rows = [{"rule": rule, "subject": f"cell:{user_id}", "period": f"2026-11{tag}#{i}",
             "recipient_user_id": user_id, "due_at": due,
             "payload": {"cell": "Chi bộ tổ 16", "month": 11, "year": 2026} if payload is None else payload,
             "message_group": f"g{tag}{i}", "created_at": due, "attempts": 0} for i in range(count)]
    async with db.write() as session:
        await enqueue(session, rows)


async def _rows(db: Database) -> list[Outbox]:
    async with db.read() as session:
        return list(await session.scalars(select(Outbox).order_by(Outbox.id)))


async def _unsent(db: Database) -> int:
    return sum(1 for r in await _rows(db) if r.sent_at is None and r.gave_up_at is None)


def _delivered(emulator: BotApiEmulator) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in emulator.calls("sendMessage") if c.status == 200)


def _arrivals(emulator: BotApiEmulator, chat_id: int) -> list[float]:
    return [c.time for c in emulator.calls("sendMessage")
            if c.status == 200 and int(c.params["chat_id"]) == chat_id]


@pytest.fixture
async def bot(sqlite_db: Database, clock: ManualClock) -> AsyncIterator[LocalBot]:
    clock.now = NOW
    local = LocalBot(SETTINGS, sqlite_db, clock=clock)
    await local.start()
    try:
        yield local
    finally:
        await local.stop()


def _telegram(bot: LocalBot) -> dict[str, Bot]:
    assert bot.app is not None
    return {"telegram": bot.app.bot}


async def _drain_until_done(bot: LocalBot, sender: Sender, rounds: int = 12) -> list[Any]:
    reports = []
    for _ in range(rounds):  # each round: the clock moves past every backoff (at most 640 s here)
        reports.append(await sender.drain(_telegram(bot)))
        if await _unsent(bot.db) == 0:
            break
        bot.clock.now += timedelta(minutes=15)  # type: ignore[attr-defined]
    return reports


# ── item 1: every row is isolated ────────────────────────────────────────────────────────────


async def test_messages_that_always_fail_are_retried_given_up_and_reported_while_the_rest_go_out(
    bot: LocalBot, caplog: pytest.LogCaptureFixture,
) -> None:
    people = await _users(bot.db, 22)
    for _, chat_id in people:
        bot.add_user(int(chat_id), f"Người {chat_id}")  # type: ignore[arg-type]
    for user_id, _ in people:
        await _queue(bot.db, user_id)
    poisoned_chat = int(people[1][1])  # type: ignore[arg-type]
    # The 2nd recipient's chat migrated (PTB raises ChatMigrated, not a BadRequest), every time;
    # the 3rd recipient's reminder cannot be rendered (a payload from an older version: KeyError).
    bot.emulator.inject_fault("sendMessage", 400, chat_id=poisoned_chat, times=1000,
                              description="Bad Request: group chat was upgraded to a supergroup chat",
                              parameters={"migrate_to_chat_id": -100123})
    async with bot.db.write() as session:
        await session.execute(update(Outbox).where(Outbox.recipient_user_id == people[2][0])
                              .values(rule="digest_quota", payload={}))
    sender = Sender(bot.db, SETTINGS, bot.clock)
    caplog.set_level(logging.WARNING, logger="bot.jobs.sender")
    reports = await _drain_until_done(bot, sender)
    assert await _unsent(bot.db) == 0
    got = _delivered(bot.emulator)
    assert got == Counter({int(c): 1 for _, c in people[3:]} | {int(people[0][1]): 1})  # type: ignore[arg-type]
    max_attempts = SETTINGS.reminders.max_attempts
    for row in await _rows(bot.db):
        if row.recipient_user_id in (people[1][0], people[2][0]):
            assert row.gave_up_at is not None and row.sent_at is None
            assert row.attempts == max_attempts  # counted, retried with backoff, then given up
            assert row.last_error
    assert sum(r.gave_up for r in reports) == 2
    assert sum(r.retried for r in reports) == 2 * (max_attempts - 1)
    gave_up = [r for r in caplog.records if r.levelno >= logging.ERROR and "gave up" in r.getMessage()]
    assert len(gave_up) == 2  # reported, once each
    migrated = [c for c in bot.emulator.calls("sendMessage") if int(c.params["chat_id"]) == poisoned_chat]
    assert len(migrated) == max_attempts


async def test_a_bad_request_a_blocked_user_and_a_user_without_a_chat_are_given_up_at_once(
    bot: LocalBot,
) -> None:
    people = await _users(bot.db, 3)
    no_chat = await _users(bot.db, 1, first=FIRST_CHAT + 50, chat=False)
    bot.add_user(int(people[0][1]), "Người A")  # type: ignore[arg-type]
    bot.add_user(int(people[1][1]), "Người B")  # type: ignore[arg-type]
    bot.emulator.block_user(int(people[1][1]))  # type: ignore[arg-type]
    # people[2] never opened a chat with the bot: "chat not found" (400)
    for user_id, _ in [*people, *no_chat]:
        await _queue(bot.db, user_id)
    report = await Sender(bot.db, SETTINGS, bot.clock).drain(_telegram(bot))
    assert (report.sent, report.gave_up, report.retried) == (1, 3, 0)
    rows = {r.recipient_user_id: r for r in await _rows(bot.db)}
    assert rows[people[0][0]].sent_at is not None and rows[people[0][0]].sent_message_id
    assert "blocked" in rows[people[1][0]].last_error
    assert "chat not found" in rows[people[2][0]].last_error.lower()
    assert rows[no_chat[0][0]].last_error == "no private chat"
    async with bot.db.read() as session:
        blocked = await session.scalar(select(User.unreachable_since).where(User.id == people[1][0]))
    assert blocked is not None


async def test_muted_rules_are_dropped_and_the_rest_of_the_message_goes_out(bot: LocalBot) -> None:
    from bot.store.models import UserPrefs

    (user_id, chat_id), = await _users(bot.db, 1)
    bot.add_user(int(chat_id), "Người A")  # type: ignore[arg-type]
    rows = [{"rule": rule, "subject": "cell:1", "period": "2026-11", "recipient_user_id": user_id,
             "due_at": NOW, "payload": {"cell": "Chi bộ tổ 16", "month": 11, "year": 2026,
                                        "candidate": "A", "due": "2026-12-20"},
             "message_group": "sweep", "created_at": NOW, "attempts": 0}
            for rule in ("meeting_missing", "ceremony_due")]
    async with bot.db.write() as session:
        await enqueue(session, rows)
        session.add(UserPrefs(user_id=user_id, muted_rules=["ceremony_due"]))
    report = await Sender(bot.db, SETTINGS, bot.clock).drain(_telegram(bot))
    assert report.sent == 1
    by_rule = {r.rule: r for r in await _rows(bot.db)}
    assert by_rule["ceremony_due"].gave_up_at is not None and by_rule["ceremony_due"].last_error == "muted"
    assert by_rule["meeting_missing"].sent_at is not None
    # Everything of a message muted: nothing is sent at all.
    await _queue(bot.db, user_id, rule="ceremony_due", tag="b",
                 payload={"cell": "Chi bộ tổ 16", "candidate": "A", "due": "2026-12-20"})
    again = await Sender(bot.db, SETTINGS, bot.clock).drain(_telegram(bot))
    assert again.sent == 0 and await _unsent(bot.db) == 0
    assert _delivered(bot.emulator) == Counter({int(chat_id): 1})  # type: ignore[arg-type]


# ── item 3: fair pacing, measured at arrival ────────────────────────────────────────────────


async def test_one_chat_with_a_long_queue_does_not_hold_up_the_other_chats(bot: LocalBot) -> None:
    busy, *others = await _users(bot.db, 31)
    for _, chat_id in [busy, *others]:
        bot.add_user(int(chat_id), f"Người {chat_id}")  # type: ignore[arg-type]
    await _queue(bot.db, busy[0], count=8, due=NOW - timedelta(hours=1))  # sorted first
    for user_id, _ in others:
        await _queue(bot.db, user_id)
    await Sender(bot.db, SETTINGS, bot.clock).drain(_telegram(bot), batch=10)
    assert await _unsent(bot.db) == 0
    start = min(c.time for c in bot.emulator.calls("sendMessage"))
    last_other = max(t for _, chat_id in others for t in _arrivals(bot.emulator, int(chat_id)))  # type: ignore[arg-type]
    # 31 messages at 25/s take about 1.2 s; waiting out the busy chat's 1 s spacing took 8 s.
    assert last_other - start < 4.0
    busy_times = _arrivals(bot.emulator, int(busy[1]))  # type: ignore[arg-type]
    assert len(busy_times) == 8 and all(b - a >= 0.99 for a, b in pairwise(busy_times))


async def test_the_one_second_per_chat_counts_from_when_a_message_arrived(bot: LocalBot) -> None:
    (user_id, chat_id), = await _users(bot.db, 1)
    bot.add_user(int(chat_id), "Người A")  # type: ignore[arg-type]
    await _queue(bot.db, user_id, count=2)
    # The first message is slow on the network: it reaches Telegram half a second late.
    bot.emulator.inject_fault("sendMessage", None, chat_id=int(chat_id), latency=0.5)  # type: ignore[arg-type]
    await Sender(bot.db, SETTINGS, bot.clock).drain(_telegram(bot))
    first, second = _arrivals(bot.emulator, int(chat_id))  # type: ignore[arg-type]
    assert second - first >= 0.99


# ── item 4: the sender handles 429 itself ───────────────────────────────────────────────────


async def test_a_429_pauses_the_channel_and_postpones_its_messages_without_counting_an_attempt(
    bot: LocalBot,
) -> None:
    people = await _users(bot.db, 5)
    for user_id, chat_id in people:
        bot.add_user(int(chat_id), f"Người {chat_id}")  # type: ignore[arg-type]
        await _queue(bot.db, user_id)
    bot.emulator.inject_fault("sendMessage", 429, retry_after=3)
    sender = Sender(bot.db, SETTINGS, bot.clock)
    report = await sender.drain(_telegram(bot))
    # The sender saw the 429 (the rate limiter did not swallow it by sleeping and retrying).
    assert (report.sent, report.retried) == (0, 1)
    assert [c.status for c in bot.emulator.calls("sendMessage")] == [429]
    rows = await _rows(bot.db)
    assert all(r.attempts == 0 and r.claimed_until is None and r.sent_at is None for r in rows)
    assert sorted(r.last_error for r in rows).count("rate limited") == 1
    # Asked again before the 3 s are over: it does not even claim.
    assert (await sender.drain(_telegram(bot))).sent == 0
    assert len(bot.emulator.calls("sendMessage")) == 1
    bot.clock.now += timedelta(seconds=4)  # type: ignore[attr-defined]
    assert (await sender.drain(_telegram(bot))).sent == 5
    assert _delivered(bot.emulator) == Counter({int(c): 1 for _, c in people})  # type: ignore[arg-type]


async def test_network_errors_are_retried_with_backoff(bot: LocalBot) -> None:
    (user_id, chat_id), = await _users(bot.db, 1)
    bot.add_user(int(chat_id), "Người A")  # type: ignore[arg-type]
    await _queue(bot.db, user_id)
    bot.emulator.inject_fault("sendMessage", 502, times=2)
    sender = Sender(bot.db, SETTINGS, bot.clock)
    first = await sender.drain(_telegram(bot))
    assert (first.sent, first.retried) == (0, 1)
    row, = await _rows(bot.db)
    assert row.attempts == 1 and row.due_at == NOW + timedelta(seconds=10) and row.claimed_until is None
    assert (await sender.drain(_telegram(bot))).sent == 0  # not due yet
    bot.clock.now += timedelta(seconds=10)  # type: ignore[attr-defined]
    assert (await sender.drain(_telegram(bot))).retried == 1
    bot.clock.now += timedelta(seconds=20)  # type: ignore[attr-defined]
    assert (await sender.drain(_telegram(bot))).sent == 1


# ── both channels ────────────────────────────────────────────────────────────────────────────


@pytest.fixture
async def zalo() -> AsyncIterator[tuple[BotApiEmulator, Bot]]:
    """A stand-in for the Zalo bot: a Bot on a second emulator (string chat ids of digits)."""
    emulator = BotApiEmulator(token="555:ZALO-stand-in")
    await emulator.start()
    zalo_bot = Bot("555:ZALO-stand-in", base_url=emulator.base_url)
    await zalo_bot.initialize()
    try:
        yield emulator, zalo_bot
    finally:
        await zalo_bot.shutdown()
        await emulator.stop()


async def test_each_reminder_goes_out_on_its_recipients_channel_and_waits_for_its_bot(
    bot: LocalBot, zalo: tuple[BotApiEmulator, Bot],
) -> None:
    zalo_emulator, zalo_bot = zalo
    on_telegram = await _users(bot.db, 2)
    on_zalo = await _users(bot.db, 2, channel="zalo", first=FIRST_CHAT + 100)
    for _, chat_id in on_telegram:
        bot.add_user(int(chat_id), f"Người {chat_id}")  # type: ignore[arg-type]
    for _, chat_id in on_zalo:
        zalo_emulator.add_user(int(chat_id), first_name=f"Người {chat_id}")  # type: ignore[arg-type]
    for user_id, _ in [*on_telegram, *on_zalo]:
        await _queue(bot.db, user_id, count=2)
    settings = dataclasses.replace(SETTINGS, zalo=ZaloSettings(max_per_second=2, per_chat_interval_ms=1500))
    sender = Sender(bot.db, settings, bot.clock)
    # A process without a Zalo bot sends Telegram's and leaves Zalo's rows unclaimed.
    report = await sender.drain(_telegram(bot))
    assert report.sent == 4
    zalo_ids = {u for u, _ in on_zalo}
    waiting = [r for r in await _rows(bot.db) if r.recipient_user_id in zalo_ids]
    assert all(r.sent_at is None and r.claimed_until is None and r.attempts == 0 for r in waiting)
    report = await sender.drain({**_telegram(bot), "zalo": zalo_bot})
    assert report.sent == 4 and await _unsent(bot.db) == 0
    assert _delivered(zalo_emulator) == Counter({int(c): 2 for _, c in on_zalo})  # type: ignore[arg-type]
    assert _delivered(bot.emulator) == Counter({int(c): 2 for _, c in on_telegram})  # type: ignore[arg-type]
    # Zalo's own limits: 1.5 s between two messages to one chat, at most 2 a second overall.
    for _, chat_id in on_zalo:
        first, second = _arrivals(zalo_emulator, int(chat_id))  # type: ignore[arg-type]
        assert second - first >= 1.49
    times = sorted(c.time for c in zalo_emulator.calls("sendMessage"))
    assert max(sum(1 for x in times if start <= x < start + 1.0) for start in times) <= 2
    assert all(isinstance(r.sent_message_id, int) for r in await _rows(bot.db))


# ── item 2: a replica never takes what another one is still sending ─────────────────────────


@pytest.fixture(params=["sqlite", "postgresql"])
async def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    database = await make_database(request.param, tmp_path)
    yield database
    await database.dispose()


async def test_a_second_replica_does_not_take_rows_the_first_is_still_sending(
    any_db: Database, clock: ManualClock,
) -> None:
    clock.now = NOW
    local = LocalBot(SETTINGS, any_db, clock=clock)
    await local.start()
    try:
        people = await _users(any_db, 30)
        for user_id, chat_id in people:
            local.add_user(int(chat_id), f"Người {chat_id}")  # type: ignore[arg-type]
            await _queue(any_db, user_id)
        # Each send takes a while: the batch outlives the lease as the clock runs on.
        local.emulator.inject_fault("sendMessage", None, delay=0.2, times=1000)
        first = Sender(any_db, SETTINGS, clock)
        second = Sender(any_db, SETTINGS, clock)
        sending = asyncio.create_task(first.drain(_telegram(local)))
        seen = 0
        while not sending.done():
            calls = len(local.emulator.calls("sendMessage"))
            if calls > seen:  # the first replica is still at it: 20 s pass, the second one looks
                seen = calls
                clock.now += timedelta(seconds=20)
                await second.drain(_telegram(local))
            await asyncio.sleep(0.01)
        await sending
        assert _delivered(local.emulator) == Counter({int(c): 1 for _, c in people})  # type: ignore[arg-type]
        assert await _unsent(any_db) == 0
        assert clock.now - NOW > timedelta(minutes=5)  # far beyond one lease
    finally:
        await local.stop()


# ── the other branches: quiet hours, an unknown channel, a lost lease, a broken database ────


async def test_personal_quiet_hours_set_after_queueing_postpone_without_counting(bot: LocalBot) -> None:
    from bot.store.models import UserPrefs

    (user_id, chat_id), = await _users(bot.db, 1)
    bot.add_user(int(chat_id), "Người A")  # type: ignore[arg-type]
    await _queue(bot.db, user_id)
    async with bot.db.write() as session:  # 09:00–12:00 is quiet for them; it is 10:00
        session.add(UserPrefs(user_id=user_id, quiet_start="09:00", quiet_end="12:00"))
    report = await Sender(bot.db, SETTINGS, bot.clock).drain(_telegram(bot))
    assert (report.sent, report.postponed) == (0, 1)
    row, = await _rows(bot.db)
    assert row.due_at == NOW + timedelta(hours=2) and row.attempts == 0 and row.claimed_until is None


async def test_a_channel_without_known_limits_is_not_sent_on(bot: LocalBot,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    (user_id, _), = await _users(bot.db, 1)
    await _queue(bot.db, user_id)
    assert bot.app is not None
    report = await Sender(bot.db, SETTINGS, bot.clock).drain({"sms": bot.app.bot})
    assert report.sent == 0 and not bot.emulator.calls("sendMessage")
    assert any("'sms'" in r.getMessage() for r in caplog.records)


async def test_a_sender_whose_lease_ran_out_does_not_send_what_another_one_took(
    bot: LocalBot, caplog: pytest.LogCaptureFixture,
) -> None:
    people = await _users(bot.db, 6)
    for user_id, chat_id in people:
        bot.add_user(int(chat_id), f"Người {chat_id}")  # type: ignore[arg-type]
        await _queue(bot.db, user_id)
    # The first sender's first message hangs for a while (a stalled network) ...
    bot.emulator.inject_fault("sendMessage", None, delay=3.0)  # long enough for the takeover below
    first, second = Sender(bot.db, SETTINGS, bot.clock), Sender(bot.db, SETTINGS, bot.clock)
    stalled = asyncio.create_task(first.drain(_telegram(bot)))
    while not bot.emulator.calls("sendMessage"):  # arrived (wait_until wakes only once it is answered)
        await asyncio.sleep(0.01)
    # ... long enough, on the clock, for its lease to run out: the second sender takes over.
    bot.clock.now += timedelta(minutes=3)  # type: ignore[attr-defined]
    taken_over = await second.drain(_telegram(bot))
    await stalled
    assert taken_over.sent == 6
    got = _delivered(bot.emulator)
    assert set(got) == {int(c) for _, c in people}  # type: ignore[arg-type]
    assert sum(got.values()) - len(got) <= 1  # only the message in flight may repeat
    assert any("lease lost" in r.getMessage() for r in caplog.records)
    assert await _unsent(bot.db) == 0


async def test_a_database_failure_is_raised_not_swallowed(bot: LocalBot) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    async with bot.db.write() as session:
        await session.execute(text("ALTER TABLE outbox RENAME TO outbox_gone"))
    with pytest.raises(OperationalError):
        await Sender(bot.db, SETTINGS, bot.clock).drain(_telegram(bot))


async def test_rows_that_become_due_meanwhile_do_not_wait_for_a_long_queue(bot: LocalBot) -> None:
    busy, other = await _users(bot.db, 2)
    for _, chat_id in (busy, other):
        bot.add_user(int(chat_id), f"Người {chat_id}")  # type: ignore[arg-type]
    await _queue(bot.db, busy[0], count=9)
    await _queue(bot.db, other[0], due=NOW + timedelta(seconds=1), tag="later")
    sending = asyncio.create_task(Sender(bot.db, SETTINGS, bot.clock).drain(_telegram(bot)))
    await bot.emulator.wait_until(lambda: len(bot.emulator.calls("sendMessage")) >= 2, timeout=5,
                                  what="the busy chat's second message")
    bot.clock.now += timedelta(seconds=1)  # type: ignore[attr-defined]  # the other row is due now
    await sending
    busy_times = _arrivals(bot.emulator, int(busy[1]))  # type: ignore[arg-type]
    other_time, = _arrivals(bot.emulator, int(other[1]))  # type: ignore[arg-type]
    assert other_time < busy_times[-1] - 1.0  # picked up while the busy chat's queue went on
