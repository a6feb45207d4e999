"""Command menus at start-up: sent only to Telegram users whose menu changed, at a gentle pace."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from bot.config import Settings
from bot.domain.channels import TELEGRAM
from bot.domain.roles import Role
from bot.sandbox.local import LocalBot, ManualClock
from bot.services.onboarding import create_invite
from bot.store.db import Database
from bot.store.users import upsert_user

FIRST = 930_000


def _menu_chats(bot: LocalBot) -> list[int]:
    """The chats setMyCommands was called for (successfully), in order."""
    chats = []
    for call in bot.emulator.calls("setMyCommands"):
        scope: Any = call.params.get("scope")
        scope = json.loads(scope) if isinstance(scope, str) else scope
        if call.status == 200 and scope and scope.get("type") == "chat":
            chats.append(int(scope["chat_id"]))
    return chats


async def _refreshed(bot: LocalBot) -> None:
    """Wait until the background menu refresh of the latest start finished."""
    for _ in range(600):
        if not [t for t in asyncio.all_tasks() if t.get_name() == "refresh-menus" and not t.done()]:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("menus still being refreshed")


async def _user(db: Database, n: int, role: Role, channel: str = "telegram") -> None:
    async with db.write() as session:
        await upsert_user(session, channel=channel, external_id=str(n),
                          chat_id=n if channel == "telegram" else str(n), display_name=f"Người {n}",
                          role=role, cell_id=None, cell_ids=frozenset())


async def test_menus_go_only_to_telegram_users_whose_menu_changed_and_within_the_rate_limit(
    sqlite_db: Database, clock: ManualClock,
) -> None:
    telegram = list(range(FIRST, FIRST + 12))
    for n in telegram:
        await _user(sqlite_db, n, Role.COMMITTEE)
    for n in (FIRST + 100, FIRST + 101):  # Zalo has no command menus
        await _user(sqlite_db, n, Role.COMMITTEE, channel="zalo")
    bot = LocalBot(Settings(), sqlite_db, clock=clock)
    for n in [*telegram, FIRST + 100, FIRST + 101]:
        bot.add_user(n, f"Người {n}")
    await bot.start()
    try:
        await _refreshed(bot)
        assert sorted(_menu_chats(bot)) == telegram  # once each, nobody on Zalo
        times = [c.time for c in bot.emulator.calls("setMyCommands") if c.status == 200][1:]  # after /start's
        # At most 5 a second: any six calls span about a second. Measured where the emulator
        # receives them, so one request delayed in transit on a loaded machine may shorten one gap;
        # a burst (the defect this guards) would put six calls within a few hundredths.
        assert len(times) >= 6 and all(times[i + 5] - times[i] >= 0.8 for i in range(len(times) - 5))
        # A restart changes nobody's menu: nothing is sent.
        await bot.restart()
        await _refreshed(bot)
        assert len(_menu_chats(bot)) == len(telegram)
        # One person changes role: only their menu is sent again.
        await _user(sqlite_db, telegram[3], Role.ADMIN)
        await bot.restart()
        await _refreshed(bot)
        assert _menu_chats(bot)[len(telegram):] == [telegram[3]]
    finally:
        await bot.stop()


async def test_a_menu_set_at_registration_is_not_sent_again_at_start_up(
    local_bot: LocalBot, small_ward: dict[str, int], clock: ManualClock,
) -> None:
    created = await create_invite(local_bot.db, Settings(), role=Role.SECRETARY,
                                  cell_names_=["Chi bộ tổ 16"], now=clock(), actor_label="test")
    local_bot.add_user(FIRST, "Nguyễn Văn Hùng")
    await local_bot.say(FIRST, f"/start {created.code}")
    menus = [FIRST] if local_bot.channel == TELEGRAM else []  # Zalo has no command menus
    assert _menu_chats(local_bot) == menus
    await local_bot.restart()
    await _refreshed(local_bot)
    assert _menu_chats(local_bot) == menus
