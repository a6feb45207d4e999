"""The runtime every channel, job and the sandbox is handed: settings, the database, the clock.

Built once at the edge (`chibo run`, `chibo try`, the test harness) and shared by every channel's
Application, so a person is reached on their own channel and tests can move one clock for all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.domain.attempts import AttemptGuard
from bot.domain.invites import FREE_ATTEMPTS
from bot.fileshare import FileShare
from bot.store.db import Database


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _always() -> bool:
    return True


@dataclass
class Runtime:
    """What a running bot is made of, besides its channels' Applications."""

    settings: Settings
    db: Database
    clock: Callable[[], datetime] = field(default=_utcnow)  # aware UTC; tests move it
    idle_seconds_override: float | None = None  # tests shorten the idle expiry to seconds
    # Each running channel's bot ("telegram", "zalo"), to reach a person on their own channel.
    bots: dict[str, Any] = field(default_factory=dict)
    # Who sent wrong invite codes lately (per process: a brake on guessing, not a record).
    invite_attempts: AttemptGuard = field(default_factory=lambda: AttemptGuard(free=FREE_ATTEMPTS))
    # May this process poll and send right now? `chibo run` on PostgreSQL: only while it holds
    # the leader's lease (bot.standby); asked before every getUpdates and every reminder.
    leading: Callable[[], bool] = field(default=_always)
    # The longest getUpdates wait while a standby may take over (bot.standby.Timing.poll_cap).
    poll_cap: int | None = None
    # Files served at expiring links (Zalo takes pictures and files only by URL); per process.
    file_share: FileShare = field(init=False)

    def __post_init__(self) -> None:
        f = self.settings.files
        self.file_share = FileShare(lambda: self.clock(), timedelta(hours=f.link_hours), f.public_url)

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
