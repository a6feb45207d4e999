"""End-to-end fixtures: the real Application over HTTP against the local emulators.

`local_bot` and `demo_bot` run every test that uses them twice: on Telegram (the Bot API
emulator) and on Zalo (the Zalo emulator, buttons typed as numbers). A test about something only
Telegram has (button toasts, command menus, forged callback data) is marked `telegram_only` and
runs on Telegram alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.config import Settings
from bot.domain.channels import CHANNELS, TELEGRAM, ZALO
from bot.sandbox.local import LocalBot, ManualClock
from bot.sandbox.zalo_local import ZaloLocalBot
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import Cell
from bot.texts import t
from tests.conftest import load_demo_ward

# 10:00 in Hà Nội on a Saturday; tests move it when they need to.
START = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
# The demo bot's idle limit, in seconds. Tests that need a flow to expire move the clock past it
# and fire the idle timers (`expire_idle_flows`); PTB's real-time timer never fires mid-test.
IDLE = 600.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def small_ward(sqlite_db: Database) -> dict[str, int]:
    """A committee with three residential cells and no users."""
    async with sqlite_db.write() as session:
        committee_id, _ = await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ",
                                                 "Thành ủy Thái Nguyên")
        cells = [Cell(committee_id=committee_id, name=n, kind="residential")
                 for n in ("Chi bộ tổ 16", "Chi bộ tổ 3", "Chi bộ tổ 5")]
        session.add_all(cells)
        await session.flush()
        return {c.name: c.id for c in cells}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Telegram-only tests are not collected for Zalo (not skipped: there is nothing to skip)."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_zalo = callspec is not None and callspec.params.get("channel") == ZALO
        (dropped if on_zalo and item.get_closest_marker("telegram_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(params=CHANNELS)
def channel(request: pytest.FixtureRequest) -> str:
    """The channel a conversation test runs on."""
    return str(request.param)


def make_bot(channel: str, settings: Settings, db: Database, **kwargs: object) -> LocalBot:
    """The bot on `channel`, behind its emulator (a ZaloLocalBot offers LocalBot's interface)."""
    if channel == TELEGRAM:
        return LocalBot(settings, db, **kwargs)  # type: ignore[arg-type]
    return ZaloLocalBot(settings, db, **kwargs)  # type: ignore[arg-type,return-value]


@pytest.fixture
async def local_bot(sqlite_db: Database, clock: ManualClock, channel: str) -> AsyncIterator[LocalBot]:
    bot = make_bot(channel, Settings(), sqlite_db, clock=clock)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


@pytest.fixture
async def demo_bot(sqlite_db: Database, clock: ManualClock, channel: str) -> AsyncIterator[LocalBot]:
    """The demo ward (generated for START's date) behind a running bot; the demo users are
    registered already (on the test's channel): DEMO_USERS["secretary"] is the secretary of
    "Chi bộ tổ 16"."""
    from bot.demo.ward import DEMO_USERS, demo_display_name

    await load_demo_ward(sqlite_db, today=START.date(), channel=channel)
    bot = make_bot(channel, Settings(), sqlite_db, clock=clock, idle_seconds=IDLE)
    await bot.start()
    for role, user_id in DEMO_USERS.items():
        bot.add_user(user_id, demo_display_name(role))
    try:
        yield bot
    finally:
        await bot.stop()


def second_tap_refused(bot: LocalBot, later_replies: list[str | None]) -> bool:
    """The second of two quick taps on a button changed nothing and said so. Telegram answers it
    with a toast and sends nothing; on Zalo the repeated number comes either as a stale press (a
    short line) or, once the first was answered, as stray text."""
    if bot.channel == TELEGRAM:
        stale = t("error.stale_button", "vi")
        return later_replies == [] and bot.emulator.callback_answers()[-1].text == stale
    return len(later_replies) == 1 and later_replies[0] in (
        t("error.stale_button", "vi"), t("free_text_hint", "vi"))


def toast_shown(bot: LocalBot, replies: list, expected: str, *, alert: bool | None = None) -> bool:  # type: ignore[type-arg]
    """A short notice after a button press: Telegram's toast (or alert), a message on Zalo."""
    if bot.channel == TELEGRAM:
        answer = bot.emulator.callback_answers()[-1]
        return answer.text == expected and (alert is None or answer.show_alert == alert)
    return expected in [m.text for m in replies]


def edited_in_place(bot: LocalBot, replies: list) -> bool:  # type: ignore[type-arg]
    """A press that changes the message it is under: Telegram edits it and sends nothing new;
    Zalo, which cannot edit, sends the new version (read it with `bot.current`)."""
    return replies == [] if bot.channel == TELEGRAM else len(replies) >= 1


def buttons_hint(bot: LocalBot, question: object) -> str:
    """What the bot says to typed text at a question that takes only its buttons: the labels on
    Telegram, the numbers on Zalo."""
    from bot.channels.zalo_render import typed_label

    labels: list[str] = list(question.button_texts)  # type: ignore[attr-defined]
    if bot.channel == TELEGRAM:
        return t("flow.press_button", "vi", choices=", ".join(f"«{label}»" for label in labels))
    numbers = [t("flow.number_choice", "vi", number=i, label=typed_label(label))
               for i, label in enumerate(labels, 1)]
    return t("flow.type_number", "vi", choices=", ".join(numbers))
