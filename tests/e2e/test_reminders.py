"""Reminders end to end: sweeps on the demo ward push through the real bot and the emulator,
once each, within Telegram's limits, surviving a restart, 429s and 5xx errors."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from sqlalchemy import func, select

from bot.config import ReminderSettings, Settings
from bot.demo.ward import DEMO_USERS, demo_display_name
from bot.domain.channels import TELEGRAM, ZALO, chat_id_of, sample_external_id
from bot.jobs.sender import Sender
from bot.sandbox.local import LocalBot, ManualClock
from bot.services.reminders import run_due_sweeps, scheduled_moment
from bot.store.db import Database
from bot.store.models import Outbox, User
from bot.texts import t
from tests.conftest import load_demo_ward

SETTINGS = Settings()
SWEEP_DAY = date(2026, 12, 1)  # a quota day in the quarter's last month: plenty to say


async def _everyone_in_the_emulator(bot: LocalBot) -> dict[int, int | str]:
    """Every active demo user gets a private chat; returns user id → chat id (on the bot's channel)."""
    async with bot.db.read() as session:
        query = select(User.id, User.channel, User.chat_id, User.display_name).where(User.active)
        rows = [(uid, chat_id_of(channel, chat), name)
                for uid, channel, chat, name in (await session.execute(query)).all()]
    for _, chat_id, name in rows:
        if bot.channel == TELEGRAM and chat_id not in bot.emulator.users:
            bot.add_user(chat_id, name)  # type: ignore[arg-type]
        elif bot.channel == ZALO and chat_id not in bot.zalo.users:  # type: ignore[attr-defined]
            bot.zalo.add_user(chat_id, name)  # type: ignore[attr-defined]
    return {user_id: chat_id for user_id, chat_id, _ in rows}  # type: ignore[misc]


def _chat(bot: LocalBot, number: int) -> int | str:
    """The chat id of demo user `number` on the bot's channel."""
    return chat_id_of(bot.channel, sample_external_id(bot.channel, number))  # type: ignore[return-value]


def _texts_by_chat(bot: LocalBot) -> list[tuple[int | str, str]]:
    """(chat, text) of every message the bot sent, on either emulator."""
    if bot.channel == ZALO:
        return [(m.chat_id, m.text) for m in bot.zalo.sent]  # type: ignore[attr-defined]
    return [(m.chat_id, m.text or "") for chat in bot.emulator.users for m in bot.emulator.messages(chat)]


def _last_text(bot: LocalBot, number: int) -> str:
    chat = _chat(bot, number)
    return [text for c, text in _texts_by_chat(bot) if c == chat][-1]


def _send_calls(bot: LocalBot) -> list[tuple[int | str, float, int | None]]:
    """(chat, time, status) of every sendMessage call: 200 for a success, else the error code."""
    if bot.channel == ZALO:
        return [(c.params.get("chat_id"), c.time, 200 if c.ok else c.error_code)
                for c in bot.zalo.calls_of("sendMessage")]  # type: ignore[attr-defined]
    return [(int(c.params["chat_id"]), c.time, c.status) for c in bot.emulator.calls("sendMessage")]


async def _sweep_and_expect(bot: LocalBot) -> dict[int | str, int]:
    """Runs the 08:00 sweep of SWEEP_DAY; returns chat id → reminders queued for that chat."""
    chats = await _everyone_in_the_emulator(bot)
    bot.clock.now = scheduled_moment(SWEEP_DAY, SETTINGS)  # type: ignore[attr-defined]
    results = await run_due_sweeps(bot.db, SETTINGS, bot.clock())
    planned = [p for r in results for p in r.planned if not p.skipped]
    assert planned
    return dict(Counter(chats[p.reminder.recipient] for p in planned))


def _reminder_messages(bot: LocalBot) -> Counter[int | str]:
    header = t("rm.header", "vi")
    return Counter(chat for chat, text in _texts_by_chat(bot) if text.startswith(header))


async def _unsent(bot: LocalBot) -> int:
    async with bot.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Outbox).where(
            Outbox.sent_at.is_(None), Outbox.gave_up_at.is_(None))) or 0)


