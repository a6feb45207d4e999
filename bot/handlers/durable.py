"""Replies go out only once the state they show is durable.

A reply tells the user where the conversation is ("Bước 2/6 …"). PTB writes conversation states
and user_data to the persistence on a timer (every second), after the reply has long been sent:
a process killed in between came back at an older step, or with no flow at all. So, while an
update is handled (a `Turn`, set up by ChiboApplication.process_update), every request that shows
the user something — a message sent, a message edited — is held: the handler gets a stand-in
answer at once (none of ours uses what these calls return) and the real requests go out, in
their order, after the application has written the state the update left behind
(`ChiboApplication.persist_now`). Answering a button press (the spinner, an alert) shows no state
and goes straight through.

Why hold edits too rather than write the state before each one: halfway through a handler the
user's data may already say "flow finished" while the conversation state still says "step 6"
(PTB moves it only when the handler returns); written at that moment, a kill would leave that
mixture behind. Only the state at the end of an update is whole.

It sits where every Bot API request passes: a wrapper around the rate limiter, which still paces
what goes out. A held request that fails is logged; there is no handler left to tell — as with
any failure to reach Telegram — and an edit that changes nothing ("not modified") is no failure.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

SENDS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
EDITS = frozenset({"editMessageText", "editMessageReplyMarkup", "editMessageCaption"})

_Result = bool | dict[str, Any] | list[dict[str, Any]]


@dataclass
class Turn:
    """One update being handled, and the requests held until its state is written."""

    held: list[Callable[[], Awaitable[_Result]]] = field(default_factory=list)
    # Work scheduled during the update (a conversation's idle timeout, via the job queue) runs
    # later in a copy of this context: once released, the turn holds nothing any more.
    open: bool = True

    async def release(self) -> None:
        """Sends what was held, in order; one failing request does not stop the next."""
        self.open = False
        held, self.held = self.held, []
        for send in held:
            try:
                await send()
            except Forbidden:  # the user blocked the bot: nobody to tell
                log.info("a reply was refused: the user blocked the bot")
            except BadRequest as exc:
                if "not modified" not in str(exc).lower():  # a tap that changed nothing is fine
                    log.warning("a reply was refused: %s", exc)
            except Exception as exc:  # logged; the other replies still go out
                log.warning("a reply could not be sent: %s", type(exc).__name__)


_turn: ContextVar[Turn | None] = ContextVar("chibo_turn", default=None)


def begin_turn() -> tuple[Turn, object]:
    """Starts holding this task's messages and edits; pass the token to `end_turn`."""
    turn = Turn()
    return turn, _turn.set(turn)


def end_turn(token: object) -> None:
    _turn.reset(token)  # type: ignore[arg-type]


def _stand_in(endpoint: str, data: dict[str, Any]) -> _Result:
    """What Telegram would answer, enough for PTB to build the value the call returns: the
    Message for a send, True for an edit (what Telegram answers for inline messages)."""
    if endpoint in EDITS:
        return True
    chat_id = data.get("chat_id")
    return {"message_id": 0, "date": int(time.time()),
            "chat": {"id": chat_id if isinstance(chat_id, int) else 0, "type": "private"},
            "text": str(data.get("text") or "")}


class DurableReplies(BaseRateLimiter[Any]):
    """Wraps the channel's real rate limiter, which still paces every request that goes out
    (None where the channel has none: Zalo's pushes are paced by the sender)."""

    def __init__(self, inner: BaseRateLimiter[Any] | None) -> None:
        self.inner = inner

    async def initialize(self) -> None:
        if self.inner is not None:
            await self.inner.initialize()

    async def shutdown(self) -> None:
        if self.inner is not None:
            await self.inner.shutdown()

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, _Result]], args: Any, kwargs: dict[str, Any],
        endpoint: str, data: dict[str, Any], rate_limit_args: Any,
    ) -> _Result:
        def send() -> Coroutine[Any, Any, _Result]:
            if self.inner is None:
                return callback(*args, **kwargs)
            return self.inner.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)

        turn = _turn.get()
        if turn is not None and turn.open and (endpoint in SENDS or endpoint in EDITS):
            turn.held.append(send)
            return _stand_in(endpoint, data)
        return await send()
