"""Invite codes: unguessable, forgiving when typed, hashed, and judged unknown / used / expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.invites import (
    ALPHABET,
    CODE_LENGTH,
    InviteError,
    InviteState,
    check_invite,
    format_code,
    generate_code,
    hash_code,
    looks_like_code,
    normalise_code,
)

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


def test_generated_codes_use_the_unambiguous_alphabet_and_differ() -> None:
    codes = {generate_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert not set("01OIL5S2Z8B") & set(ALPHABET)


@given(st.text(alphabet=ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH))
def test_a_code_typed_loosely_hashes_like_the_original(code: str) -> None:
    typed = " " + format_code(code).lower() + " "
    assert looks_like_code(typed)
    assert normalise_code(typed) == code
    assert hash_code(typed) == hash_code(code)
    assert hash_code(code) != code and len(hash_code(code)) == 64


def test_check_invite_reasons() -> None:
    fresh = InviteState(expires_at=NOW + timedelta(days=7), used_at=None)
    check_invite(fresh, NOW)  # no exception: usable
    with pytest.raises(InviteError) as unknown:
        check_invite(None, NOW)
    assert unknown.value.code == "invite_unknown"
    with pytest.raises(InviteError) as used:
        check_invite(InviteState(NOW + timedelta(days=7), NOW - timedelta(hours=1)), NOW)
    assert used.value.code == "invite_used"
    with pytest.raises(InviteError) as expired:
        check_invite(InviteState(NOW, None), NOW)  # expiry instant itself is already too late
    assert expired.value.code == "invite_expired"
    assert expired.value.data["expired_at"] == NOW


def test_garbage_is_not_a_code() -> None:
    assert not looks_like_code("xin chào")
    assert not looks_like_code("A" * 11)
    assert normalise_code("x" * 500) == "X" * 64
