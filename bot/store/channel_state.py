"""What a channel without buttons must remember per chat (the choices offered last) and which
incoming messages it has already handled. Session first; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import ChannelChoices, ChannelInbox


@dataclass(frozen=True)
class OfferedChoices:
    """The buttons under the chat's last message, row by row as the bot laid them out."""

    message_id: int
    text: str
    rows: list[list[tuple[str, str]]]  # [(label, callback data), …] per row

    @property
    def choices(self) -> list[tuple[str, str]]:
        """In reading order, as numbered."""
        return [choice for row in self.rows for choice in row]


def _insert(session: AsyncSession):  # type: ignore[no-untyped-def]
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


async def get_choices(session: AsyncSession, channel: str, chat_id: str) -> OfferedChoices | None:
    row = await session.get(ChannelChoices, (channel, chat_id))
    if row is None:
        return None
    return OfferedChoices(row.message_id, row.text,
                          [[(str(label), str(data)) for label, data in r] for r in row.choices])


async def set_choices(session: AsyncSession, channel: str, chat_id: str, offered: OfferedChoices,
                      now: datetime) -> None:
    values = {"message_id": offered.message_id, "text": offered.text,
              "choices": [[list(c) for c in r] for r in offered.rows], "updated_at": now}
    stmt = _insert(session)(ChannelChoices).values(channel=channel, chat_id=chat_id, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=["channel", "chat_id"], set_=values))


async def clear_choices(session: AsyncSession, channel: str, chat_id: str,
                        message_id: int | None = None) -> None:
    """Forget the chat's choices (only if they belong to `message_id`, when given)."""
    query = delete(ChannelChoices).where(ChannelChoices.channel == channel, ChannelChoices.chat_id == chat_id)
    if message_id is not None:
        query = query.where(ChannelChoices.message_id == message_id)
    await session.execute(query)


async def first_sighting(session: AsyncSession, channel: str, message_id: str, now: datetime) -> bool:
    """Record an incoming message id; False when it was seen before (a repeated delivery)."""
    stmt = _insert(session)(ChannelInbox).values(channel=channel, message_id=message_id, seen_at=now)
    stmt = stmt.on_conflict_do_nothing(index_elements=["channel", "message_id"])
    stmt = stmt.returning(ChannelInbox.message_id)
    return (await session.execute(stmt)).first() is not None


async def prune_inbox(session: AsyncSession, before: datetime) -> None:
    """Old ids are no longer repeated by the platform: keep the table small."""
    await session.execute(delete(ChannelInbox).where(ChannelInbox.seen_at < before))
