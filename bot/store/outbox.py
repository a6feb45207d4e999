"""The reminder outbox: decided reminders wait here until delivered. Session first; never commits.

Enqueueing is `INSERT … ON CONFLICT DO NOTHING` on the key (rule, subject, period, recipient), so a
sweep run twice, or on two replicas at once, adds nothing. Senders claim rows with a lease
(`claimed_until`), using `FOR UPDATE SKIP LOCKED` on PostgreSQL so replicas never take the same row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.domain.channels import ChatId, chat_id_of
from bot.store.models import Outbox, User, UserPrefs
from bot.store.slices import slices


@dataclass(frozen=True)
class OutboxRow:
    id: int
    rule: str
    subject: str
    period: str
    recipient_user_id: int
    payload: dict[str, Any]
    due_at: datetime
    message_group: str
    attempts: int


def outbox_row(o: Outbox) -> OutboxRow:
    """The row as a dataclass (the ORM object stays inside the store)."""
    return OutboxRow(o.id, o.rule, o.subject, o.period, o.recipient_user_id, dict(o.payload or {}),
                     o.due_at, o.message_group, o.attempts)


async def enqueue(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert reminders not decided before; returns how many were new."""
    if not rows:
        return 0
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    new = 0
    for start in range(0, len(rows), 500):  # keep statements well under parameter limits
        stmt = insert(Outbox).values(list(rows[start:start + 500])).on_conflict_do_nothing(
            index_elements=["rule", "subject", "period", "recipient_user_id"]
        ).returning(Outbox.id)
        new += len((await session.execute(stmt)).all())
    return new


async def claim_due(
    session: AsyncSession, now: datetime, lease_until: datetime, limit: int, *,
    channels: Sequence[str], per_recipient: int,
) -> list[OutboxRow]:
    """Take the rows of up to `limit` messages due by `now` and hold them until `lease_until`.

    Only recipients on `channels` (the ones this process has a bot for: the others wait for a
    process that can send them). Fair: each person's first message comes before anyone's second,
    so one person with a long queue cannot fill the batch. At most `per_recipient` messages per
    person (what their per-chat spacing lets go out within the lease), and none for a person
    whose rows another sender holds: one sender at a time talks to a chat, so its spacing holds
    across replicas. A message is a (person, message_group); it is never split between claims.
    """
    free = and_(Outbox.sent_at.is_(None), Outbox.gave_up_at.is_(None), Outbox.due_at <= now,
                or_(Outbox.claimed_until.is_(None), Outbox.claimed_until < now))
    held = aliased(Outbox)
    held_by_someone = (select(held.id).where(
        held.recipient_user_id == Outbox.recipient_user_id, held.sent_at.is_(None),
        held.gave_up_at.is_(None), held.claimed_until >= now).exists())
    messages = (
        select(Outbox.recipient_user_id.label("recipient"), Outbox.message_group.label("grp"),
               func.min(Outbox.due_at).label("due"))
        .join(User, User.id == Outbox.recipient_user_id)
        .where(free, User.channel.in_(list(channels)), ~held_by_someone)
        .group_by(Outbox.recipient_user_id, Outbox.message_group)
        .subquery()
    )
    ranked = select(messages, func.row_number().over(
        partition_by=messages.c.recipient, order_by=(messages.c.due, messages.c.grp)).label("turn")
    ).subquery()
    chosen = (
        select(ranked.c.recipient, ranked.c.grp).where(ranked.c.turn <= per_recipient)
        .order_by(ranked.c.turn, ranked.c.due, ranked.c.recipient, ranked.c.grp)
        .limit(limit).subquery()
    )
    query = (
        select(Outbox)
        .join(chosen, and_(Outbox.recipient_user_id == chosen.c.recipient,
                           Outbox.message_group == chosen.c.grp))
        .where(free)
        .order_by(Outbox.id)
        .with_for_update(skip_locked=True, of=Outbox)
    )
    rows = list(await session.scalars(query))
    if rows:
        await session.execute(update(Outbox).where(Outbox.id.in_([r.id for r in rows]))
                              .values(claimed_until=lease_until))
    return [outbox_row(r) for r in rows]


