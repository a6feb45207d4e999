"""What every handler and job needs at hand: settings, the database, the clock, the language.

Kept on a small Application subclass (PTB's Application uses __slots__) and reached through a
custom CallbackContext, so handlers write `context.runtime.db` and tests can inject a clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.domain.channels import TELEGRAM
from bot.store.db import Database


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
        self.in_flight += 1
        try:
            await super().process_update(update)
        finally:
            self.in_flight -= 1

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
