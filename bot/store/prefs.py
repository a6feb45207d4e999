"""A person's reminder settings (table `user_prefs`) and the outbox rows their choices move.
Session first; never commits; returns dataclasses.

A person without a `user_prefs` row has the defaults: nothing muted, no snooze, the configured
quiet hours. Writes lock the row (inserting it first when missing), so two quick taps on
PostgreSQL cannot both create it; on SQLite write transactions are serialised already.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Outbox, UserPrefs
from bot.store.outbox import OutboxRow, outbox_row


@dataclass(frozen=True)
class PrefsInfo:
    user_id: int
    muted_rules: tuple[str, ...]  # sorted rule values
    snoozed_until: datetime | None  # UTC; may lie in the past (then it no longer matters)
    quiet_start: str | None  # "HH:MM"; None: the configured default
    quiet_end: str | None


def _info(user_id: int, row: UserPrefs | None) -> PrefsInfo:
    if row is None:
        return PrefsInfo(user_id, (), None, None, None)
    return PrefsInfo(user_id, tuple(sorted(row.muted_rules or [])), row.snoozed_until,
                     row.quiet_start, row.quiet_end)


async def get_prefs(session: AsyncSession, user_id: int) -> PrefsInfo:
    return _info(user_id, await session.get(UserPrefs, user_id))


async def _locked_row(session: AsyncSession, user_id: int) -> UserPrefs:
    """The person's row, created with the defaults when missing, locked until the transaction ends."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(insert(UserPrefs).values(user_id=user_id, muted_rules=[])
                          .on_conflict_do_nothing(index_elements=["user_id"]))
    row = (await session.scalars(
        select(UserPrefs).where(UserPrefs.user_id == user_id).with_for_update()
        .execution_options(populate_existing=True))).one()
    return row


async def mark_muted(session: AsyncSession, user_id: int, rules: Sequence[str]) -> PrefsInfo:
    row = await _locked_row(session, user_id)
    row.muted_rules = sorted(set(rules))
    await session.flush()
    return _info(user_id, row)


async def mark_snoozed(session: AsyncSession, user_id: int, until: datetime | None) -> PrefsInfo:
    row = await _locked_row(session, user_id)
    row.snoozed_until = until
    await session.flush()
    return _info(user_id, row)


async def mark_quiet_hours(session: AsyncSession, user_id: int, start: str | None,
                           end: str | None) -> PrefsInfo:
    row = await _locked_row(session, user_id)
    row.quiet_start, row.quiet_end = start, end
    await session.flush()
    return _info(user_id, row)


# --- the outbox rows a person's choices move -------------------------------------------------------
async def list_shown_rows(session: AsyncSession, recipient: int, group: str) -> list[OutboxRow]:
    """The rows of one reminder message that were (or will be) shown: not dropped or given up."""
    rows = await session.scalars(select(Outbox).where(
        Outbox.recipient_user_id == recipient, Outbox.message_group == group,
        Outbox.gave_up_at.is_(None)).order_by(Outbox.id))
    return [outbox_row(r) for r in rows]


async def get_group_due(session: AsyncSession, recipient: int, group: str) -> datetime | None:
    """When the still-pending rows of a message are due (the earliest), None when there are none."""
    return await session.scalar(select(func.min(Outbox.due_at)).where(
        Outbox.recipient_user_id == recipient, Outbox.message_group == group,
        Outbox.gave_up_at.is_(None)))


def _pending(recipient: int) -> list[Any]:
    return [Outbox.recipient_user_id == recipient, Outbox.sent_at.is_(None), Outbox.gave_up_at.is_(None)]


async def postpone_pending(session: AsyncSession, recipient: int, until: datetime) -> int:
    """Queued reminders of `recipient` due before `until` wait until then; returns how many."""
    result = await session.execute(update(Outbox).where(*_pending(recipient), Outbox.due_at < until)
                                   .values(due_at=until))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def release_postponed(session: AsyncSession, recipient: int, until: datetime, now: datetime) -> int:
    """Queued reminders held exactly until `until` (by a snooze now cancelled) are due at `now`."""
    result = await session.execute(update(Outbox).where(*_pending(recipient), Outbox.due_at == until)
                                   .values(due_at=now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
