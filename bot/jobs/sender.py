"""Sends queued reminders, each on its recipient's channel, within that channel's limits.

One lane per channel that has a bot in this process (Telegram, Zalo), running side by side: each
claims only its own people's rows, paces them fairly (jobs/pacing.py), renews its lease while it
works, and stops on its own when the platform says wait (429), so a pause on one channel does not
hold up the other. Every message is its own fate: whatever one raises (a network error, a text
that cannot be rendered, a chat that migrated) is counted against that message, retried with
backoff, given up after `max_attempts` and logged as an error; the rest go out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time as monotonic_time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.config import Settings
from bot.domain.reminders import in_quiet_hours, next_allowed
from bot.jobs.pacing import FairQueue, Limits, channel_limits
from bot.jobs.ratelimit import own_429_handling
from bot.services.delivery import (
    LEASE,
    Delivery,
    claim,
    delivered,
    drop_muted,
    failed,
    keep,
    postpone,
    rate_limited,
    undeliverable,
)
from bot.services.reminders import quiet_span
from bot.store.db import Database
from bot.texts import t
from bot.texts.reminders import render_reminders

log = logging.getLogger(__name__)
RECLAIM_SECONDS = 5.0  # while a lane is busy, how often it looks for rows that became due

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

    def __init__(self, db: Database, settings: Settings, clock: Callable[[], datetime], *,
                 lease: timedelta = LEASE, may_send: Callable[[], bool] = lambda: True) -> None:
        """`may_send`: asked before each claim and each message; False stops the drain, giving
        back what it holds (a leader whose lease lapsed: bot.standby)."""
        self.db = db
        self.may_send = may_send
        self.settings = settings
        self.clock = clock
        self.lease = lease
        # Per channel, kept across drains: the per-chat spacing and a 429 pause outlive one drain.
        self._queues: dict[str, FairQueue[Delivery]] = {}
        self._paused_until: dict[str, datetime] = {}
        self._lock = asyncio.Lock()  # one drain at a time, even if the job fires again meanwhile

    async def drain(self, bots: Mapping[str, Bot], *, batch: int = 200) -> SendReport:
        """Send what is due to people on the channels in `bots` (channel → bot); rows of people
        on other channels stay unclaimed for a process that has their bot."""
        report = SendReport()
        async with self._lock:
            lanes = []
            for channel, bot in bots.items():
                limits = channel_limits(channel, self.settings)
                if limits is None:
                    log.warning("no sending limits known for channel %r: not sending on it", channel)
                    continue
                queue = self._queues.setdefault(channel, FairQueue(limits))
                lanes.append(_Lane(self, channel, bot, queue, batch, report).run())
            # Side by side, and one channel's failure (its API down) does not stop the other.
            results = await asyncio.gather(*lanes, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return report

    def paused(self, channel: str) -> datetime | None:
        """Until when `channel` asked us to wait, if it still does."""
        until = self._paused_until.get(channel)
        return until if until is not None and self.clock() < until else None

    def pause(self, channel: str, until: datetime) -> None:
        self._paused_until[channel] = until


def per_recipient(limits: Limits, lease: timedelta) -> int:
    """How many messages one person may be claimed at once: what their spacing lets go out in
    half the lease (the lease is renewed anyway; this keeps one person from filling batches)."""
    return max(1, int(lease.total_seconds() / 2 / max(limits.per_chat, 0.001)))


class _Lane:
    """One drain of one channel: claim, pace, send, record; give back whatever is left."""

    def __init__(self, sender: Sender, channel: str, bot: Bot, queue: FairQueue[Delivery], batch: int,
                 report: SendReport) -> None:
        self.s, self.channel, self.bot, self.queue = sender, channel, bot, queue
        self.batch, self.report = batch, report
        self.held_until: datetime | None = None  # the lease every queued delivery is held under
        self.exhausted = False  # the last claim found less than it asked for
        self.sent_since_claim = False  # then a person we held may have more rows waiting
        self.last_claim = float("-inf")

    async def run(self) -> None:
        if self.s.paused(self.channel) or not self.s.may_send():
            return
        try:
            while True:
                if not self.s.may_send():
                    log.warning("%s sender stops: this process does not hold the leader's lease now",
                                self.channel)
                    return
                if self._may_claim():  # also while one chat's spacing holds us: others may be due
                    await self._claim()
                wait = self.queue.wait()
                if wait is None:
                    if self.exhausted and not self.sent_since_claim:
                        return
                    await self._claim()  # people whose rows we held were left out of the last claim
                    continue
                await self._renew_if_due()
                if not len(self.queue):
                    continue
                chat, delivery = await self.queue.take()
                if not self.s.may_send():  # the lease lapsed while the chat's spacing held us
                    self.queue.add(chat, delivery)
                    continue
                try:
                    stop = await self._send(delivery)
                finally:
                    self.queue.done(chat)
                    self.sent_since_claim = True
                if stop:
                    return
        finally:
            await self._give_back()

    def _may_claim(self) -> bool:
        room = self.batch - len(self.queue)
        if room < max(1, self.batch // 2):
            return False
        return not self.exhausted or monotonic_time.monotonic() - self.last_claim >= RECLAIM_SECONDS

    async def _claim(self) -> None:
        s = self.s
        room = self.batch - len(self.queue)
        got = await claim(s.db, s.clock(), room, channels=[self.channel],
                          per_recipient=per_recipient(self.queue.limits, s.lease), lease=s.lease)
        self.last_claim = monotonic_time.monotonic()
        self.exhausted = len(got.deliveries) < room
        self.sent_since_claim = False
        if self.held_until is not None and len(self.queue) and got.held_until != self.held_until:
            await self._keep(got.held_until)  # one lease for everything this lane holds
        self.held_until = got.held_until
        for delivery in got.deliveries:
            admitted = await self._admit(delivery)
            if admitted is not None:
                self.queue.add(admitted.recipient.user_id, admitted)

    async def _admit(self, delivery: Delivery) -> Delivery | None:
        """The delivery if it is to be sent now; quiet hours, mutes and missing chats are settled here."""
        s, now = self.s, self.s.clock()
        local = now.astimezone(s.settings.tz)
        quiet = _quiet(delivery, s.settings, local)
        if quiet is not None:
            await postpone(s.db, [delivery], next_allowed(local, *quiet).astimezone(now.tzinfo))
            self.report.postponed += 1
            return None
        kept = await drop_muted(s.db, delivery, now)
        if kept is None:
            return None
        if kept.recipient.chat_id is None or not kept.recipient.active:
            await undeliverable(s.db, kept, now, "no private chat", blocked=False)
            self.report.gave_up += 1
            return None
        return kept

    async def _renew_if_due(self) -> None:
        """Renew the lease halfway through it, before the next send."""
        if self.held_until is not None and self.s.clock() >= self.held_until - self.s.lease / 2:
            await self._keep(self.s.clock() + self.s.lease)

    async def _keep(self, until: datetime) -> None:
        assert self.held_until is not None
        kept = await keep(self.s.db, list(self.queue), self.held_until, until)
        self.held_until = until
        lost = self.queue.remove(lambda d: all(i in kept for i in d.ids))
        if lost:  # our lease ran out and another sender took them: theirs to send now
            log.warning("lease lost on %d %s reminder(s) before sending", len(lost), self.channel)

    async def _send(self, delivery: Delivery) -> bool:
        """Sends one message and records its fate; True when the channel said wait."""
        s, report = self.s, self.report
        lang = s.settings.general.language
        try:
            text = render_reminders([(r.rule, r.payload) for r in delivery.rows], lang)
            markup = _buttons(delivery, s.settings, lang)
            message = await self.bot.send_message(delivery.recipient.chat_id, text, reply_markup=markup,
                                                  **own_429_handling(self.bot))
        except RetryAfter as exc:  # not the message's fault: no attempt counted
            until = s.clock() + timedelta(seconds=_seconds(exc.retry_after))
            log.warning("%s asked to wait until %s", self.channel, until.isoformat())
            await rate_limited(s.db, delivery, until)
            s.pause(self.channel, until)
            report.retried += 1
            return True
        except Forbidden as exc:  # they blocked the bot
            await undeliverable(s.db, delivery, s.clock(), str(exc), blocked=True)
            report.gave_up += 1
        except BadRequest as exc:  # the message can never be sent as it is (chat not found, …)
            await undeliverable(s.db, delivery, s.clock(), str(exc), blocked=False)
            report.gave_up += 1
        except NetworkError as exc:  # 5xx and timeouts (TimedOut is a NetworkError): try again
            await self._failed(delivery, exc)
        except Exception as exc:  # anything else is this message's failure only, never the batch's
            log.warning("reminder rows %s failed: %r", delivery.ids, exc, exc_info=exc)
            await self._failed(delivery, exc)
        else:
            await delivered(s.db, delivery, s.clock(), message.message_id)
            report.sent += 1
        return False

    async def _failed(self, delivery: Delivery, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"
        if await failed(self.s.db, delivery, self.s.clock(), error, self.s.settings):
            # Ids and the error only: the text holds names (personal data).
            log.error("reminder rows %s to user %s gave up after %d attempts: %s", delivery.ids,
                      delivery.recipient.user_id, delivery.attempts + 1, error[:300])
            self.report.gave_up += 1
        else:
            self.report.retried += 1

    async def _give_back(self) -> None:
        """Whatever is still queued goes back (the channel paused, or the drain is ending)."""
        left = self.queue.clear()
        if not left:
            return
        until = self.s.paused(self.channel)
        with contextlib.suppress(Exception):  # the database may be what failed: the lease expires then
            # Only rows still held under our lease: another sender may have taken the rest.
            await asyncio.shield(postpone(self.s.db, left, until, held_until=self.held_until))


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
