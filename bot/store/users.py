"""Users (chat identities with a role), committee assignments and invites. Session first; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.channels import ChatId, chat_id_of, chat_id_text
from bot.domain.roles import Role
from bot.domain.users import UserInfo
from bot.store.models import Cell, CommitteeAssignment, Invite, User


async def _assigned_cells(session: AsyncSession, user_id: int) -> frozenset[int]:
    rows = await session.scalars(
        select(CommitteeAssignment.cell_id).where(CommitteeAssignment.user_id == user_id)
    )
    return frozenset(rows)


async def _info(session: AsyncSession, row: User) -> UserInfo:
    cells = await _assigned_cells(session, row.id) if row.role == Role.COMMITTEE else frozenset()
    return UserInfo(row.id, row.channel, row.external_id, chat_id_of(row.channel, row.chat_id),
                    row.display_name,
                    Role(row.role), row.cell_id, cells, row.active, row.unreachable_since is not None,
                    row.committee_id)


async def get_user_by_identity(
    session: AsyncSession, channel: str, external_id: str, *, active_only: bool = True
) -> UserInfo | None:
    query = select(User).where(User.channel == channel, User.external_id == external_id)
    if active_only:
        query = query.where(User.active)
    row = (await session.scalars(query)).first()
    return await _info(session, row) if row else None


async def get_user(session: AsyncSession, user_id: int) -> UserInfo | None:
    row = await session.get(User, user_id)
    return await _info(session, row) if row else None


async def get_user_for_share(session: AsyncSession, user_id: int) -> UserInfo | None:
    """The user as of now, inside a write transaction: on PostgreSQL the row is share-locked, so a
    concurrent re-role or deactivation waits for this transaction (and this one sees it if it
    committed first). On SQLite the write transaction's BEGIN IMMEDIATE already serialises them."""
    row = (await session.scalars(
        select(User).where(User.id == user_id).with_for_update(read=True)
    )).first()
    return await _info(session, row) if row else None


async def upsert_user(
    session: AsyncSession, *, channel: str, external_id: str, chat_id: ChatId | None,
    display_name: str, role: Role, cell_id: int | None, cell_ids: frozenset[int],
    committee_id: int | None = None,
) -> tuple[int, dict[str, object] | None]:
    """Create or re-role a user; returns (id, the previous role/cell or None when new)."""
    row = (await session.scalars(
        select(User).where(User.channel == channel, User.external_id == external_id)
    )).first()
    before = None
    if row is None:
        row = User(channel=channel, external_id=external_id)
        session.add(row)
    else:
        before = {"role": row.role, "cell_id": row.cell_id, "active": row.active}
    row.chat_id = chat_id_text(chat_id)
    row.display_name = display_name
    row.role = role.value
    row.cell_id = cell_id
    row.committee_id = committee_id
    row.active = True
    row.unreachable_since = None
    await session.flush()
    await session.execute(delete(CommitteeAssignment).where(CommitteeAssignment.user_id == row.id))
    session.add_all(CommitteeAssignment(user_id=row.id, cell_id=c) for c in sorted(cell_ids))
    return row.id, before


async def deactivate_other_secretaries(
    session: AsyncSession, cell_id: int, keep_user_id: int
) -> list[UserInfo]:
    """Every other active secretary of `cell_id` loses access; returns who they were."""
    rows = list(await session.scalars(
        select(User).where(User.role == Role.SECRETARY.value, User.cell_id == cell_id,
                           User.active, User.id != keep_user_id)
    ))
    infos = [await _info(session, r) for r in rows]
    if rows:
        await session.execute(
            update(User).where(User.id.in_([r.id for r in rows])).values(active=False)
        )
    return infos


async def add_invite(
    session: AsyncSession, *, code_hash: str, role: Role, cell_id: int | None,
    cell_ids: list[int], note: str, created_by: int | None, expires_at: datetime,
    committee_id: int | None = None,
) -> int:
    row = Invite(code_hash=code_hash, role=role.value, cell_id=cell_id, cell_ids=cell_ids,
                 committee_id=committee_id, note=note, created_by=created_by, expires_at=expires_at)
    session.add(row)
    await session.flush()
    return row.id


@dataclass(frozen=True)
class InviteInfo:
    id: int
    role: Role
    cell_id: int | None
    cell_ids: tuple[int, ...]
    note: str
    expires_at: datetime
    used_at: datetime | None
    committee_id: int | None = None  # the ward the invitee joins (a province invite: the province)


async def get_invite_for_update(session: AsyncSession, code_hash: str) -> InviteInfo | None:
    """The invite, locked on PostgreSQL so two people redeeming one code cannot both win.

    (On SQLite the write transaction's BEGIN IMMEDIATE already serialises redeemers.)
    """
    return await find_invite(session, code_hash, lock=True)


async def find_invite(session: AsyncSession, code_hash: str, *, lock: bool = False) -> InviteInfo | None:
    """The invite with this code hash, if any (read only unless `lock`)."""
    query = select(Invite).where(Invite.code_hash == code_hash)
    row = (await session.scalars(query.with_for_update() if lock else query)).first()
    if row is None:
        return None
    return InviteInfo(row.id, Role(row.role), row.cell_id, tuple(row.cell_ids or ()), row.note,
                      row.expires_at, row.used_at, row.committee_id)


async def mark_invite_used(
    session: AsyncSession, invite_id: int, user_id: int, now: datetime
) -> None:
    await session.execute(
        update(Invite).where(Invite.id == invite_id).values(used_at=now, used_by=user_id)
    )


async def cell_names(session: AsyncSession, cell_ids: list[int]) -> list[str]:
    if not cell_ids:
        return []
    rows = await session.execute(select(Cell.id, Cell.name).where(Cell.id.in_(cell_ids)))
    by_id = {cell_id: name for cell_id, name in rows}
    return [by_id[c] for c in cell_ids if c in by_id]


async def list_active_users(session: AsyncSession) -> list[UserInfo]:
    rows = await session.scalars(select(User).where(User.active).order_by(User.id))
    return [await _info(session, r) for r in rows]


async def mark_reachable(session: AsyncSession, user_id: int) -> None:
    """They wrote to the bot, so they no longer block it: reminders reach them again."""
    await session.execute(update(User).where(User.id == user_id).values(unreachable_since=None))
