"""Invites and registration: who may create which invite, and what redeeming one does."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.domain.attempts import AttemptGuard
from bot.domain.cells import CellInfo
from bot.domain.channels import ChatId
from bot.domain.errors import DomainError, InvalidInput, PermissionDenied
from bot.domain.invites import (
    InviteError,
    InviteState,
    check_invite,
    generate_code,
    hash_code,
    normalise_code,
)
from bot.domain.roles import Actor, Role, require_admin
from bot.domain.users import UserInfo
from bot.services.access import confirm_actor
from bot.services.wards import choose_ward
from bot.store.audit import add_audit
from bot.store.committees import get_cell, get_cell_by_name, get_committee, get_province
from bot.store.db import Database
from bot.store.users import (
    add_invite,
    cell_names,
    deactivate_other_secretaries,
    find_invite,
    get_invite_for_update,
    get_user_by_identity,
    mark_invite_used,
    mark_reachable,
    upsert_user,
)


@dataclass(frozen=True)
class CreatedInvite:
    code: str  # shown once, never stored in clear
    role: Role
    cell_names: tuple[str, ...]
    expires_at: datetime


@dataclass(frozen=True)
class Registration:
    user: UserInfo
    cell_names: tuple[str, ...]
    replaced: tuple[UserInfo, ...]  # secretaries who lost access to the cell


async def _resolve_cells(
    session: AsyncSession, committee_id: int, names: list[str], ids: list[int]
) -> list[CellInfo]:
    cells: list[CellInfo] = []
    for name in names:
        cell = await get_cell_by_name(session, committee_id, name)
        if cell is None:
            raise InvalidInput(field="cell", reason="unknown_cell", value=name)
        cells.append(cell)
    for cell_id in ids:
        cell = await get_cell(session, cell_id, committee_id)
        if cell is None:
            raise InvalidInput(field="cell", reason="unknown_cell", value=str(cell_id))
        cells.append(cell)
    return list({c.id: c for c in cells}.values())


async def create_invite(
    db: Database, settings: Settings, *, role: Role, now: datetime,
    cell_names_: list[str] | None = None, cell_ids: list[int] | None = None,
    note: str = "", actor: Actor | None = None, actor_label: str = "",
    committee_name: str | None = None,
) -> CreatedInvite:
    """A one-time code for `role`. From chat only a ward's admin may do this, for their own ward;
    the CLI passes no actor, and names the ward (`committee_name`) when there are several. A
    province invite (CLI only) joins the province."""
    if actor is not None:
        require_admin(actor)
        if role is Role.PROVINCE:
            raise PermissionDenied(reason="admin_only")
    async with db.write() as session:
        if actor is not None:
            await confirm_actor(session, actor)
            committee = await get_committee(session, actor.committee_id)
        elif role is Role.PROVINCE:
            committee = await get_province(session)
            if committee is None:
                raise DomainError("province_missing")
        else:
            committee = await choose_ward(session, committee_name)
        if committee is None:
            raise DomainError("committee_missing")
        cells = await _resolve_cells(session, committee.id, cell_names_ or [], cell_ids or [])
        if role is Role.SECRETARY and len(cells) != 1:
            raise InvalidInput(field="cell", reason="secretary_needs_one_cell")
        if role is Role.COMMITTEE and not cells:
            raise InvalidInput(field="cell", reason="committee_needs_cells")
        if role in (Role.ADMIN, Role.PROVINCE) and cells:
            raise InvalidInput(field="cell", reason="admin_has_no_cell")
        code = generate_code()
        expires_at = now + timedelta(days=settings.invites.valid_days)
        invite_id = await add_invite(
            session, code_hash=hash_code(code), role=role,
            cell_id=cells[0].id if role is Role.SECRETARY else None,
            cell_ids=[c.id for c in cells] if role is Role.COMMITTEE else [],
            note=note[:120], created_by=actor.user_id if actor else None, expires_at=expires_at,
            committee_id=committee.id,
        )
        await add_audit(session, action="create_invite", entity="invite", entity_id=invite_id,
                        actor_user_id=actor.user_id if actor else None, actor_label=actor_label,
                        after={"role": role.value, "cells": [c.id for c in cells]})
    return CreatedInvite(code, role, tuple(c.name for c in cells), expires_at)


async def redeem_invite(
    db: Database, *, channel: str, external_id: str, chat_id: ChatId | None,
    display_name: str, typed_code: str, now: datetime, guard: AttemptGuard | None = None,
) -> Registration:
    """Register the person behind `external_id` with the invite's role; the code then dies.

    A secretary invite for a cell replaces the cell's previous secretary, who loses access.
    With a `guard`, someone (a person or a chat) who sent wrong codes is slowed down, and the
    code is not even looked at during the pause. A wrong code is found out in a read
    transaction: only a code that looks good opens a write one (and is checked again there).
    """
    keys = [f"{channel}:user:{external_id}", f"{channel}:chat:{chat_id}"]
    if guard is not None:
        pause = guard.wait(keys, now)
        if pause > timedelta(0):
            raise InviteError("too_many_attempts", minutes=math.ceil(pause.total_seconds() / 60))
    code = normalise_code(typed_code)
    async with db.read() as session:
        found = await find_invite(session, hash_code(code)) if code else None
    try:
        check_invite(InviteState(found.expires_at, found.used_at) if found else None, now)
    except InviteError:
        if guard is not None:
            guard.failed(keys, now)
        raise
    if guard is not None:
        guard.succeeded(keys)
    async with db.write() as session:
        invite = await get_invite_for_update(session, hash_code(code)) if code else None
        check_invite(
            InviteState(invite.expires_at, invite.used_at) if invite else None, now
        )
        assert invite is not None  # check_invite raised otherwise
        user_id, before = await upsert_user(
            session, channel=channel, external_id=external_id, chat_id=chat_id,
            display_name=display_name[:120], role=invite.role, cell_id=invite.cell_id,
            cell_ids=frozenset(invite.cell_ids), committee_id=invite.committee_id,
        )
        replaced: list[UserInfo] = []
        if invite.role is Role.SECRETARY and invite.cell_id is not None:
            replaced = await deactivate_other_secretaries(session, invite.cell_id, user_id)
        await mark_invite_used(session, invite.id, user_id, now)
        await add_audit(
            session, action="register", entity="user", entity_id=user_id, actor_user_id=user_id,
            before=before,
            after={"role": invite.role.value, "cell_id": invite.cell_id,
                   "cell_ids": list(invite.cell_ids), "invite_id": invite.id,
                   "replaced_user_ids": [u.id for u in replaced]},
        )
        user = await get_user_by_identity(session, channel, external_id)
        assert user is not None
        cells = [invite.cell_id] if invite.cell_id is not None else list(invite.cell_ids)
        names = await cell_names(session, cells)
    return Registration(user, tuple(names), tuple(replaced))


async def identify(db: Database, channel: str, external_id: str) -> UserInfo | None:
    """The registered, active user behind a chat identity, or None for a stranger."""
    async with db.read() as session:
        return await get_user_by_identity(session, channel, external_id)


async def note_contact(db: Database, user: UserInfo) -> None:
    """A registered user wrote to the bot: if a push had found them blocking it, they no longer
    do, so their reminders resume (one write, only in that case)."""
    if user.unreachable:
        async with db.write() as session:
            await mark_reachable(session, user.id)
            await add_audit(session, action="reachable_again", entity="user", entity_id=user.id,
                            actor_user_id=user.id)


async def describe_user(db: Database, user: UserInfo) -> tuple[str, ...]:
    """The names of the cells a user works with (their own, or those in their charge)."""
    cells = [user.cell_id] if user.cell_id is not None else sorted(user.cell_ids)
    async with db.read() as session:
        return tuple(await cell_names(session, cells))

