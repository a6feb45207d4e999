"""Claims of queued reminders when senders come and go: a sender gives back only what it still
holds, and a new leader frees what a dead one held (bot.standby)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.roles import Role
from bot.services.delivery import LEASE, claim, free_claims, postpone
from bot.store.db import Database
from bot.store.outbox import enqueue
from bot.store.users import upsert_user

NOW = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)


async def _queue(db: Database, people: int) -> None:
    async with db.write() as session:
        rows = []
        for n in range(people):
            user_id, _ = await upsert_user(session, channel="telegram", external_id=str(970_000 + n),
                                           chat_id=970_000 + n, display_name=f"Người {n}",
                                           role=Role.COMMITTEE, cell_id=None, cell_ids=frozenset())
            rows.append({"rule": "quota_pace", "subject": f"cell:{n}", "period": "2026",
                         "payload": {"cell": "Chi bộ", "year": 2026, "admitted": 0, "quota": 1},
                         "recipient_user_id": user_id, "due_at": NOW - timedelta(minutes=1),
                         "message_group": "g", "created_at": NOW, "attempts": 0})
        await enqueue(session, rows)


def _ids(deliveries: list) -> set[int]:  # type: ignore[type-arg]
    return {i for d in deliveries for i in d.ids}


async def test_a_sender_gives_back_only_rows_it_still_holds(db: Database) -> None:
    """Sender 1's lease ran out (it hung) and sender 2 took its rows: when sender 1 stops and
    gives back, sender 2's rows stay held, so nobody else can take them and send them twice."""
    await _queue(db, 3)
    first = await claim(db, NOW)
    later = NOW + LEASE + timedelta(seconds=1)
    second = await claim(db, later)
    assert _ids(second.deliveries) == _ids(first.deliveries) and len(_ids(first.deliveries)) == 3
    await postpone(db, first.deliveries, held_until=first.held_until)  # the woken sender stops
    third = await claim(db, later + timedelta(seconds=1))
    assert third.deliveries == []
    await postpone(db, second.deliveries, held_until=second.held_until)  # its own: given back
    fourth = await claim(db, later + timedelta(seconds=2))
    assert _ids(fourth.deliveries) == _ids(first.deliveries)


async def test_a_new_leader_frees_what_a_dead_sender_held(db: Database) -> None:
    await _queue(db, 4)
    held = await claim(db, NOW)
    assert len(_ids(held.deliveries)) == 4
    assert (await claim(db, NOW + timedelta(seconds=1))).deliveries == []  # held for the whole lease
    assert await free_claims(db) == 4
    again = await claim(db, NOW + timedelta(seconds=1))
    assert _ids(again.deliveries) == _ids(held.deliveries)
    assert await free_claims(db) == 4
    assert await free_claims(db) == 0
