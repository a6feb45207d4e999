"""Who handles Telegram's 429 (RetryAfter): the reminder sender for its pushes, PTB for the rest.

PTB's AIORateLimiter retries a 429 itself, sleeping `retry_after` inside the call. That is right
for a reply to someone waiting in a chat, and wrong for the reminder sender: it holds a lease on
a batch, must not sleep inside it, and knows better what to do (postpone the row without counting
an attempt, pause the channel, give the batch back). So calls made with
`rate_limit_args=SENDER_HANDLES_429` get the RetryAfter straight back, after one try; every
other call keeps AIORateLimiter's retries. (AIORateLimiter reads `rate_limit_args or max_retries`,
so asking it for 0 retries is not possible: 0 means "the default".)
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Bot
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, ExtBot

SENDER_HANDLES_429 = -1  # the rate_limit_args marker; only ever given to a ChiboRateLimiter


class _HandBack(Exception):
    """Carries a RetryAfter past AIORateLimiter's retry loop."""

    def __init__(self, error: RetryAfter) -> None:
        super().__init__(str(error))
        self.error = error


class ChiboRateLimiter(AIORateLimiter):
    """AIORateLimiter, except that calls marked SENDER_HANDLES_429 are tried once."""

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any, kwargs: dict[str, Any],
        endpoint: str, data: dict[str, Any], rate_limit_args: int | None,
    ) -> Any:
        if rate_limit_args != SENDER_HANDLES_429:
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)

        async def once(*a: Any, **kw: Any) -> Any:
            try:
                return await callback(*a, **kw)
            except RetryAfter as exc:
                raise _HandBack(exc) from None

        try:  # still through the limiter: its overall rate and its pause after someone else's 429
            return await super().process_request(once, args, kwargs, endpoint, data, None)
        except _HandBack as wrapped:
            raise wrapped.error from None


def own_429_handling(bot: Bot) -> dict[str, Any]:
    """The keyword arguments that make `bot` hand a 429 back to the caller: none for a bot
    without our rate limiter (a plain Bot raises RetryAfter anyway)."""
    limiter = bot.rate_limiter if isinstance(bot, ExtBot) else None
    while limiter is not None and not isinstance(limiter, ChiboRateLimiter):
        limiter = getattr(limiter, "inner", None)  # a wrapper passing requests on (DurableReplies)
    return {"rate_limit_args": SENDER_HANDLES_429} if limiter is not None else {}
