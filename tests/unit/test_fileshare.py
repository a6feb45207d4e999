"""The links /baocao sends on Zalo: unguessable, working until their expiry and not a moment after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.fileshare import MAX_FILES, FileShare, SharedFile
from bot.sandbox.local import ManualClock

START = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


def _token(url: str) -> str:
    return url.split("/")[-2]


def test_a_link_works_until_its_expiry_then_is_refused() -> None:
    clock = ManualClock(START)
    share = FileShare(clock, timedelta(hours=24), "https://chibo.example.org/files/")
    url, expires = share.share("báo cáo 2023.xlsx", b"data", "application/octet-stream")
    assert url.startswith("https://chibo.example.org/files/")
    assert url.endswith("/b%C3%A1o%20c%C3%A1o%202023.xlsx")
    assert expires == START + timedelta(hours=24)
    clock.now = expires - timedelta(seconds=1)
    found = share.lookup(_token(url))
    assert isinstance(found, SharedFile) and found.data == b"data"
    clock.now = expires
    assert share.lookup(_token(url)) is False  # expired: told apart from a forged token
    assert share.lookup(_token(url)) is None  # and forgotten


def test_tokens_are_unguessable_and_unique() -> None:
    share = FileShare(ManualClock(START), timedelta(hours=1), "https://x.example/f")
    tokens = {_token(share.share("a.png", b"", "image/png")[0]) for _ in range(200)}
    assert len(tokens) == 200 and all(len(t) >= 40 for t in tokens)
    assert share.lookup("A" * 43) is None


def test_nothing_is_shared_without_a_public_address_and_old_links_make_room() -> None:
    with pytest.raises(RuntimeError, match="public_url"):
        FileShare(ManualClock(START), timedelta(hours=1)).share("a.png", b"", "image/png")
    share = FileShare(ManualClock(START), timedelta(hours=1), "https://x.example/f")
    first = _token(share.share("first.png", b"1", "image/png")[0])
    for _ in range(MAX_FILES):
        share.share("n.png", b"", "image/png")
    assert share.lookup(first) is None
