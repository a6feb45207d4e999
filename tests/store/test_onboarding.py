"""Invites and registration through the services, on both backends."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.domain.errors import InvalidInput, PermissionDenied
from bot.domain.invites import InviteError
from bot.domain.roles import Actor, Role
from bot.services.onboarding import create_invite, identify, redeem_invite
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import AuditLog, Cell, User

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
SETTINGS = Settings()


async def _ward(db: Database) -> dict[str, int]:
    async with db.write() as session:
        committee_id, _ = await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ", "")
        cells = [Cell(committee_id=committee_id, name=n, kind="residential")
                 for n in ("Chi bộ tổ 16", "Chi bộ tổ 3", "Chi bộ tổ 5")]
        session.add_all(cells)
        await session.flush()
        return {c.name: c.id for c in cells}


async def _register(db: Database, code: str, user_id: int, now: datetime = NOW):  # type: ignore[no-untyped-def]
    return await redeem_invite(db, channel="telegram", external_id=str(user_id), chat_id=user_id,
                               display_name=f"User {user_id}", typed_code=code, now=now)


async def test_secretary_invite_registers_once(db: Database) -> None:
    await _ward(db)
    invite = await create_invite(db, SETTINGS, role=Role.SECRETARY, cell_names_=["Tổ 16"], now=NOW,
                                 actor_label="cli")
    assert invite.cell_names == ("Chi bộ tổ 16",)
    assert invite.expires_at == NOW + timedelta(days=7)
    reg = await _register(db, invite.code.lower(), 42)
    assert reg.user.role is Role.SECRETARY and reg.cell_names == ("Chi bộ tổ 16",)
    assert (await identify(db, "telegram", "42")) == reg.user
    with pytest.raises(InviteError) as used:
        await _register(db, invite.code, 43)
    assert used.value.code == "invite_used"
    assert await identify(db, "telegram", "43") is None
    async with db.read() as session:
        actions = list(await session.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert actions == ["create_invite", "register"]


async def test_expired_and_unknown_codes_register_nobody(db: Database) -> None:
    await _ward(db)
    invite = await create_invite(db, SETTINGS, role=Role.ADMIN, now=NOW, actor_label="cli")
    with pytest.raises(InviteError) as expired:
        await _register(db, invite.code, 42, now=NOW + timedelta(days=7))
    assert expired.value.code == "invite_expired"
    with pytest.raises(InviteError) as unknown:
        await _register(db, "ACDEFGHJKM", 42)
    assert unknown.value.code == "invite_unknown"
    assert await identify(db, "telegram", "42") is None


async def test_new_secretary_replaces_the_old_one(db: Database) -> None:
    await _ward(db)
    first = await create_invite(db, SETTINGS, role=Role.SECRETARY, cell_names_=["Chi bộ tổ 3"],
                                now=NOW, actor_label="cli")
    second = await create_invite(db, SETTINGS, role=Role.SECRETARY, cell_names_=["Chi bộ tổ 3"],
                                 now=NOW, actor_label="cli")
    old = await _register(db, first.code, 1)
    new = await _register(db, second.code, 2)
    assert [u.id for u in new.replaced] == [old.user.id]
    assert await identify(db, "telegram", "1") is None  # lost access
    assert (await identify(db, "telegram", "2")).cell_id == old.user.cell_id  # type: ignore[union-attr]


async def test_committee_invite_carries_its_cells(db: Database) -> None:
    cells = await _ward(db)
    invite = await create_invite(db, SETTINGS, role=Role.COMMITTEE,
                                 cell_names_=["Chi bộ tổ 16", "Chi bộ tổ 5"], now=NOW, actor_label="cli")
    reg = await _register(db, invite.code, 7)
    assert reg.user.cell_ids == frozenset({cells["Chi bộ tổ 16"], cells["Chi bộ tổ 5"]})
    actor = reg.user.actor()
    assert actor.can_read_cell(cells["Chi bộ tổ 16"]) and not actor.can_read_cell(cells["Chi bộ tổ 3"])
    assert not actor.can_write_cell(cells["Chi bộ tổ 16"])


@pytest.mark.parametrize(
    ("role", "cells", "reason"),
    [(Role.SECRETARY, [], "secretary_needs_one_cell"),
     (Role.SECRETARY, ["Chi bộ tổ 16", "Chi bộ tổ 3"], "secretary_needs_one_cell"),
     (Role.COMMITTEE, [], "committee_needs_cells"),
     (Role.ADMIN, ["Chi bộ tổ 16"], "admin_has_no_cell"),
     (Role.SECRETARY, ["Chi bộ tổ 99"], "unknown_cell")],
)
async def test_invalid_invites_are_refused(db: Database, role: Role, cells: list[str], reason: str) -> None:
    await _ward(db)
    with pytest.raises(InvalidInput) as info:
        await create_invite(db, SETTINGS, role=role, cell_names_=cells, now=NOW, actor_label="cli")
    assert info.value.data["reason"] == reason


async def test_only_admins_invite_from_chat(db: Database) -> None:
    cells = await _ward(db)
    secretary = Actor(user_id=1, role=Role.SECRETARY, cell_id=cells["Chi bộ tổ 16"])
    with pytest.raises(PermissionDenied):
        await create_invite(db, SETTINGS, role=Role.ADMIN, now=NOW, actor=secretary)


async def test_two_people_racing_for_one_code_register_one(db: Database) -> None:
    await _ward(db)
    invite = await create_invite(db, SETTINGS, role=Role.SECRETARY, cell_names_=["Chi bộ tổ 16"],
                                 now=NOW, actor_label="cli")
    results = await asyncio.gather(*(_register(db, invite.code, 100 + i) for i in range(5)),
                                   return_exceptions=True)
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, InviteError)]
    assert len(winners) == 1 and len(losers) == 4
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1
