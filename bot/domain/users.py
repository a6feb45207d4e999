"""A registered user as every layer sees them: a chat identity with a role (and cells)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.channels import ChatId
from bot.domain.roles import Actor, Role


@dataclass(frozen=True)
class UserInfo:
    id: int
    channel: str
    external_id: str
    chat_id: ChatId | None
    display_name: str
    role: Role
    cell_id: int | None
    cell_ids: frozenset[int]
    active: bool
    unreachable: bool = False  # a push was refused because they had blocked the bot
    committee_id: int | None = None  # their ward (or province); None: the database's only ward

    def actor(self) -> Actor:
        return Actor(self.id, self.role, self.cell_id, self.cell_ids, self.display_name,
                     self.committee_id)
