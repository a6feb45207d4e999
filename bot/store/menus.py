"""Which command menu each person's chat shows, as last set. Session first; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.channels import ChatId, chat_id_of
from bot.domain.roles import Role
from bot.store.models import Menu, User


@dataclass(frozen=True)
class MenuTarget:
    user_id: int
    chat_id: ChatId
    role: Role
    signature: str | None  # of the menu last set in their chat; None: never set (or not known)


async def menu_targets(session: AsyncSession, channel: str) -> list[MenuTarget]:
    """Active users on `channel` with a private chat, and the menu last set there."""
    rows = await session.execute(
        select(User.id, User.chat_id, User.role, Menu.signature)
        .outerjoin(Menu, Menu.user_id == User.id)
        .where(User.active, User.channel == channel, User.chat_id.is_not(None))
        .order_by(User.id))
    out = []
    for user_id, stored_chat, role, signature in rows:
        chat_id = chat_id_of(channel, stored_chat)
        if chat_id is not None:
            out.append(MenuTarget(user_id, chat_id, Role(role), signature))
    return out


async def remember_menu(session: AsyncSession, user_id: int, signature: str, now: datetime) -> None:
    row = await session.get(Menu, user_id)
    if row is None:
        session.add(Menu(user_id=user_id, signature=signature, set_at=now))
    else:
        row.signature, row.set_at = signature, now