async def test_a_sweep_pushes_one_grouped_message_per_person_and_a_second_pushes_nothing(
    demo_bot: LocalBot,
) -> None:
    expected = await _sweep_and_expect(demo_bot)
    sender = Sender(demo_bot.db, SETTINGS, demo_bot.clock)
    report = await sender.drain({demo_bot.channel: demo_bot.app.bot})  # type: ignore[union-attr]
    assert report.sent == len(expected) and report.gave_up == 0
    assert _reminder_messages(demo_bot) == Counter({chat: 1 for chat in expected})
    secretary = demo_bot.emulator.last_message(DEMO_USERS["secretary"])
    assert "Chi bộ tổ 16" in (secretary.text or "")
    assert secretary.text is not None
    assert secretary.text.count("\n• ") == expected[_chat(demo_bot, DEMO_USERS["secretary"])]
    assert t("rm.button.snooze", "vi", days=3) in secretary.button_texts
    assert "Chi bộ chưa đạt chỉ tiêu năm 2026" in _last_text(demo_bot, DEMO_USERS["admin"])
    # The same sweep again, and the sender again: nothing new reaches anyone.
    demo_bot.clock.now += timedelta(hours=1)  # type: ignore[attr-defined]
    assert await run_due_sweeps(demo_bot.db, SETTINGS, demo_bot.clock()) == []
    again = await sender.drain({demo_bot.channel: demo_bot.app.bot})  # type: ignore[union-attr]
    assert again.sent == 0
    assert _reminder_messages(demo_bot) == Counter({chat: 1 for chat in expected})


async def test_quiet_hours_hold_pushes_until_morning(demo_bot: LocalBot) -> None:
    await _everyone_in_the_emulator(demo_bot)
    demo_bot.clock.now = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # type: ignore[attr-defined]  # 22:00
    await run_due_sweeps(demo_bot.db, SETTINGS, demo_bot.clock())
    sender = Sender(demo_bot.db, SETTINGS, demo_bot.clock)
    assert (await sender.drain({demo_bot.channel: demo_bot.app.bot})).sent == 0  # type: ignore[union-attr]
    assert not _reminder_messages(demo_bot)
    demo_bot.clock.now = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # type: ignore[attr-defined]  # 07:00
    assert (await sender.drain({demo_bot.channel: demo_bot.app.bot})).sent > 0  # type: ignore[union-attr]
    assert await _unsent(demo_bot) == 0


async def test_a_restart_in_the_middle_of_delivery_sends_the_rest_exactly_once(demo_bot: LocalBot) -> None:
    expected = await _sweep_and_expect(demo_bot)
    assert len(expected) > 10
    sender = Sender(demo_bot.db, SETTINGS, demo_bot.clock)
    task = asyncio.create_task(sender.drain({demo_bot.channel: demo_bot.app.bot}))  # type: ignore[union-attr]
    await demo_bot.emulator.wait_until(lambda: len(_send_calls(demo_bot)) >= 5,
                                       timeout=10, what="five reminders sent")
    task.cancel()  # the process dies mid-delivery
    await asyncio.gather(task, return_exceptions=True)
    first_part = sum(_reminder_messages(demo_bot).values())
    assert 5 <= first_part < len(expected)
    await demo_bot.restart()
    demo_bot.clock.now += timedelta(minutes=3)  # type: ignore[attr-defined]  # the dead sender's lease runs out
    await Sender(demo_bot.db, SETTINGS, demo_bot.clock).drain({demo_bot.channel: demo_bot.app.bot})  # type: ignore[union-attr]
    got = _reminder_messages(demo_bot)
    assert set(got) == set(expected)
    duplicates = [chat for chat, n in got.items() if n > 1]
    assert len(duplicates) <= 1, "only the one message in flight when the process died may repeat"
    assert await _unsent(demo_bot) == 0


