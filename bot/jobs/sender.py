"""Sends queued reminders on Telegram within its limits: about 30 messages a second overall
(we cap lower, configurable) and one a second per chat; honours 429 retry_after; retries
network errors and 5xx with backoff; marks people who blocked the bot; respects quiet hours.
"""

from __future__ import annotations

import asyncio
import logging
import time as monotonic_time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.config import Settings
from bot.domain.reminders import in_quiet_hours, next_allowed
from bot.services.delivery import (
    Delivery,
    claim,
    delivered,
    drop_muted,
    failed,
    postpone,
    rate_limited,
    undeliverable,
)
from bot.services.reminders import quiet_span
from bot.store.db import Database
from bot.texts import t
from bot.texts.reminders import render_reminders

log = logging.getLogger(__name__)
PER_CHAT_INTERVAL = 1.0  # seconds between two messages to one chat

# Who may use each command an action button leads to (committee members read, they do not report).
ACTION_ROLES: dict[str, frozenset[str]] = {
    "sinhhoat": frozenset({"secretary"}),
    "capnhat": frozenset({"secretary"}),
    "tiendo": frozenset({"secretary", "committee"}),
}

# The command a reminder's action button starts, by rule.
ACTIONS: dict[str, tuple[str, str]] = {
    "meeting_missing": ("sinhhoat", "rm.button.report_meeting"),
    "ceremony_due": ("capnhat", "rm.button.update_candidate"),
    "probation_ending": ("capnhat", "rm.button.update_candidate"),
    "review_overdue": ("capnhat", "rm.button.update_candidate"),
    "certificate_expiring": ("capnhat", "rm.button.update_candidate"),
    "dossier_stale": ("capnhat", "rm.button.update_candidate"),
    "quota_pace": ("tiendo", "rm.button.progress"),
}



@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    gave_up: int = 0
    postponed: int = 0


@dataclass
class _Pacer:
    """Spaces sends: at most `per_second` overall and one per chat per PER_CHAT_INTERVAL."""

    per_second: int
    _next_slot: float = 0.0
    _last_by_chat: dict[int, float] = field(default_factory=dict)

    async def wait(self, chat_id: int) -> None:
        now = monotonic_time.monotonic()
        start = max(now, self._next_slot,
                    self._last_by_chat.get(chat_id, -PER_CHAT_INTERVAL) + PER_CHAT_INTERVAL)
        self._next_slot = start + 1.0 / self.per_second
        self._last_by_chat[chat_id] = start
        if start > now:
            await asyncio.sleep(start - now)


def _buttons(delivery: Delivery, settings: Settings, lang: str) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    actions = dict.fromkeys(ACTIONS[r.rule] for r in delivery.rows if r.rule in ACTIONS)
    for command, label in actions:
        if delivery.recipient.role not in ACTION_ROLES[command]:
            continue  # e.g. a committee member told of a late ceremony cannot run /capnhat
        rows.append([InlineKeyboardButton(t(label, lang), callback_data=f"go:{command}")])
    rows.append([InlineKeyboardButton(t("rm.button.snooze", lang, days=settings.reminders.snooze_days),
                                      callback_data=f"rm:snz:{delivery.rows[0].id}")])
    rows.append([InlineKeyboardButton(t("rm.button.settings", lang), callback_data="rm:set")])
    return InlineKeyboardMarkup(rows)


def _quiet(delivery: Delivery, settings: Settings, local: datetime) -> tuple[time, time] | None:
    """The recipient's quiet span when `local` falls inside it (quiet hours may have changed
    since the reminder was queued)."""
    start, end = quiet_span(delivery.recipient, settings)
    return (start, end) if in_quiet_hours(local.time(), start, end) else None


class Sender:
    """Drains the outbox. One instance per process; `drain` is what the repeating job calls."""

    def __init__(self, db: Database, settings: Settings, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.pacer = _Pacer(settings.reminders.max_per_second)
        self._lock = asyncio.Lock()  # one drain at a time, even if the job fires again meanwhile

    async def drain(self, bot: Bot, *, batch: int = 200) -> SendReport:
        report = SendReport()
        async with self._lock:
            while True:
                deliveries = await claim(self.db, self.clock(), batch)
                if not deliveries:
                    return report
                stop = await self._send_batch(bot, deliveries, report)
                if stop:
                    return report

    async def _send_batch(self, bot: Bot, deliveries: list[Delivery], report: SendReport) -> bool:
        """Sends one claimed batch; True when the sender must pause (Telegram said wait)."""
        lang = self.settings.general.language
        deliveries = interleave_by_chat(deliveries)
        for index, delivery in enumerate(deliveries):
            now = self.clock()
            local = now.astimezone(self.settings.tz)
            quiet = _quiet(delivery, self.settings, local)
            if quiet is not None:
                until = next_allowed(local, *quiet).astimezone(now.tzinfo)
                await postpone(self.db, [delivery], until)
                report.postponed += 1
                continue
            kept = await drop_muted(self.db, delivery, now)
            if kept is None:
                continue
            chat_id = kept.recipient.chat_id
            if chat_id is None or not kept.recipient.active:
                await undeliverable(self.db, kept, now, "no private chat", blocked=False)
                report.gave_up += 1
                continue
            text = render_reminders([(r.rule, r.payload) for r in kept.rows], lang)
            await self.pacer.wait(chat_id)
            try:
                markup = _buttons(kept, self.settings, lang)
                message = await bot.send_message(chat_id, text, reply_markup=markup)
            except RetryAfter as exc:
                wait = _seconds(exc.retry_after)
                log.warning("Telegram asked to wait %.0f s", wait)
                await rate_limited(self.db, kept, self.clock() + timedelta(seconds=wait))
                await postpone(self.db, deliveries[index + 1:])
                report.retried += 1
                await asyncio.sleep(wait)
                return True
            except Forbidden as exc:
                await undeliverable(self.db, kept, self.clock(), str(exc), blocked=True)
                report.gave_up += 1
            except BadRequest as exc:
                await undeliverable(self.db, kept, self.clock(), str(exc), blocked=False)
                report.gave_up += 1
            except (TimedOut, NetworkError) as exc:  # 5xx arrive as NetworkError
                gave_up = await failed(self.db, kept, self.clock(), str(exc), self.settings)
                report.gave_up += gave_up
                report.retried += not gave_up
            else:
                await delivered(self.db, kept, self.clock(), message.message_id)
                report.sent += 1
        return False


def interleave_by_chat(deliveries: list[Delivery]) -> list[Delivery]:
    """Each chat's first message, then each chat's second…: a chat waiting out its one-second
    spacing does not hold up everyone queued behind it."""
    rounds: dict[int, int] = {}
    keyed = []
    for index, d in enumerate(deliveries):
        chat = d.recipient.user_id
        rounds[chat] = rounds.get(chat, -1) + 1
        keyed.append((rounds[chat], index, d))
    return [d for _, _, d in sorted(keyed, key=lambda k: (k[0], k[1]))]


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
