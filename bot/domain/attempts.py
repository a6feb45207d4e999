"""Slowing down someone who keeps guessing: a few wrong tries free, then a growing pause.

Invite codes are unguessable at any rate Telegram allows, but a person (or a script behind one
account or one chat) hammering /start with codes still costs database reads and fills the logs.
After `free` wrong tries each further try waits 1 min, 2, 4 … up to an hour; a success or a day
without wrong tries forgets them. Kept in memory: a restart forgives, which is fine for a brake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

MAX_KEYS = 10_000  # beyond this many guessers, forgotten ones are dropped first


@dataclass
class AttemptGuard:
    free: int = 5
    first_pause: timedelta = timedelta(minutes=1)
    longest_pause: timedelta = timedelta(hours=1)
    forget_after: timedelta = timedelta(days=1)
    _failures: dict[str, tuple[int, datetime]] = field(default_factory=dict)

    def _pause(self, count: int) -> timedelta:
        if count < self.free:
            return timedelta(0)
        return min(self.first_pause * 2 ** (count - self.free), self.longest_pause)

    def wait(self, keys: list[str], now: datetime) -> timedelta:
        """How long any of `keys` must still wait before its next try (zero: go ahead)."""
        longest = timedelta(0)
        for key in keys:
            count, last = self._failures.get(key, (0, now))
            if now - last >= self.forget_after:
                continue
            longest = max(longest, last + self._pause(count) - now)
        return longest

    def failed(self, keys: list[str], now: datetime) -> None:
        if len(self._failures) > MAX_KEYS:
            self._failures = {k: v for k, v in self._failures.items()
                              if now - v[1] < self.forget_after}
        for key in keys:
            count, last = self._failures.get(key, (0, now))
            if now - last >= self.forget_after:
                count = 0
            self._failures[key] = (count + 1, now)

    def succeeded(self, keys: list[str]) -> None:
        for key in keys:
            self._failures.pop(key, None)
