"""Delivering queued reminders, channel-agnostic: take due rows in batches grouped per person,
and record what happened to each group. The channel (jobs/sender.py) does the sending.

A group is claimed with a lease, sent *outside* any transaction, then marked sent. A crash after
the send but before the mark resends that one group once the lease expires ("the one in flight");
anything already marked sent is never sent again. A sender that is still at it renews its lease
(`renew`) well before it runs out, so a batch that takes longer than the lease (spacing, timeouts,
a long queue for one chat) is never taken over by another replica while it is being sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.store.db import Database
from bot.store.outbox import (
    OutboxRow,
    Recipient,
    claim_due,
    get_recipients,
    mark_gave_up,
    mark_retry,
    mark_sent,
    mark_unreachable,
    release,
    release_claims,
    renew,
)

LEASE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Delivery:
    """The reminders one person gets in one message."""

    recipient: Recipient
    group: str
    rows: tuple[OutboxRow, ...]

    @property
    def ids(self) -> list[int]:
        return [r.id for r in self.rows]

    @property
    def attempts(self) -> int:
        return max(r.attempts for r in self.rows)


@dataclass(frozen=True)
class Claim:
    """Deliveries taken together, and the lease they are held under (the holder's token)."""

    deliveries: list[Delivery]
    held_until: datetime


async def claim(db: Database, now: datetime, limit: int = 200, *, channels: Sequence[str] = ("telegram",),
                per_recipient: int = 1_000_000, lease: timedelta = LEASE) -> Claim:
    """Due messages nobody else holds, of people on `channels`, grouped per (person, sweep);
    held for `lease`. See `claim_due` for the order and the per-person cap."""
    held_until = now + lease
    async with db.write() as session:
        rows = await claim_due(session, now, held_until, limit, channels=channels,
                               per_recipient=per_recipient)
        recipients = await get_recipients(session, sorted({r.recipient_user_id for r in rows}))
    groups: dict[tuple[int, str], list[OutboxRow]] = defaultdict(list)
    for row in rows:
        groups[(row.recipient_user_id, row.message_group)].append(row)
    return Claim([Delivery(recipients[user], group, tuple(items)) for (user, group), items in groups.items()
                  if user in recipients], held_until)


async def keep(db: Database, deliveries: Sequence[Delivery], held_until: datetime,
               until: datetime) -> set[int]:
    """Renew the lease of deliveries still held under `held_until`; returns the row ids kept."""
    async with db.write() as session:
        return await renew(session, [i for d in deliveries for i in d.ids], held_until, until)


async def delivered(db: Database, delivery: Delivery, now: datetime, message_id: int | None) -> None:
    async with db.write() as session:
        await mark_sent(session, delivery.ids, now, message_id)


def backoff(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s … up to an hour between tries of a failing delivery."""
    return min(timedelta(seconds=10 * 2 ** max(attempts, 0)), MAX_BACKOFF)


async def failed(db: Database, delivery: Delivery, now: datetime, error: str, settings: Settings) -> bool:
    """A transient failure: retry later with backoff, or give up after max_attempts. True if given up."""
    async with db.write() as session:
        if delivery.attempts + 1 >= settings.reminders.max_attempts:
            await mark_gave_up(session, delivery.ids, now, error)
            return True
        await mark_retry(session, delivery.ids, now + backoff(delivery.attempts), error)
        return False


async def rate_limited(db: Database, delivery: Delivery, retry_at: datetime) -> None:
    """Telegram asked us to wait: not the message's fault, so no attempt is counted."""
    async with db.write() as session:
        await mark_retry(session, delivery.ids, retry_at, "rate limited", count_attempt=False)


async def undeliverable(db: Database, delivery: Delivery, now: datetime, error: str,
                        blocked: bool) -> None:
    """A permanent failure; a person who blocked the bot is marked unreachable (admin digest)."""
    async with db.write() as session:
        await mark_gave_up(session, delivery.ids, now, error)
        if blocked:
            await mark_unreachable(session, delivery.recipient.user_id, now)


async def postpone(db: Database, deliveries: list[Delivery], until: datetime | None = None, *,
                   held_until: datetime | None = None) -> None:
    """Give claimed groups back untouched (quiet hours began; the sender is pausing or stopping).
    `held_until`: only rows still held under that lease (the rest is another sender's now)."""
    ids = [i for d in deliveries for i in d.ids]
    async with db.write() as session:
        if until is None:
            await release(session, ids, held_until=held_until)
        else:
            await mark_retry(session, ids, until, "postponed", count_attempt=False, held_until=held_until)


async def free_claims(db: Database) -> int:
    """Every claimed, unsent row goes back to the queue; how many. Only for a sender that knows it
    is the only one left: a new leader, once the old one's lease ran out (bot.standby). Without
    it the rows a dead leader held would wait out their own lease (`LEASE`) before anyone sent them."""
    async with db.write() as session:
        return await release_claims(session)


async def drop_muted(db: Database, delivery: Delivery, now: datetime) -> Delivery | None:
    """Rows of rules the person muted since they were queued are closed; the rest goes on."""
    muted = [r.id for r in delivery.rows if r.rule in delivery.recipient.muted_rules]
    if not muted:
        return delivery
    async with db.write() as session:
        await mark_gave_up(session, muted, now, "muted")
    rest = tuple(r for r in delivery.rows if r.id not in muted)
    return Delivery(delivery.recipient, delivery.group, rest) if rest else None
