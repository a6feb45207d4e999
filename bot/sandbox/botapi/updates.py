"""Updates to the bot: the queue users fill, getUpdates long polls, and webhooks (set, delete,
and delivering an update to the one the bot registered)."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx

from bot.sandbox.botapi.server import ApiHandler, BotApiServer, Method, Params
from bot.sandbox.records import ApiError, WebhookConfig

_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Telegram's default when allowed_updates is empty: everything except these.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_USE_STORED = object()  # deliver_via_webhook: send the secret the bot registered


class Updates(BotApiServer):
    """The emulator's update queue and the Bot API methods that hand it to the bot."""

    def _methods(self) -> dict[str, Method]:
        return {
            **super()._methods(),
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
        }

    def _queue(self, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **payload}
        self._updates.append(update)
        self._wake_poller("update")
        self._notify()
        return update

    def _wake_poller(self, reason: str) -> None:
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(reason)

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        allowed = set(self._allowed_updates)

        def wanted(update: dict[str, Any]) -> bool:
            kind = next(key for key in update if key != "update_id")
            return kind in allowed if allowed else kind not in _OPT_IN_UPDATES

        # Telegram does not keep updates the bot did not ask for: drop them for good.
        self._updates = [u for u in self._updates if wanted(u)]
        return self._updates[:limit]

    @property
    def idle(self) -> bool:
        """No request but getUpdates in flight and every queued update handed out (and, when
        polled, in the bot's own queue: it polled again), right now."""
        return self._busy == 0 and self._undelivered() == 0 and self._handed_over

    def _undelivered(self) -> int:
        return sum(1 for u in self._updates if u["update_id"] > self._delivered_up_to)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (via a later getUpdates offset)."""
        return list(self._updates)

    async def _get_updates(self, p: Params, handler: ApiHandler) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._handed_over = True  # PTB queues a batch before it polls again
        self._notify()
        offset = p.integer("offset") or 0
        limit = min(max(p.integer("limit") or 100, 1), 100)
        timeout = max(p.number("timeout") or 0.0, 0.0)
        allowed = p.json("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed]  # persists, as on Telegram
        if offset > 0:  # confirms every update before `offset`
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:  # keep the last -offset updates, forget the rest
            self._updates = self._updates[offset:]
        self._wake_poller("conflict")  # Telegram ends the older of two concurrent polls
        assert self._stopping is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            batch = self._deliverable(limit)
            if batch:
                self._delivered_up_to = max(self._delivered_up_to, batch[-1]["update_id"])
                self._handed_over = False
                self._touch()
                return batch
            remaining = deadline - loop.time()
            if remaining <= 0 or self._stopping.done() or handler.gone.done():
                return []
            waiter: asyncio.Future[str] = loop.create_future()
            self._poller = waiter
            try:
                await asyncio.wait(
                    {waiter, handler.gone, self._stopping},
                    timeout=remaining,
                    return_when=asyncio.FIRST_COMPLETED,
                )
            finally:
                if self._poller is waiter:
                    self._poller = None
            if waiter.done() and waiter.result() == "conflict":
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if waiter.done() and waiter.result() == "webhook":
                raise ApiError(409, "Conflict: terminated by setWebhook request")

    async def _set_webhook(self, p: Params, handler: ApiHandler) -> bool:
        url = p.text("url") or ""
        secret = p.text("secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
            raise ApiError.bad_request("secret token contains unallowed characters")
        if url and not url.startswith(("http://", "https://")):
            raise ApiError.bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        if p.flag("drop_pending_updates"):
            self._updates.clear()
        if not url:
            self.webhook = None
            return True
        allowed = p.json("allowed_updates")
        self.webhook = WebhookConfig(
            url=url,
            secret_token=secret,
            max_connections=p.integer("max_connections") or 40,
            allowed_updates=allowed if isinstance(allowed, list) else None,
        )
        self._wake_poller("webhook")
        return True

    async def _delete_webhook(self, p: Params, handler: ApiHandler) -> bool:
        if p.flag("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        return True

    async def _get_webhook_info(self, p: Params, handler: ApiHandler) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook.max_connections
            if self.webhook.allowed_updates is not None:
                info["allowed_updates"] = self.webhook.allowed_updates
        return info

    async def deliver_via_webhook(
        self, update: Any, *, secret_token: str | object | None = _USE_STORED, timeout: float = 10.0
    ) -> int:
        """POST `update` (a dict or telegram.Update) to the registered webhook; the HTTP status.

        The secret header carries what the bot registered, unless `secret_token` overrides it
        (None: no header). On a 2xx the update leaves the getUpdates queue, as it would on
        Telegram.
        """
        if self.webhook is None:
            raise RuntimeError("the bot has not called setWebhook")
        payload = update.to_dict() if hasattr(update, "to_dict") else update
        secret = self.webhook.secret_token if secret_token is _USE_STORED else secret_token
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": str(secret)}
        self._busy += 1
        self._touch()
        try:
            async with httpx.AsyncClient(timeout=timeout) as client:
                response = await client.post(self.webhook.url, json=payload, headers=headers)
        finally:
            self._busy -= 1
            self._touch()
        if response.is_success:
            update_id = payload.get("update_id")
            self._updates = [u for u in self._updates if u["update_id"] != update_id]
            self._delivered_up_to = max(self._delivered_up_to, update_id or 0)
        self._notify()
        return response.status_code

