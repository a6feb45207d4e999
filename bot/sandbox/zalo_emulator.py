"""A local Zalo Bot API server, built from Zalo's published API, plus a scriptable user side.

What it enforces, as Zalo does: `POST /bot<TOKEN>/<method>` with a JSON body; replies
`{ok, result}` or `{ok: false, error_code, description}` (often with HTTP 200: check `ok`);
string ids; dates in milliseconds; **one update per getUpdates call, no offset**, and
`{error_code: 408}` when nothing arrived in `timeout` seconds; webhook and getUpdates exclude
each other; a webhook POST carries one update and the secret in `X-Bot-Api-Secret-Token`;
`sendMessage` refuses text over 2,000 characters; photos only by URL; unknown methods refused.

Faults, as the Telegram emulator has them: a 429 with `retry_after`, a 5xx, a user who refused
the bot (403), and an update delivered twice (`repeat_next_update`), which Zalo has been seen to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Self

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

from bot.sandbox.waiting import wait_for_change

log = logging.getLogger(__name__)

TEXT_LIMIT = 2000
METHODS = frozenset({"getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo",
                     "sendMessage", "sendPhoto", "sendSticker", "sendChatAction"})


@dataclass
class ZaloSent:
    """A message the bot sent, as its recipient sees it: plain text (or a photo URL and caption)."""

    message_id: str
    chat_id: str
    text: str
    photo: str | None
    date_ms: int
    sent_at: float  # time.monotonic()


@dataclass
class ZaloCall:
    """One API call (the token is never kept: it lives only in the URL path)."""

    method: str
    params: dict[str, Any]
    time: float
    ok: bool | None = None
    error_code: int | None = None


@dataclass
class ZaloFault:
    method: str | None  # None: any method but getUpdates
    error_code: int
    description: str
    retry_after: int | None
    remaining: int
    http_status: int = 200  # Zalo often answers errors with 200; a 5xx fault uses the real status


@dataclass
class ZaloUser:
    id: str
    display_name: str
    blocked: bool = False  # refused the bot: sends to them fail with 403


@dataclass
class _Webhook:
    url: str
    secret_token: str


class _Handler(tornado.web.RequestHandler):
    def initialize(self, emulator: ZaloEmulator) -> None:
        self.emulator = emulator
        self.gone = False  # the client hung up (a long poll cancelled by a stopping bot)

    def on_connection_close(self) -> None:
        self.gone = True

    async def post(self, token: str, method: str) -> None:
        await self.emulator._serve(self, token, method)

    get = post

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        log.error("unhandled error in the Zalo emulator", exc_info=(typ, value, tb))  # no URI: token


def _quiet_log(handler: tornado.web.RequestHandler) -> None:
    log.debug("zalo -> %d", handler.get_status())


@dataclass
class ZaloEmulator:
    token: str = "1234567890:LOCAL-zalo-token-not-secret"
    host: str = "127.0.0.1"
    port: int = 0
    bot_name: str = "Tro ly chi bo (demo)"
    users: dict[str, ZaloUser] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)  # group chat id → name
    sent: list[ZaloSent] = field(default_factory=list)
    calls: list[ZaloCall] = field(default_factory=list)
    webhook: _Webhook | None = None

    def __post_init__(self) -> None:
        self._server: tornado.httpserver.HTTPServer | None = None
        self._queue: list[dict[str, Any]] = []
        self._faults: list[ZaloFault] = []
        self._repeat = 0
        self._arrived = asyncio.Event()
        self._changed = asyncio.Event()
        self._busy = 0
        # The bot polled again since its last update, so that update is in its own queue by now.
        self._handed_over = True
        self._last_activity = time.monotonic()
        self._seen: dict[str, int] = {}  # chat → how many of its messages a test has read
        self._ids = 0
        self._posts: set[asyncio.Task[int]] = set()  # webhook deliveries under way

    # ── lifecycle ───────────────────────────────────────────────────────────────────────
    async def start(self) -> Self:
        app = tornado.web.Application([(r"/bot([^/]+)/([^/]+)", _Handler, {"emulator": self})],
                                      log_function=_quiet_log)
        sockets = tornado.netutil.bind_sockets(self.port, self.host)
        self.port = sockets[0].getsockname()[1]
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)
        return self

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            self._arrived.set()  # wake long polls
            server.stop()
            await asyncio.sleep(0.05)
            await server.close_all_connections()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    # ── faults ──────────────────────────────────────────────────────────────────────────
    def inject_fault(self, method: str | None = None, error_code: int = 500, *,
                     retry_after: int | None = None, times: int = 1) -> ZaloFault:
        """Fail the next `times` calls of `method`: 429 (with retry_after), 5xx (HTTP status too)."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        description = {429: "Too many requests", 403: "User has not interacted with the bot"}.get(
            error_code, "Internal server error" if error_code >= 500 else "Bad request")
        fault = ZaloFault(method, error_code, description, retry_after, times,
                          http_status=error_code if error_code >= 500 else 200)
        self._faults.append(fault)
        return fault

    def _take_fault(self, method: str) -> ZaloFault | None:
        for fault in self._faults:
            if fault.method == method or (fault.method is None and method != "getUpdates"):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def repeat_next_update(self, times: int = 1) -> None:
        """The next update handed out by getUpdates is handed out again `times` more times."""
        self._repeat += times

    # ── the API ─────────────────────────────────────────────────────────────────────────
    def _touch(self) -> None:
        self._last_activity = time.monotonic()
        self._changed.set()
        self._changed = asyncio.Event()

    async def _serve(self, handler: _Handler, token: str, method: str) -> None:
        handler.set_header("Content-Type", "application/json")
        try:
            params = json.loads(handler.request.body or b"{}")
        except ValueError:
            params = None
        call = ZaloCall(method, params if isinstance(params, dict) else {}, time.monotonic())
        if method != "getUpdates":
            self.calls.append(call)
            self._busy += 1
            self._touch()
        try:
            status, body = await self._answer(token, method, params, handler)
        finally:
            if method != "getUpdates":
                self._busy -= 1
                self._touch()
        call.ok = bool(body.get("ok"))
        call.error_code = body.get("error_code")
        handler.set_status(status)
        handler.finish(json.dumps(body))

    async def _answer(self, token: str, method: str, params: Any,
                      handler: _Handler) -> tuple[int, dict[str, Any]]:
        if token != self.token:
            return 200, _error(401, "Unauthorized")
        if method not in METHODS:
            return 200, _error(404, f"Method {method} not found")
        if not isinstance(params, dict):
            return 200, _error(400, "Request body must be a JSON object")
        fault = self._take_fault(method)
        if fault is not None:
            body = _error(fault.error_code, fault.description)
            if fault.retry_after is not None:
                body["parameters"] = {"retry_after": fault.retry_after}
            return fault.http_status, body
        try:
            if method == "getUpdates":
                result = await self._m_getUpdates(params, handler)
            else:
                result = await getattr(self, f"_m_{method}")(params)
        except _Refusal as refusal:
            return 200, _error(refusal.code, refusal.description)
        return 200, {"ok": True, "result": result}

    async def _m_getMe(self, params: dict[str, Any]) -> Any:
        return {"id": self.token.split(":")[0], "account_name": self.bot_name, "account_type": "BASIC",
                "can_join_groups": False}

    async def _m_getUpdates(self, params: dict[str, Any], handler: _Handler) -> Any:
        self._handed_over = True  # PTB queues an update before it polls again
        self._touch()
        if self.webhook is not None:
            raise _Refusal(409, "Conflict: a webhook is set; getUpdates is disabled")
        try:
            wait = float(params.get("timeout", 0) or 0)
        except (TypeError, ValueError):
            raise _Refusal(400, "timeout must be a number") from None
        deadline = time.monotonic() + min(wait, 60.0)
        while not self._queue or handler.gone:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._server is None or handler.gone:
                # Nobody is listening any more: the update stays queued for the next poll.
                raise _Refusal(408, "Request timeout")
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), min(remaining, 0.5))
        update = self._queue[0]
        if self._repeat > 0:
            self._repeat -= 1  # handed out now and again on the next call
        else:
            self._queue.pop(0)
        self._handed_over = False
        self._touch()
        return update

    async def _m_setWebhook(self, params: dict[str, Any]) -> Any:
        url, secret = params.get("url"), params.get("secret_token")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise _Refusal(400, "url must be an HTTPS URL")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            raise _Refusal(400, "secret_token must be 8-256 characters")
        self.webhook = _Webhook(url, secret)
        return {"url": url, "updated_at": _now_ms()}

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        return {"url": "", "updated_at": _now_ms()}

    async def _m_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        return {"url": self.webhook.url if self.webhook else "", "updated_at": _now_ms()}

    def _chat(self, params: dict[str, Any]) -> ZaloUser:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, str) or not chat_id:
            raise _Refusal(400, "chat_id must be a string")
        if chat_id in self.groups:
            return ZaloUser(chat_id, self.groups[chat_id])
        user = self.users.get(chat_id)
        if user is None:
            raise _Refusal(400, "Chat not found")
        if user.blocked:
            raise _Refusal(403, "User has not interacted with the bot or blocked it")
        return user

    def _record(self, chat_id: str, text: str, photo: str | None = None) -> dict[str, Any]:
        self._ids += 1
        message_id = f"{secrets.token_hex(8)}{self._ids:06x}"
        date = _now_ms()
        self.sent.append(ZaloSent(message_id, chat_id, text, photo, date, time.monotonic()))
        return {"message_id": message_id, "date": date}

    async def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        user = self._chat(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _Refusal(400, "text must not be empty")
        if len(text) > TEXT_LIMIT:
            raise _Refusal(400, f"text is longer than {TEXT_LIMIT} characters")
        return self._record(user.id, text)

    async def _m_sendPhoto(self, params: dict[str, Any]) -> Any:
        user = self._chat(params)
        photo = params.get("photo")
        if not isinstance(photo, str) or not photo.startswith(("https://", "http://")):
            raise _Refusal(400, "photo must be a URL")
        return self._record(user.id, str(params.get("caption") or ""), photo)

    async def _m_sendSticker(self, params: dict[str, Any]) -> Any:
        user = self._chat(params)
        return self._record(user.id, f"[sticker {params.get('sticker', '')}]")

    async def _m_sendChatAction(self, params: dict[str, Any]) -> Any:
        self._chat(params)
        if params.get("action") != "typing":
            raise _Refusal(400, "action must be typing")
        return True

    # ── the user side ───────────────────────────────────────────────────────────────────
    def add_user(self, user_id: str, display_name: str) -> ZaloUser:
        user = self.users.setdefault(user_id, ZaloUser(user_id, display_name))
        user.display_name = display_name
        return user

    def block_user(self, user_id: str, blocked: bool = True) -> None:
        self.users[user_id].blocked = blocked

    def add_group(self, group_id: str, name: str) -> None:
        self.groups[group_id] = name

    def _event(self, user_id: str, event_name: str, group_id: str | None = None,
               **content: Any) -> dict[str, Any]:
        user = self.users.get(user_id) or self.add_user(user_id, "Người dùng Zalo")
        self._ids += 1
        chat = ({"id": group_id, "chat_type": "GROUP"} if group_id is not None
                else {"id": user.id, "chat_type": "PRIVATE"})
        message = {"message_id": f"u{secrets.token_hex(6)}{self._ids:06x}", "date": _now_ms(),
                   "from": {"id": user.id, "display_name": user.display_name, "is_bot": False},
                   "chat": chat, **content}
        return {"event_name": event_name, "message": message}

    def send_text(self, user_id: str, text: str, group_id: str | None = None) -> dict[str, Any]:
        """`user_id` writes `text` to the bot (in a group chat the bot is in, with `group_id`)."""
        return self.queue(self._event(user_id, "message.text.received", group_id, text=text))

    def send_sticker(self, user_id: str) -> dict[str, Any]:
        return self.queue(self._event(user_id, "message.sticker.received", sticker="s1"))

    def send_image(self, user_id: str, url: str = "https://example.invalid/p.jpg") -> dict[str, Any]:
        return self.queue(self._event(user_id, "message.image.received", photo=url))

    def queue(self, event: dict[str, Any]) -> dict[str, Any]:
        """Hand `event` to the bot: by getUpdates, or POSTed to the webhook when one is set."""
        if self.webhook is not None:
            task = asyncio.get_running_loop().create_task(self.deliver_via_webhook(event))
            self._posts.add(task)
            task.add_done_callback(self._posts.discard)
        else:
            self._queue.append(event)
            self._arrived.set()
        self._touch()
        return event

    async def deliver_via_webhook(self, event: dict[str, Any], *, secret_token: str | object | None = ...,
                                  timeout: float = 10.0) -> int:
        """POST one event to the webhook with the registered secret (or `secret_token`; None: no header)."""
        if self.webhook is None:
            raise RuntimeError("no webhook set")
        secret = self.webhook.secret_token if secret_token is ... else secret_token
        headers = {} if secret is None else {"X-Bot-Api-Secret-Token": str(secret)}
        self._busy += 1
        try:
            async with httpx.AsyncClient(timeout=timeout) as client:
                response = await client.post(self.webhook.url, json=event, headers=headers)
        finally:
            self._busy -= 1
            self._touch()
        return response.status_code

    # ── reading what the bot sent ───────────────────────────────────────────────────────
    def messages(self, chat_id: str) -> list[ZaloSent]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def new_messages(self, chat_id: str) -> list[ZaloSent]:
        mine = self.messages(chat_id)
        start = self._seen.get(chat_id, 0)
        self._seen[chat_id] = len(mine)
        return mine[start:]

    def mark_seen(self, chat_id: str) -> None:
        self._seen[chat_id] = len(self.messages(chat_id))

    def calls_of(self, method: str) -> list[ZaloCall]:
        return [c for c in self.calls if c.method == method]

    async def wait_until(self, predicate: Any, timeout: float = 5.0, what: str = "the condition") -> None:
        """Wait until `predicate()` holds; re-checked after every call the bot makes."""
        await wait_for_change(lambda: self._changed, predicate, timeout=timeout, what=what, recheck=0.2)

    @property
    def idle(self) -> bool:
        return self._busy == 0 and not self._queue and not self._posts and self._handed_over

    async def wait_idle(self, quiet: float = 0.1, timeout: float = 10.0) -> None:
        """Return once every queued update was fetched and the bot made no call for `quiet` s."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            if self.idle and now - self._last_activity >= quiet:
                return
            if now > deadline:
                raise TimeoutError(f"Zalo bot not idle after {timeout}s")
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(quiet, max(deadline - now, 0.01)))


class _Refusal(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


def _now_ms() -> int:
    return int(time.time() * 1000)
