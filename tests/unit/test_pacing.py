"""Fair pacing of one channel (bot.jobs.pacing), on a fake monotonic clock."""

from __future__ import annotations

from bot.config import Settings
from bot.jobs.pacing import FairQueue, Limits, channel_limits


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_chats_take_turns_and_a_chats_gap_counts_from_when_its_send_finished() -> None:
    clock = FakeTime()
    queue: FairQueue[str] = FairQueue(Limits(per_second=1000, per_chat=1.0), clock)
    for item in ("a1", "a2", "a3"):
        queue.add("a", item)
    queue.add("b", "b1")
    assert (await queue.take()) == ("a", "a1")
    clock.now += 0.4  # a1 took 0.4 s to send
    queue.done("a")
    assert (await queue.take()) == ("b", "b1")  # a waits out its second; b goes ahead
    queue.done("b")
    assert queue.wait() == 1.0  # from when a1 *finished*, not from when it started
    clock.now += 1.0
    assert (await queue.take()) == ("a", "a2")
    assert len(queue) == 1 and list(queue) == ["a3"]


async def test_remove_and_clear_give_back_what_was_queued() -> None:
    queue: FairQueue[int] = FairQueue(Limits(10, 1.0), FakeTime())
    for n in range(4):
        queue.add(n % 2, n)
    assert queue.remove(lambda n: n != 2) == [2]
    assert sorted(queue) == [0, 1, 3]
    assert sorted(queue.clear()) == [0, 1, 3] and queue.wait() is None


async def test_the_memory_of_past_chats_is_pruned() -> None:
    clock = FakeTime()
    queue: FairQueue[int] = FairQueue(Limits(10_000, 1.0), clock)
    for chat in range(1200):
        queue.add(chat, chat)
        await queue.take()
        queue.done(chat)
        clock.now += 0.01
    assert len(queue._finished) < 1200  # only the chats still within their second are kept


def test_limits_per_channel() -> None:
    settings = Settings()
    assert channel_limits("telegram", settings) == Limits(settings.reminders.max_per_second, 1.0)
    assert channel_limits("zalo", settings) == Limits(settings.zalo.max_per_second,
                                                      settings.zalo.per_chat_interval_ms / 1000)
    assert channel_limits("sms", settings) is None
