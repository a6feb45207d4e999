"""Fair pacing of one channel's pushes: an overall rate, a minimum gap per chat, chats in turn.

Chats take turns (round robin): a chat with a long queue waits out its own spacing while every
other chat goes ahead, instead of holding up everyone queued behind it. The per-chat gap counts
from when the previous message to that chat *finished* sending, not from when it was scheduled:
a message that left late (a slow network, a busy event loop) must not let the next one follow
it too closely, and Telegram counts the gap at its end.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.config import Settings
from bot.domain.channels import TELEGRAM, ZALO

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    per_second: float  # overall pushes a second on the channel
    per_chat: float  # seconds between two pushes to one chat


def channel_limits(channel: str, settings: Settings) -> Limits | None:
    """The channel's sending limits from the settings; None for a channel we cannot pace."""
    if channel == TELEGRAM:  # Telegram: about 30/s overall (we cap lower), one a second per chat
        return Limits(settings.reminders.max_per_second, 1.0)
    if channel == ZALO:  # Zalo publishes no limits: conservative, configurable ones
        return Limits(settings.zalo.max_per_second, settings.zalo.per_chat_interval_ms / 1000)
    return None


class FairQueue(Generic[T]):
    """Items queued per chat; `take` hands out the next one its chat's and the channel's pace allow.

    One item is sent at a time (the caller reports `done` when it finished), so a crash has at
    most one message in flight per channel.
    """

    def __init__(self, limits: Limits, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._monotonic = monotonic
        self._queues: OrderedDict[Hashable, deque[T]] = OrderedDict()
        self._finished: dict[Hashable, float] = {}  # chat → when its last push finished
        self._next_slot = 0.0

    def __len__(self) -> int:
        return sum(len(q) for q in self._queues.values())

    def __iter__(self) -> Iterator[T]:
        return (item for q in self._queues.values() for item in q)

    def add(self, chat: Hashable, item: T) -> None:
        self._queues.setdefault(chat, deque()).append(item)

    def remove(self, keep: Callable[[T], bool]) -> list[T]:
        """Drop the items `keep` refuses; returns them."""
        dropped: list[T] = []
        for chat in list(self._queues):
            queue = self._queues[chat]
            dropped += [i for i in queue if not keep(i)]
            queue = deque(i for i in queue if keep(i))
            if queue:
                self._queues[chat] = queue
            else:
                del self._queues[chat]
        return dropped

    def clear(self) -> list[T]:
        items = list(self)
        self._queues.clear()
        return items

    def wait(self) -> float | None:
        """Seconds until some chat may be sent to (0: now); None when nothing is queued."""
        if not self._queues:
            return None
        now = self._monotonic()
        ready_at = min(self._finished.get(chat, -1e9) + self.limits.per_chat for chat in self._queues)
        return max(0.0, max(ready_at, self._next_slot) - now)

    async def take(self) -> tuple[Hashable, T]:
        """The next item of the first chat in turn whose spacing is over, once the overall rate
        allows; the chat goes to the back of the line."""
        while True:
            delay = self.wait()
            assert delay is not None, "take() on an empty queue"
            if delay <= 0:
                break
            await asyncio.sleep(delay)
        now = self._monotonic()
        chat = next(c for c in self._queues if self._finished.get(c, -1e9) + self.limits.per_chat <= now)
        queue = self._queues.pop(chat)
        item = queue.popleft()
        if queue:
            self._queues[chat] = queue  # back of the line
        self._next_slot = max(now, self._next_slot) + 1.0 / self.limits.per_second
        return chat, item

    def done(self, chat: Hashable) -> None:
        """The push to `chat` finished (whatever its outcome): its spacing starts now."""
        now = self._monotonic()
        self._finished[chat] = now
        # Forget chats whose spacing is long over, so the map does not grow with every chat ever.
        if len(self._finished) > 4 * len(self._queues) + 1000:
            self._finished = {c: t for c, t in self._finished.items() if t + self.limits.per_chat > now}