async def renew(session: AsyncSession, ids: Sequence[int], held_until: datetime,
                lease_until: datetime) -> set[int]:
    """Extend the lease on rows this sender still holds; returns the ids renewed.

    The lease time is the holder's token: a row whose lease ran out and that another sender
    claimed since carries that sender's lease time, so it is not renewed (and must not be sent).
    """
    if not ids:
        return set()
    result = await session.execute(
        update(Outbox).where(Outbox.id.in_(list(ids)), Outbox.claimed_until == held_until,
                             Outbox.sent_at.is_(None), Outbox.gave_up_at.is_(None))
        .values(claimed_until=lease_until).returning(Outbox.id))
    return {row_id for (row_id,) in result}


async def mark_sent(session: AsyncSession, ids: list[int], now: datetime, message_id: int | None) -> None:
    await session.execute(update(Outbox).where(Outbox.id.in_(ids)).values(
        sent_at=now, claimed_until=None, sent_message_id=message_id, attempts=Outbox.attempts + 1))


def _held(ids: Sequence[int], held_until: datetime | None) -> Any:
    """The rows `ids`; with `held_until`, only those still held under that lease (its token)."""
    where = Outbox.id.in_(list(ids))
    return where if held_until is None else and_(where, Outbox.claimed_until == held_until)


async def mark_retry(session: AsyncSession, ids: list[int], due_at: datetime, error: str,
                     count_attempt: bool = True, *, held_until: datetime | None = None) -> None:
    values: dict[str, Any] = {"due_at": due_at, "claimed_until": None, "last_error": error[:500]}
    if count_attempt:
        values["attempts"] = Outbox.attempts + 1
    await session.execute(update(Outbox).where(_held(ids, held_until)).values(**values))


async def mark_gave_up(session: AsyncSession, ids: list[int], now: datetime, error: str) -> None:
    await session.execute(update(Outbox).where(Outbox.id.in_(ids)).values(
        gave_up_at=now, claimed_until=None, last_error=error[:500], attempts=Outbox.attempts + 1))


async def release(session: AsyncSession, ids: list[int], *, held_until: datetime | None = None) -> None:
    """Give rows back without counting an attempt (quiet hours began, the sender is stopping);
    with `held_until`, only those still held under that lease."""
    await session.execute(update(Outbox).where(_held(ids, held_until)).values(claimed_until=None))


async def release_claims(session: AsyncSession) -> int:
    """Every claimed, unsent row back to the queue; how many. Rows another transaction has
    locked right now (a sender in the middle of recording one) are skipped, not waited for."""
    claimed = (select(Outbox.id).where(Outbox.claimed_until.is_not(None), Outbox.sent_at.is_(None),
                                       Outbox.gave_up_at.is_(None))
               .with_for_update(skip_locked=True))
    result = await session.execute(update(Outbox).where(Outbox.id.in_(claimed.scalar_subquery()))
                                   .values(claimed_until=None).returning(Outbox.id))
    return len(result.all())


async def get_row(session: AsyncSession, row_id: int) -> OutboxRow | None:
    row = await session.get(Outbox, row_id)
    return outbox_row(row) if row else None


@dataclass(frozen=True)
class Recipient:
    user_id: int
    chat_id: ChatId | None
    display_name: str
    role: str
    active: bool
    unreachable: bool
    muted_rules: frozenset[str]
    snoozed_until: datetime | None
    quiet_start: str | None
    quiet_end: str | None
    channel: str = "telegram"  # the channel their chat is on: the sender picks the bot by it


async def get_recipients(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, Recipient]:
    if not user_ids:
        return {}
    rows = []
    for some in slices(user_ids):
        rows += await session.execute(
            select(User, UserPrefs).outerjoin(UserPrefs, UserPrefs.user_id == User.id)
            .where(User.id.in_(some))
        )
    out: dict[int, Recipient] = {}
    for user, prefs in rows:
        out[user.id] = Recipient(
            user.id, chat_id_of(user.channel, user.chat_id), user.display_name, user.role, user.active,
            user.unreachable_since is not None,
            frozenset(prefs.muted_rules or []) if prefs else frozenset(),
            prefs.snoozed_until if prefs else None, prefs.quiet_start if prefs else None,
            prefs.quiet_end if prefs else None, user.channel)
    return out


async def mark_unreachable(session: AsyncSession, user_id: int, now: datetime) -> None:
    await session.execute(update(User).where(User.id == user_id, User.unreachable_since.is_(None))
                          .values(unreachable_since=now))
