"""What every handler and job needs at hand: settings, the database, the clock, the language.

Kept on a small Application subclass (PTB's Application uses __slots__) and reached through a
custom CallbackContext, so handlers write `context.runtime.db` and tests can inject a clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.domain.attempts import AttemptGuard
from bot.domain.channels import TELEGRAM
from bot.domain.invites import FREE_ATTEMPTS
from bot.handlers.durable import begin_turn, end_turn
from bot.store.db import Database

log = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Callable[[], datetime] = field(default=_utcnow)  # aware UTC; tests move it
    idle_seconds_override: float | None = None  # tests shorten the idle expiry to seconds
    # Each running channel's bot ("telegram", "zalo"), to reach a person on their own channel.
    bots: dict[str, Any] = field(default_factory=dict)
    # Who sent wrong invite codes lately (per process: a brake on guessing, not a record).
    invite_attempts: AttemptGuard = field(default_factory=lambda: AttemptGuard(free=FREE_ATTEMPTS))

    @property
    def idle_seconds(self) -> float:
        """How long a conversation may wait for an answer before it ends."""
        if self.idle_seconds_override is not None:
            return self.idle_seconds_override
        return self.settings.conversation.idle_minutes * 60.0

    @property
    def lang(self) -> str:
        return self.settings.general.language

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today's date where the ward is (rules reason in local time, storage is UTC)."""
        return self.clock().astimezone(self.settings.tz).date()


class ChiboApplication(Application):  # type: ignore[type-arg]
    """One channel's Application; `channel` says which ("telegram", "zalo"): users are keyed by it."""

    __slots__ = ("channel", "in_flight", "runtime")

    def __init__(self, *, runtime: Runtime, channel: str = TELEGRAM, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime
        self.channel = channel
        self.in_flight = 0  # updates being handled right now (tests wait for 0)

    async def process_update(self, update: object) -> None:
        """Handles the update, writes the state it leaves behind, and only then sends the
        messages its handlers sent (see bot.handlers.durable: a reply shows a durable state)."""
        self.in_flight += 1
        turn, token = begin_turn()
        try:
            await super().process_update(update)
            await self.persist_now()  # PTB marked the update's user and chat data as used
        finally:
            end_turn(token)
            try:
                await turn.release()
            finally:
                self.in_flight -= 1

    async def persist_now(self) -> None:
        """Writes the user and chat data this update used and every changed conversation state
        now, in one transaction, instead of at PTB's next timed flush. A failure is logged (by
        kind only: the values are people's drafts), not raised: the replies still go out, as they
        did before this existed, and the timed flush tries again."""
        if self.persistence is None:
            return
        batched = getattr(self.persistence, "batched", None)
        try:
            if batched is None:
                await self.update_persistence()
            else:
                async with batched():
                    await self.update_persistence()
        except Exception as exc:
            log.error("could not persist the conversation state now: %s", type(exc).__name__)

    @property
    def busy(self) -> bool:
        """An update is queued or being handled."""
        return self.in_flight > 0 or not self.update_queue.empty()


class ChiboContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def runtime(self) -> Runtime:
        return self.application.runtime  # type: ignore[attr-defined,no-any-return]

    @property
    def channel(self) -> str:
        """The channel this update came on: who a user is depends on it."""
        return self.application.channel  # type: ignore[attr-defined,no-any-return]
