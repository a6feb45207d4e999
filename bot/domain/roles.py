"""Who may do what. Checked by services on every call, from the acting user, never from button data."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from bot.domain.errors import PermissionDenied


class Role(enum.StrEnum):
    ADMIN = "admin"  # ward office / standing committee: sees and manages everything
    COMMITTEE = "committee"  # cấp ủy viên: reads the cells in their charge
    SECRETARY = "secretary"  # bí thư chi bộ: reports for exactly one cell
    PROVINCE = "province"  # Ban Tổ chức Tỉnh ủy / Thành ủy: reads every ward, sets their quotas


@dataclass(frozen=True)
class Actor:
    """The registered user on whose behalf a service runs."""

    user_id: int
    role: Role
    cell_id: int | None = None  # the secretary's cell
    cell_ids: frozenset[int] = field(default_factory=frozenset)  # a committee member's cells
    display_name: str = ""
    # The ward they belong to (a province user: the province); None: the database's only ward.
    committee_id: int | None = None

    def can_read_cell(self, cell_id: int) -> bool:
        """Within their ward (services look cells up in the actor's ward only)."""
        if self.role is Role.ADMIN:
            return True
        if self.role is Role.COMMITTEE:
            return cell_id in self.cell_ids
        return self.cell_id == cell_id

    def can_write_cell(self, cell_id: int) -> bool:
        """Reports about a cell come from its secretary (or the admin correcting them)."""
        return self.role is Role.ADMIN or (self.role is Role.SECRETARY and self.cell_id == cell_id)


def require_read(actor: Actor, cell_id: int) -> None:
    if not actor.can_read_cell(cell_id):
        raise PermissionDenied(reason="other_cell", cell_id=cell_id)


def require_write(actor: Actor, cell_id: int) -> None:
    if not actor.can_write_cell(cell_id):
        raise PermissionDenied(reason="other_cell", cell_id=cell_id)


def require_secretary(actor: Actor) -> int:
    """The cell a secretary reports for; anyone else is refused, with their role (each role is told
    what it can do instead)."""
    if actor.role is not Role.SECRETARY or actor.cell_id is None:
        raise PermissionDenied(reason="secretary_only", role=actor.role.value)
    return actor.cell_id


def require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise PermissionDenied(reason="admin_only")
