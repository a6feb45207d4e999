"""getUpdates only while this process leads (bot.standby); every other call goes through as is.

Two polls on one bot token cut each other off: Telegram ends the older one with 409 Conflict (and
Zalo hands each event to one poller only). A leader whose lease ran out on its own clock — it was
hung, its connection to PostgreSQL dropped — may not know yet that a standby has taken over; PTB's
polling loop would go on asking. This layer, wrapped around a channel's getUpdates request, asks
`leading()` before each poll and, when the answer is no, sends nothing: it answers PTB "nothing
arrived" after a short pause, until the lease comes back (a late heartbeat) or the Application is
stopped. The same goes for PTB's last "confirm the offset" poll while stopping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from telegram.request import BaseRequest, RequestData

IDLE_PAUSE = 1.0  # seconds between two "nothing arrived" answers while not leading


class LeaderOnlyPolls(BaseRequest):
    """`inner`, except that getUpdates waits for `leading()`."""

    def __init__(self, inner: BaseRequest, leading: Callable[[], bool]) -> None:
        self.inner = inner
        self.leading = leading

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def post(self, url: str, request_data: RequestData | None = None,
                   *args: Any, **kwargs: Any) -> Any:
        if url.endswith("/getUpdates") and not self.leading():
            wait = request_data.parameters.get("timeout") if request_data is not None else None
            if wait:  # not PTB's timeout-0 poll while stopping: that one must not wait
                await asyncio.sleep(IDLE_PAUSE)
            return []
        return await self.inner.post(url, request_data, *args, **kwargs)

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        return await self.inner.do_request(*args, **kwargs)
