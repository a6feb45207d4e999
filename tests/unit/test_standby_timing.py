"""The lease's durations, all cut from one setting, keep the promises bot.standby makes."""

from __future__ import annotations

import pytest

from bot.standby import Timing


@pytest.mark.parametrize("takeover", [5, 10, 30, 120, 3600])
def test_the_lease_keeps_its_promises(takeover: int) -> None:
    t = Timing(float(takeover))
    # A dead or hung leader is replaced within the configured time, start-up left some room.
    assert t.worst_death < t.worst_hang < takeover
    # A new leader waits out the old one's lease on its own clock and any poll it left open.
    assert t.grace >= t.valid_for + t.poll_cap
    # A healthy leader's beats keep both leases: the server's idle clock and its own.
    assert t.beat + t.beat_timeout < t.idle
    assert t.beat + t.beat_timeout <= t.valid_for
    # A long poll never outlives what the takeover allows.
    assert 1 <= t.poll_cap <= max(1, takeover / 5)
