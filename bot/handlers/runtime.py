"""The Application and CallbackContext every Telegram-style handler runs in.

The runtime (bot.runtime) is kept on a small Application subclass (PTB's Application uses
__slots__) and reached through a custom CallbackContext, so handlers write `context.runtime.db`
and tests can inject a clock.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.domain.channels import TELEGRAM
from bot.handlers.durable import begin_turn, end_turn
from bot.runtime import Runtime

log = logging.getLogger(__name__)


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
