"""Domain errors carry data (a code and the values involved), never prose: `texts/` words them."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule refused something. `code` picks the message in `texts/`; `data` fills it in."""

    code: str = "error"

    def __init__(self, code: str | None = None, **data: Any) -> None:
        self.code = code or self.code
        self.data = data
        super().__init__(f"{self.code}: {data}")


class PermissionDenied(DomainError):
    """The acting user may not do this (wrong role, someone else's cell, unregistered)."""

    code = "permission_denied"


class NotFound(DomainError):
    """The thing named does not exist (or no longer exists)."""

    code = "not_found"


class InvalidInput(DomainError):
    """A value the user gave does not fit; `data` says which field and why."""

    code = "invalid_input"