async def test_429_and_5xx_still_deliver_each_reminder_once_within_the_limits(demo_bot: LocalBot) -> None:
    expected = await _sweep_and_expect(demo_bot)
    emulator = demo_bot.emulator  # Telegram's and Zalo's take the same faults
    emulator.inject_fault("sendMessage", 429, retry_after=1, times=2)
    emulator.inject_fault("sendMessage", 502, times=3)
    emulator.inject_fault("sendMessage", 500, times=2)
    sender = Sender(demo_bot.db, SETTINGS, demo_bot.clock)
    for _ in range(10):  # each round: the clock moves past every backoff, the sender drains again
        await sender.drain({demo_bot.channel: demo_bot.app.bot})  # type: ignore[union-attr]
        if await _unsent(demo_bot) == 0:
            break
        demo_bot.clock.now += timedelta(minutes=10)  # type: ignore[attr-defined]
    assert await _unsent(demo_bot) == 0
    assert _reminder_messages(demo_bot) == Counter({chat: 1 for chat in expected})
    statuses = Counter(status for _, _, status in _send_calls(demo_bot))
    assert statuses[429] == 2 and statuses[502] == 3 and statuses[500] == 2
    ok = sorted(when for _, when, status in _send_calls(demo_bot) if status == 200)
    busiest = max(sum(1 for x in ok if start <= x < start + 1.0) for start in ok)
    assert busiest <= SETTINGS.reminders.max_per_second <= 30


async def test_two_messages_for_one_chat_are_a_second_apart_and_blocked_users_are_marked(
    demo_bot: LocalBot,
) -> None:
    await _everyone_in_the_emulator(demo_bot)
    # Sending was down for a week: 30/11's message and the catch-up of 01/12–07/12 (one message
    # per person for the whole catch-up) wait together, so some chats get two messages at once.
    demo_bot.clock.now = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    await run_due_sweeps(demo_bot.db, SETTINGS, demo_bot.clock())
    demo_bot.emulator.block_user(DEMO_USERS["committee"])
    demo_bot.clock.now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    caught_up = await run_due_sweeps(demo_bot.db, SETTINGS, demo_bot.clock())
    assert len(caught_up) == 7
    await Sender(demo_bot.db, SETTINGS, demo_bot.clock).drain({demo_bot.channel: demo_bot.app.bot})  # type: ignore[union-attr]
    by_chat: dict[int | str, list[float]] = {}
    for chat, when, status in _send_calls(demo_bot):
        if status == 200:
            by_chat.setdefault(chat, []).append(when)
    several = {chat: times for chat, times in by_chat.items() if len(times) > 1}
    assert several, "the scenario must put two messages in one chat"
    for times in several.values():
        assert all(b - a >= 0.95 for a, b in pairwise(times))
    async with demo_bot.db.read() as session:
        blocked = await session.scalar(select(User.unreachable_since).where(
            User.external_id == sample_external_id(demo_bot.channel, DEMO_USERS["committee"])))
    assert blocked is not None
    # The next sweep tells the admin, once.
    demo_bot.clock.now = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    await run_due_sweeps(demo_bot.db, SETTINGS, demo_bot.clock())
    await Sender(demo_bot.db, SETTINGS, demo_bot.clock).drain({demo_bot.channel: demo_bot.app.bot})  # type: ignore[union-attr]
    admin_text = _last_text(demo_bot, DEMO_USERS["admin"])
    assert "Nguyễn Minh Đức" in admin_text and "đã chặn" in admin_text


async def test_the_scheduled_jobs_catch_up_at_start_up_and_deliver(
    sqlite_db: Database, clock: ManualClock
) -> None:
    """The real JobQueue wiring: a bot started after 08:00 sweeps at once and its sender delivers."""
    await load_demo_ward(sqlite_db, today=date(2026, 11, 28))
    settings = dataclasses.replace(SETTINGS, reminders=ReminderSettings(send_interval_seconds=1))
    clock.now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 on a quota day: 08:00 was missed
    bot = LocalBot(settings, sqlite_db, clock=clock, schedule_jobs=True)
    for role, user_id in DEMO_USERS.items():
        bot.add_user(user_id, demo_display_name(role))
    await bot.start()
    try:
        header = t("rm.header", "vi")
        secretary = DEMO_USERS["secretary"]
        await bot.emulator.wait_until(
            lambda: any((m.text or "").startswith(header) for m in bot.emulator.messages(secretary)),
            timeout=20, what="the secretary's reminder")
    finally:
        await bot.stop()
    text = bot.emulator.last_message(DEMO_USERS["secretary"]).text or ""
    assert "Chi bộ tổ 16" in text
