"""Guessing invite codes: a few wrong tries are answered, then the person is slowed down; a
wrong code never opens a write transaction (issue #8, item 16)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from typing import Any

import pytest

from bot.domain.invites import FREE_ATTEMPTS
from bot.sandbox.local import LocalBot, ManualClock
from bot.texts import t
from tests.e2e.test_onboarding import _invite, _user_count

pytestmark = pytest.mark.telegram_only  # counts write transactions around Telegram's /start CODE

GUESSER = 2001
WRONG = ["ACDEF-GHJK" + ch for ch in "ACDEFGHJKMNP"]


def count_writes(bot: LocalBot) -> list[int]:
    """Counts write transactions opened on the bot's database from now on, but for PTB's
    persistence flushes (conversation state of every chat, stranger or not: not the subject)."""
    opened = [0]
    original: Callable[[], AbstractAsyncContextManager[Any]] = bot.db.write

    def write() -> AbstractAsyncContextManager[Any]:
        if sys._getframe(1).f_globals.get("__name__") != "bot.store.persistence":
            opened[0] += 1
        return original()

    bot.db.write = write  # type: ignore[method-assign]
    return opened


async def test_wrong_codes_open_no_write_transaction_and_then_slow_the_guesser_down(
    local_bot: LocalBot, small_ward: dict[str, int], clock: ManualClock,
) -> None:
    code = await _invite(local_bot.db, clock)
    local_bot.add_user(GUESSER, "Đoán")
    writes = count_writes(local_bot)
    for guess in WRONG[:FREE_ATTEMPTS]:
        replies = await local_bot.say(GUESSER, f"/start {guess}")
        assert [m.text for m in replies] == [t("invite.error.invite_unknown", "vi", code=guess)]
    assert writes[0] == 0
    # Slowed down: even the right code is not looked at until the pause is over.
    replies = await local_bot.say(GUESSER, f"/start {code}")
    assert [m.text for m in replies] == [t("invite.error.too_many_attempts", "vi", minutes=1)]
    assert await _user_count(local_bot.db) == 0
    clock.now += timedelta(minutes=1)
    replies = await local_bot.say(GUESSER, WRONG[-1])  # pasted without /start, still wrong
    assert [m.text for m in replies] == [t("invite.error.invite_unknown", "vi", code=WRONG[-1])]
    replies = await local_bot.say(GUESSER, f"/start {code}")  # the pause doubled
    assert [m.text for m in replies] == [t("invite.error.too_many_attempts", "vi", minutes=2)]
    assert writes[0] == 0  # wrong codes and refused tries wrote nothing, not even a BEGIN
    clock.now += timedelta(minutes=2)
    replies = await local_bot.say(GUESSER, f"/start {code}")
    assert replies[0].text == t("greet.secretary", "vi", name="Đoán", cell="Chi bộ tổ 16")


async def test_another_person_is_not_slowed_down_by_a_guesser(
    local_bot: LocalBot, small_ward: dict[str, int], clock: ManualClock,
) -> None:
    code = await _invite(local_bot.db, clock)
    local_bot.add_user(GUESSER, "Đoán")
    local_bot.add_user(GUESSER + 1, "Hùng")
    for guess in WRONG[:FREE_ATTEMPTS + 2]:
        await local_bot.say(GUESSER, f"/start {guess}")
    replies = await local_bot.say(GUESSER + 1, f"/start {code}")
    assert replies[0].text == t("greet.secretary", "vi", name="Hùng", cell="Chi bộ tổ 16")


