"""One-time invite codes: generated, normalised from what a person types, hashed for storage, judged."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import DomainError

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read out over the phone must survive it.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 10  # 25^10 ≈ 9.5e13: unguessable in 7 days at any rate Telegram allows
MAX_TYPED_LENGTH = 64  # Telegram's own limit for a /start parameter
FREE_ATTEMPTS = 5  # wrong codes answered at once; typos happen, guessing does not need more


class InviteError(DomainError):
    """An invite cannot be used; `code` says why (unknown / used / expired)."""


def generate_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What the person meant: upper case, no spaces or dashes ("acde-fghj k" → "ACDEFGHJK")."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())[:MAX_TYPED_LENGTH]


def hash_code(code: str) -> str:
    """Codes are stored hashed: a leaked database does not hand out registrations."""
    return hashlib.sha256(normalise_code(code).encode("ascii", "ignore")).hexdigest()


def looks_like_code(typed: str) -> bool:
    code = normalise_code(typed)
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


@dataclass(frozen=True)
class InviteState:
    expires_at: datetime
    used_at: datetime | None


def check_invite(invite: InviteState | None, now: datetime) -> None:
    """Raise InviteError unless the invite exists, is unused and has not expired at `now`."""
    if invite is None:
        raise InviteError("invite_unknown")
    if invite.used_at is not None:
        raise InviteError("invite_used")
    if now >= invite.expires_at:
        raise InviteError("invite_expired", expired_at=invite.expires_at)


def format_code(code: str) -> str:
    """For reading aloud or typing: "ACDE-FGHJK"; the dash is ignored when typed back."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"
