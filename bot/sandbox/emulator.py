"""A local Telegram Bot API server, so the real bot can be driven end to end without Telegram.

`BotApiEmulator` is a tornado HTTP server running in the caller's asyncio loop. The unmodified
python-telegram-bot stack talks to it over HTTP, via
`ApplicationBuilder().base_url(emu.base_url).base_file_url(emu.base_file_url)`, and gets the
response shapes and the error replies of the real Bot API (message too long, chat not found,
bot blocked, message not modified, 429 with retry_after, ...).

The same object is the other end of the conversation: tests add users, make them type text,
send stickers/photos/documents and press inline buttons, then read back what the bot sent,
how it answered callback queries and which commands it registered. `inject_fault` makes the
next calls fail (429/500/502 or slow) for reliability tests, and `requests` logs every call
with its monotonic time and status, for send-rate measurements.

Limits, by design: HTML parse mode is interpreted (entities, strict tag errors, like Telegram);
Markdown/MarkdownV2 text is stored verbatim and not validated. Inline mode, payments, media
groups and most chat-management methods are not emulated: they answer 404 like unknown methods,
so an unexpected call shows up instead of silently succeeding.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import logging
import re
import struct
import time
import zlib
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any, NamedTuple, Self

import httpx
import tornado.httpserver
import tornado.iostream
import tornado.netutil
import tornado.web

from bot.sandbox.records import (
    CALLBACK_ANSWER_LIMIT,
    CAPTION_LIMIT,
    TEXT_LIMIT,
    ApiError,
    Button,
    CallbackAnswer,
    ChatAction,
    EmulatedUser,
    Fault,
    MessageEdit,
    ParsedMarkup,
    RequestRecord,
    SentMessage,
    StoredFile,
    WebhookConfig,
    parse_html,
    parse_reply_markup,
    utf16_len,
)

log = logging.getLogger(__name__)

_DOCUMENT_LIMIT = 50 * 1024 * 1024  # bots may upload documents up to 50 MB
_BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,64})?")
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
# Telegram's default when allowed_updates is empty: everything except these.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def _tiny_png() -> bytes:
    """A valid 1×1 PNG: the default picture users "send"."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")  # filter byte + one white pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


_TINY_PNG = _tiny_png()
_USE_STORED = object()  # deliver_via_webhook: send the secret the bot registered


class _Upload(NamedTuple):
    filename: str
    body: bytes
    content_type: str | None


class _Params:
    """Bot API parameters as they arrive: strings (form, multipart, query) or JSON values.

    PTB sends every value as a string; non-string values (reply_markup, entities, scope,
    commands, reply_parameters, booleans, ints) are JSON-encoded strings. Accessors below decode
    by parameter meaning, never by guessing, so a text of "123" stays a string.
    """

    _JSON = frozenset(
        {
            "reply_markup",
            "entities",
            "caption_entities",
            "reply_parameters",
            "link_preview_options",
            "commands",
            "scope",
            "allowed_updates",
        }
    )

    def __init__(self, values: dict[str, Any], uploads: dict[str, _Upload]) -> None:
        self.values = values
        self.uploads = uploads

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value) if isinstance(value, bool) else str(value)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError.bad_request(f"invalid {name} specified") from None

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ApiError.bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        return self.values.get(name) in (True, "true", "True", "1", 1)

    def json(self, name: str) -> Any:
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError.bad_request(f"can't parse {name} JSON object") from None

    def snapshot(self) -> dict[str, Any]:
        """Decoded parameters for the request log; uploads appear as name/size, not bytes."""
        out: dict[str, Any] = {}
        for name, value in self.values.items():
            decoded = value
            if name in self._JSON and isinstance(value, str):
                try:
                    decoded = json.loads(value)
                except ValueError:
                    decoded = value
            elif (
                isinstance(value, str)
                and re.fullmatch(r"-?\d{1,19}", value)
                and (name.endswith("_id") or name in ("offset", "limit", "timeout", "cache_time"))
            ):
                decoded = int(value)
            out[name] = decoded
        for name, upload in self.uploads.items():
            out[name] = {"filename": upload.filename, "size": len(upload.body)}
        return out


def _read_params(request: Any) -> _Params:
    values: dict[str, Any] = {
        key: items[-1].decode("utf-8", "replace") for key, items in request.query_arguments.items()
    }
    if request.headers.get("Content-Type", "").startswith("application/json") and request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            raise ApiError.bad_request("can't parse JSON object") from None
        if isinstance(body, dict):
            values.update(body)
    else:
        for key, items in request.body_arguments.items():
            values[key] = items[-1].decode("utf-8", "replace")
    uploads = {
        name: _Upload(parts[0].filename, parts[0].body, parts[0].content_type)
        for name, parts in request.files.items()
        if parts
    }
    return _Params(values, uploads)


def _image_size(data: bytes) -> tuple[int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return 800, 600  # not worth decoding other formats: nothing in the bot reads dimensions


def _log_request(handler: tornado.web.RequestHandler) -> None:
    # Replaces tornado's access log, which prints the request URI - and the URI holds the token.
    log.debug(
        "%s -> %d (%.1f ms)",
        getattr(handler, "api_method", "?"),
        handler.get_status(),
        1000 * handler.request.request_time(),
    )


class _ApiHandler(tornado.web.RequestHandler):
    api_method = "?"

    def initialize(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator
        # Resolved when the client hangs up mid-request (e.g. PTB cancelling a long poll).
        self.gone: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def get(self, token: str, method: str) -> None:
        self.api_method = method
        await self.emulator._serve_api(self, token, method)

    post = get

    def on_connection_close(self) -> None:
        if not self.gone.done():
            self.gone.set_result(None)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        # tornado's version includes the request summary, i.e. the URI with the token.
        log.error("unhandled error in %s", self.api_method, exc_info=(typ, value, tb))

    def compute_etag(self) -> None:
        return None


class _FileHandler(_ApiHandler):
    async def get(self, token: str, path: str) -> None:  # type: ignore[override]
        self.api_method = "file download"
        self.emulator._serve_file(self, token, path)

    post = get


class _NotFoundHandler(tornado.web.RequestHandler):
    def prepare(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "application/json")
        self.finish(ApiError(404, "Not Found").payload())

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        log.error("unhandled error", exc_info=(typ, value, tb))


_Method = Callable[[_Params, _ApiHandler], Awaitable[Any]]


class BotApiEmulator:
    """The Bot API on 127.0.0.1 plus a scriptable user side. See the module docstring."""

    def __init__(
        self,
        token: str | None = "123:ABC",
        *,
        bot_username: str = "chibo_demo_bot",
        bot_first_name: str = "Chibo (demo)",
        bot_id: int | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._token = token  # None: accept any token. Never logged, never in repr.
        prefix = (token or "").split(":", 1)[0]
        self.bot_id = bot_id or (int(prefix) if prefix.isdigit() else 1_000_001)
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self._host = host
        self._port = port
        self._server: tornado.httpserver.HTTPServer | None = None
        self._stopping: asyncio.Future[None] | None = None

        self.requests: list[RequestRecord] = []
        self.users: dict[int, EmulatedUser] = {}
        self.webhook: WebhookConfig | None = None
        self._chats: dict[int, dict[str, Any]] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(100_000_001)
        self._delivered_up_to = 0  # highest update_id handed to the bot
        self._allowed_updates: list[str] = []
        self._poller: asyncio.Future[str] | None = None  # the pending long poll, if any
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}  # user's and bot's
        self._deleted: set[tuple[int, int]] = set()
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._sent: dict[int, list[SentMessage]] = {}
        self._sent_by_key: dict[tuple[int, int], SentMessage] = {}
        self._cursors: dict[int, int] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_paths: dict[str, StoredFile] = {}
        self._file_seq = itertools.count(1)
        self._open_queries: dict[str, int] = {}  # callback query id -> user id
        self._query_seq = itertools.count(4_000_000_001)
        self._answers: list[CallbackAnswer] = []
        self._actions: list[ChatAction] = []
        self._commands: dict[tuple[tuple[Any, ...], str], list[dict[str, str]]] = {}
        self._faults: list[Fault] = []
        self._listeners: list[Callable[[str, SentMessage], None]] = []
        self._inflight = 0  # all API requests being served
        self._busy = 0  # the same without getUpdates, plus webhook deliveries
        self._last_activity = time.monotonic()
        self._changed = asyncio.Event()
        self._api: dict[str, tuple[str, _Method]] = {
            name.lower(): (name, method)
            for name, method in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageCaption": self._edit_message_caption,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._answer_callback_query,
                "sendDocument": self._send_document,
                "sendPhoto": self._send_photo,
                "sendChatAction": self._send_chat_action,
                "setMyCommands": self._set_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "getMyCommands": self._get_my_commands,
                "getFile": self._get_file,
                "close": self._close,
                "logOut": self._close,
            }.items()
        }

    def __repr__(self) -> str:
        where = self.base_url if self._server else "stopped"
        return f"<BotApiEmulator @{self.bot_username} {where}>"

    # ── lifecycle ───────────────────────────────────────────────────────────────────────

    async def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError("emulator already started")
        app = tornado.web.Application(
            [
                (r"/bot([^/]+)/([^/]+)", _ApiHandler, {"emulator": self}),
                (r"/file/bot([^/]+)/(.+)", _FileHandler, {"emulator": self}),
            ],
            default_handler_class=_NotFoundHandler,
            log_function=_log_request,
        )
        sockets = tornado.netutil.bind_sockets(self._port, self._host)
        self._port = sockets[0].getsockname()[1]  # keep the port: a restart reuses it
        self._stopping = asyncio.get_running_loop().create_future()
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=_DOCUMENT_LIMIT + 2**20)
        self._server.add_sockets(sockets)
        self._touch()
        return self

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        if self._stopping and not self._stopping.done():
            self._stopping.set_result(None)  # wakes long polls and injected delays
        server.stop()
        deadline = time.monotonic() + 2.0
        while self._inflight and time.monotonic() < deadline:
            await asyncio.sleep(0.005)  # let woken handlers write their replies
        await server.close_all_connections()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`; PTB appends the token itself."""
        if self._server is None:
            raise RuntimeError("emulator not started")
        return f"http://{self._host}:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        if self._server is None:
            raise RuntimeError("emulator not started")
        return f"http://{self._host}:{self._port}/file/bot"

    # ── fault injection ─────────────────────────────────────────────────────────────────

    def inject_fault(
        self,
        method: str | None = None,
        status: int | None = 500,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
        delay: float = 0.0,
        chat_id: int | None = None,
        parameters: dict[str, Any] | None = None,
        latency: float = 0.0,
    ) -> Fault:
        """Fail the next `times` calls of `method` (None: any method but getUpdates), or only
        those addressed to `chat_id`.

        A faulted call has no side effect. 429 always carries parameters.retry_after (default
        1 s) so PTB raises RetryAfter; `parameters` adds others (400 with migrate_to_chat_id is
        PTB's ChatMigrated). `status=None` with `delay` only slows the reply down; `latency`
        makes the call *arrive* later (its recorded time is when it arrived), as on a slow
        network, which is what a per-chat spacing measured at the sender can get wrong.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            else:
                try:
                    description = HTTPStatus(status or 500).phrase  # "Bad Gateway", ...
                except ValueError:
                    description = "Error"
        fault = Fault(method, status, description, retry_after, times, delay, chat_id, parameters, latency)
        self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        self._faults.clear()

    def _take_fault(self, method: str, chat_id: Any = None) -> Fault | None:
        for fault in self._faults:
            wanted = fault.method.lower() if fault.method else None
            if fault.chat_id is not None and str(fault.chat_id) != str(chat_id):
                continue
            if wanted == method.lower() or (wanted is None and method != "getUpdates"):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    # ── HTTP plumbing ───────────────────────────────────────────────────────────────────

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _emit(self, event: str, record: SentMessage) -> None:
        self._notify()
        for listener in list(self._listeners):
            try:
                listener(event, record)
            except Exception:  # a broken observer must not turn into an API error for the bot
                log.exception("emulator listener failed on %r", event)

    def add_listener(self, listener: Callable[[str, SentMessage], None]) -> None:
        """Call `listener(event, message)` for "sent", "edited" and "deleted" bot messages,
        e.g. to print a terminal chat as it happens."""
        self._listeners.append(listener)

    async def _serve_api(self, handler: _ApiHandler, token: str, method: str) -> None:
        name, implementation = self._api.get(method.lower(), (method, None))
        handler.api_method = name
        record = RequestRecord(name, {}, time.monotonic())
        self.requests.append(record)
        polling = name == "getUpdates"
        self._inflight += 1
        if not polling:
            self._busy += 1
            self._touch()
        status, body = 500, ApiError(500, "Internal Server Error").payload()
        try:
            if self._token is not None and token != self._token:
                raise ApiError(401, "Unauthorized")
            if implementation is None:
                raise ApiError(404, "Not Found")
            params = _read_params(handler.request)
            record.params = params.snapshot()
            fault = self._take_fault(name, params.raw("chat_id"))
            if fault is not None:
                if fault.latency:
                    await self._pause(fault.latency)
                    record.time = time.monotonic()  # it arrives only now
                if fault.delay:
                    await self._pause(fault.delay)
                if fault.status is not None:
                    raise fault.error()
            result = await implementation(params, handler)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as err:
            status, body = err.status, err.payload()
        except Exception:
            # An emulator bug must reach the bot as a 500, not hang it; the trace is logged.
            log.exception("emulator failed while serving %s", name)
        finally:
            if not polling:
                self._busy -= 1
                self._touch()
            record.status, record.finished = status, time.monotonic()
            record.description = None if status == 200 else body.get("description")
            self._notify()
        handler.set_status(status)
        handler.set_header("Content-Type", "application/json")
        # A client that gave up (a cancelled long poll) has nobody left to read the reply.
        try:
            with contextlib.suppress(tornado.iostream.StreamClosedError):
                await handler.finish(json.dumps(body, ensure_ascii=False).encode("utf-8"))
        finally:
            self._inflight -= 1  # only now: stop() waits for replies to be written

    def _serve_file(self, handler: _ApiHandler, token: str, path: str) -> None:
        stored = self._file_paths.get(path)
        error = None
        if self._token is not None and token != self._token:
            error = ApiError(401, "Unauthorized")
        elif stored is None:
            error = ApiError(404, "Not Found")
        if error is not None or stored is None:
            error = error or ApiError(404, "Not Found")
            handler.set_status(error.status)
            handler.set_header("Content-Type", "application/json")
            handler.finish(error.payload())
            return
        handler.set_header("Content-Type", stored.mime_type or "application/octet-stream")
        handler.finish(stored.data)

    async def _pause(self, seconds: float) -> None:
        assert self._stopping is not None
        await asyncio.wait({self._stopping}, timeout=seconds)

    # ── updates ─────────────────────────────────────────────────────────────────────────

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
        """No request but getUpdates in flight and every queued update handed out, right now."""
        return self._busy == 0 and self._undelivered() == 0

    def _undelivered(self) -> int:
        return sum(1 for u in self._updates if u["update_id"] > self._delivered_up_to)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (via a later getUpdates offset)."""
        return list(self._updates)

    async def _get_updates(self, p: _Params, handler: _ApiHandler) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
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

    async def _set_webhook(self, p: _Params, handler: _ApiHandler) -> bool:
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

    async def _delete_webhook(self, p: _Params, handler: _ApiHandler) -> bool:
        if p.flag("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        return True

    async def _get_webhook_info(self, p: _Params, handler: _ApiHandler) -> dict[str, Any]:
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

    # ── chats and messages (API side) ───────────────────────────────────────────────────

    def _bot_json(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    async def _get_me(self, p: _Params, handler: _ApiHandler) -> dict[str, Any]:
        return self._bot_json() | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _close(self, p: _Params, handler: _ApiHandler) -> bool:
        return True

    def _resolve_chat(self, raw: Any) -> int:
        if raw is None or raw == "":
            raise ApiError.bad_request("chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            for chat_id, chat in self._chats.items():
                # Usernames address channels and groups, never private chats.
                if (
                    chat["type"] != "private"
                    and chat.get("username", "").lower() == raw[1:].lower()
                ):
                    return chat_id
            raise ApiError.bad_request("chat not found")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise ApiError.bad_request("chat not found") from None
        if chat_id not in self._chats:
            raise ApiError.bad_request("chat not found")
        return chat_id

    def _writable_chat(self, p: _Params) -> int:
        chat_id = self._resolve_chat(p.raw("chat_id"))
        user = self.users.get(chat_id)
        if user is not None and user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _next_message_id(self, chat_id: int) -> int:
        # Private chats number user and bot messages in one sequence, as Telegram does.
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _formatted(
        self, p: _Params, text_key: str, entities_key: str
    ) -> tuple[str | None, str, list[dict[str, Any]], str | None]:
        """(raw, plain text, entities, parse_mode) for a text or caption parameter."""
        raw = p.text(text_key)
        parse_mode = p.text("parse_mode") or None
        if raw is None:
            return None, "", [], parse_mode
        mode = (parse_mode or "").lower()
        if mode == "html":
            plain, entities = parse_html(raw)
        elif mode in ("markdown", "markdownv2"):
            plain, entities = raw, []  # not interpreted (see module docstring)
        elif mode:
            raise ApiError.bad_request("unsupported parse_mode")
        else:
            plain, entities = raw, p.json(entities_key) or []
        return raw, plain, entities, parse_mode

    def _markup(self, p: _Params) -> ParsedMarkup | None:
        markup = p.json("reply_markup")
        return None if markup is None else parse_reply_markup(markup)

    def _reply_target(self, p: _Params, chat_id: int) -> dict[str, Any] | None:
        params = p.json("reply_parameters")
        if isinstance(params, dict):  # what PTB 22 sends, even for reply_to_message_id=
            message_id = params.get("message_id")
            allow = bool(params.get("allow_sending_without_reply"))
            if params.get("chat_id") is not None:
                chat_id = self._resolve_chat(params["chat_id"])
        else:
            message_id = p.integer("reply_to_message_id")
            allow = p.flag("allow_sending_without_reply")
        if message_id is None:
            return None
        key = (chat_id, int(message_id))
        if key not in self._messages or key in self._deleted:
            if allow:
                return None
            raise ApiError.bad_request("message to be replied not found")
        target = copy.deepcopy(self._messages[key])
        target.pop("reply_to_message", None)  # Telegram nests only one level
        return target

    def _record_sent(
        self,
        chat_id: int,
        kind: str,
        formatted: tuple[str | None, str, list[dict[str, Any]], str | None],
        markup: ParsedMarkup | None,
        reply_to: dict[str, Any] | None,
        file: StoredFile | None = None,
        media: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        raw, plain, entities, parse_mode = formatted
        message_id = self._next_message_id(chat_id)
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": self._bot_json(),
            "chat": dict(self._chats[chat_id]),
            "date": int(time.time()),
        }
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(media or {})
        text_key, entities_key = (
            ("text", "entities") if kind == "text" else ("caption", "caption_entities")
        )
        if plain:
            message[text_key] = plain
        if entities:
            message[entities_key] = entities
        if markup is not None and markup.is_inline:
            message["reply_markup"] = markup.raw  # only inline keyboards come back, as live
        self._messages[(chat_id, message_id)] = message
        record = SentMessage(
            message_id=message_id,
            chat_id=chat_id,
            kind=kind,
            text=plain or None,
            raw_text=raw,
            parse_mode=parse_mode,
            entities=entities,
            buttons=markup.buttons if markup else [],
            reply_keyboard=markup.reply_keyboard if markup else None,
            reply_markup=markup.raw if markup else None,
            reply_to_message_id=reply_to["message_id"] if reply_to else None,
            file=file,
            sent_at=time.monotonic(),
            message=message,
        )
        self._sent.setdefault(chat_id, []).append(record)
        self._sent_by_key[(chat_id, message_id)] = record
        self._emit("sent", record)
        return message

    async def _send_message(self, p: _Params, handler: _ApiHandler) -> dict[str, Any]:
        # Text and markup are validated before the chat is looked up, like the real server.
        formatted = self._formatted(p, "text", "entities")
        if not formatted[1].strip():
            raise ApiError.bad_request("message text is empty")
        if len(formatted[1]) > TEXT_LIMIT:
            raise ApiError.bad_request("message is too long")
        markup = self._markup(p)
        chat_id = self._writable_chat(p)
        return self._record_sent(chat_id, "text", formatted, markup, self._reply_target(p, chat_id))

    async def _send_document(self, p: _Params, handler: _ApiHandler) -> dict[str, Any]:
        return self._send_media(p, "document")

    async def _send_photo(self, p: _Params, handler: _ApiHandler) -> dict[str, Any]:
        return self._send_media(p, "photo")

    def _send_media(self, p: _Params, kind: str) -> dict[str, Any]:
        formatted = self._formatted(p, "caption", "caption_entities")
        if len(formatted[1]) > CAPTION_LIMIT:
            raise ApiError.bad_request("message caption is too long")
        markup = self._markup(p)
        chat_id = self._writable_chat(p)
        stored = self._input_file(p, kind)
        reply_to = self._reply_target(p, chat_id)
        return self._record_sent(
            chat_id, kind, formatted, markup, reply_to, stored, self._media_json(stored)
        )

    def _input_file(self, p: _Params, kind: str) -> StoredFile:
        value = p.raw(kind)
        upload = p.uploads.get(kind)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = p.uploads.get(value.removeprefix("attach://"))
        if upload is not None:
            if len(upload.body) > _DOCUMENT_LIMIT:
                raise ApiError(413, "Request Entity Too Large")
            return self._store_file(kind, upload.filename, upload.body, upload.content_type)
        if isinstance(value, str) and value:
            if value in self._files:  # re-sending by file_id
                return self._files[value]
            if value.startswith(("http://", "https://")):
                name = value.rsplit("/", 1)[-1] or None
                return self._store_file(kind, name, b"", None, url=value)
            raise ApiError.bad_request("wrong file identifier/HTTP URL specified")
        raise ApiError.bad_request(f"there is no {kind} in the request")

    def _store_file(
        self,
        kind: str,
        filename: str | None,
        data: bytes,
        mime_type: str | None,
        url: str | None = None,
    ) -> StoredFile:
        n = next(self._file_seq)
        stored = StoredFile(
            file_id=f"EMU-{kind}-{n:06d}",
            file_unique_id=f"EMUU{n:06d}",
            kind=kind,
            filename=filename,
            data=data,
            mime_type=mime_type,
            url=url,
        )
        self._files[stored.file_id] = stored
        self._file_paths[stored.file_path] = stored
        return stored

    @staticmethod
    def _media_json(stored: StoredFile) -> dict[str, Any]:
        base = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
        }
        if stored.kind == "photo":
            width, height = _image_size(stored.data)
            return {"photo": [base | {"width": width, "height": height}]}
        if stored.kind == "sticker":
            sticker = base | {"type": "regular", "width": 512, "height": 512}
            return {"sticker": sticker | {"is_animated": False, "is_video": False}}
        document = dict(base)
        if stored.filename:
            document["file_name"] = stored.filename
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        return {"document": document}

    async def _get_file(self, p: _Params, handler: _ApiHandler) -> dict[str, Any]:
        stored = self._files.get(p.text("file_id") or "")
        if stored is None:
            raise ApiError.bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    def _editable(self, p: _Params) -> SentMessage:
        if p.raw("inline_message_id"):
            raise ApiError.bad_request("message to edit not found")  # inline mode not emulated
        chat_id = self._writable_chat(p)
        message_id = p.integer("message_id")
        if message_id is None:
            raise ApiError.bad_request("message identifier is not specified")
        key = (chat_id, message_id)
        record = self._sent_by_key.get(key)
        if record is None and key in self._messages and key not in self._deleted:
            raise ApiError.bad_request("message can't be edited")
        if record is None or record.deleted:
            raise ApiError.bad_request("message to edit not found")
        return record

    def _apply_edit(
        self,
        record: SentMessage,
        formatted: tuple[str | None, str, list[dict[str, Any]], str | None] | None,
        markup: ParsedMarkup | None,
    ) -> dict[str, Any]:
        if markup is not None and not markup.is_inline:
            raise ApiError.bad_request("inline keyboard expected")
        message = record.message
        text_key, entities_key = (
            ("text", "entities") if record.kind == "text" else ("caption", "caption_entities")
        )
        new_text = formatted[1] if formatted else message.get(text_key, "")
        new_entities = formatted[2] if formatted else message.get(entities_key, [])
        # Omitting reply_markup in an edit removes the inline keyboard, as on Telegram.
        new_markup = markup.raw if markup else None
        if (new_text, new_entities, new_markup) == (
            message.get(text_key, ""),
            message.get(entities_key, []),
            message.get("reply_markup"),
        ):
            raise ApiError.bad_request(_NOT_MODIFIED)
        record.edits.append(MessageEdit(record.text, record.buttons, time.monotonic()))
        for key, value in (
            (text_key, new_text),
            (entities_key, new_entities),
            ("reply_markup", new_markup),
        ):
            if value:
                message[key] = value
            else:
                message.pop(key, None)
        message["edit_date"] = int(time.time())
        record.text = new_text or None
        record.entities = new_entities
        record.buttons = markup.buttons if markup else []
        record.reply_markup = new_markup
        if formatted:
            record.raw_text, record.parse_mode = formatted[0], formatted[3]
        self._emit("edited", record)
        return message

    async def _edit_message_text(self, p: _Params, handler: _ApiHandler) -> dict[str, Any]:
        formatted = self._formatted(p, "text", "entities")
        if not formatted[1].strip():
            raise ApiError.bad_request("message text is empty")
        if len(formatted[1]) > TEXT_LIMIT:
            raise ApiError.bad_request("MESSAGE_TOO_LONG")
        markup = self._markup(p)
        record = self._editable(p)
        if record.kind != "text":
            raise ApiError.bad_request("there is no text in the message to edit")
        return self._apply_edit(record, formatted, markup)

    async def _edit_message_caption(self, p: _Params, handler: _ApiHandler) -> dict[str, Any]:
        formatted = self._formatted(p, "caption", "caption_entities")
        if len(formatted[1]) > CAPTION_LIMIT:
            raise ApiError.bad_request("message caption is too long")
        markup = self._markup(p)
        record = self._editable(p)
        if record.kind == "text":
            raise ApiError.bad_request("there is no caption in the message to edit")
        return self._apply_edit(record, formatted, markup)

    async def _edit_message_reply_markup(self, p: _Params, handler: _ApiHandler) -> dict[str, Any]:
        markup = self._markup(p)
        return self._apply_edit(self._editable(p), None, markup)

    async def _delete_message(self, p: _Params, handler: _ApiHandler) -> bool:
        chat_id = self._resolve_chat(p.raw("chat_id"))
        key = (chat_id, p.integer("message_id") or 0)
        if key not in self._messages or key in self._deleted:
            raise ApiError.bad_request("message to delete not found")
        self._deleted.add(key)
        if key in self._sent_by_key:
            self._sent_by_key[key].deleted = True
            self._emit("deleted", self._sent_by_key[key])
        self._notify()
        return True

    async def _answer_callback_query(self, p: _Params, handler: _ApiHandler) -> bool:
        text = p.text("text")
        if text and len(text) > CALLBACK_ANSWER_LIMIT:
            raise ApiError.bad_request("MESSAGE_TOO_LONG")
        query_id = p.text("callback_query_id") or ""
        user_id = self._open_queries.pop(query_id, None)  # a query can be answered once
        if user_id is None:
            raise ApiError.bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self._answers.append(
            CallbackAnswer(
                callback_query_id=query_id,
                user_id=user_id,
                text=text,
                show_alert=p.flag("show_alert"),
                url=p.text("url"),
                cache_time=p.integer("cache_time"),
                time=time.monotonic(),
            )
        )
        self._notify()
        return True

    async def _send_chat_action(self, p: _Params, handler: _ApiHandler) -> bool:
        chat_id = self._writable_chat(p)
        action = p.text("action") or ""
        if action not in _CHAT_ACTIONS:
            raise ApiError.bad_request("wrong parameter action in request")
        self._actions.append(ChatAction(chat_id, action, time.monotonic()))
        return True

    # ── bot commands ────────────────────────────────────────────────────────────────────

    def _scope_key(self, scope: Any) -> tuple[Any, ...]:
        scope = scope or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise ApiError.bad_request("can't parse BotCommandScope JSON object")
        kind = scope["type"]
        if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
            return (kind,)
        if kind in ("chat", "chat_administrators"):
            return (kind, self._resolve_chat(scope.get("chat_id")))
        if kind == "chat_member":
            try:
                user_id = int(scope["user_id"])
            except (KeyError, TypeError, ValueError):
                raise ApiError.bad_request("invalid user_id specified") from None
            return (kind, self._resolve_chat(scope.get("chat_id")), user_id)
        raise ApiError.bad_request("unsupported scope type")

    async def _set_my_commands(self, p: _Params, handler: _ApiHandler) -> bool:
        commands = p.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError.bad_request("can't parse commands JSON object")
        for command in commands:
            name = command.get("command") if isinstance(command, dict) else None
            description = command.get("description") if isinstance(command, dict) else None
            if not isinstance(name, str) or not _COMMAND_NAME.fullmatch(name):
                raise ApiError.bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise ApiError.bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = (self._scope_key(p.json("scope")), p.text("language_code") or "")
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _delete_my_commands(self, p: _Params, handler: _ApiHandler) -> bool:
        self._commands.pop((self._scope_key(p.json("scope")), p.text("language_code") or ""), None)
        return True

    async def _get_my_commands(self, p: _Params, handler: _ApiHandler) -> list[dict[str, str]]:
        # Exactly the list for this scope and language: Telegram does not fall back here.
        key = (self._scope_key(p.json("scope")), p.text("language_code") or "")
        return list(self._commands.get(key, []))

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[tuple[str, str]]:
        """(command, description) pairs set for `scope` (a BotCommandScope dict; None: default)."""
        key = (self._scope_key(scope), language_code)
        return [(c["command"], c["description"]) for c in self._commands.get(key, [])]

    def commands_for_chat(self, chat_id: int, language_code: str = "") -> list[tuple[str, str]]:
        return self.commands({"type": "chat", "chat_id": chat_id}, language_code)

    @property
    def command_scopes(self) -> list[tuple[tuple[Any, ...], str]]:
        """Every (scope key, language_code) that has commands, e.g. (("chat", 42), "vi")."""
        return list(self._commands)

    # ── the user side ───────────────────────────────────────────────────────────────────

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
    ) -> EmulatedUser:
        """A user who has started the bot; their private chat id equals `user_id`."""
        user = EmulatedUser(user_id, first_name, last_name, username, language_code)
        self.users[user_id] = user
        chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        if last_name:
            chat["last_name"] = last_name
        if username:
            chat["username"] = username
        self._chats[user_id] = chat
        return user

    def add_group(
        self, chat_id: int, title: str, *, kind: str = "supergroup", username: str | None = None
    ) -> None:
        chat: dict[str, Any] = {"id": chat_id, "type": kind, "title": title}
        if username:
            chat["username"] = username
        self._chats[chat_id] = chat

    def block_user(self, user_id: int, blocked: bool = True) -> None:
        """The user blocks (or, with blocked=False, unblocks) the bot."""
        self._user(user_id).blocked = blocked

    def _user(self, user_id: int) -> EmulatedUser:
        try:
            return self.users[user_id]
        except KeyError:
            raise KeyError(f"unknown user {user_id}: call add_user() first") from None

    def _user_message(
        self, user_id: int, chat_id: int | None, reply_to_message_id: int | None = None
    ) -> dict[str, Any]:
        user = self._user(user_id)
        chat_id = user_id if chat_id is None else chat_id
        if chat_id not in self._chats:
            raise KeyError(f"unknown chat {chat_id}: call add_group() first")
        message_id = self._next_message_id(chat_id)
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": user.to_json(),
            "chat": dict(self._chats[chat_id]),
            "date": int(time.time()),
        }
        if reply_to_message_id is not None:
            target = copy.deepcopy(self._messages[(chat_id, reply_to_message_id)])
            target.pop("reply_to_message", None)
            message["reply_to_message"] = target
        self._messages[(chat_id, message_id)] = message
        return message

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any]:
        """The user types `text`; returns the queued Update (a dict)."""
        message = self._user_message(user_id, chat_id, reply_to_message_id)
        message["text"] = text
        if command := _BOT_COMMAND.match(text):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))}
            ]
        return self._queue({"message": message})

    def send_sticker(
        self, user_id: int, emoji: str = "👍", *, chat_id: int | None = None
    ) -> dict[str, Any]:
        message = self._user_message(user_id, chat_id)
        stored = self._store_file("sticker", None, b"", "image/webp")
        message.update(self._media_json(stored))
        message["sticker"]["emoji"] = emoji
        return self._queue({"message": message})

    def send_photo(
        self,
        user_id: int,
        data: bytes = _TINY_PNG,
        caption: str | None = None,
        *,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        message = self._user_message(user_id, chat_id)
        message.update(self._media_json(self._store_file("photo", None, data, "image/png")))
        if caption:
            message["caption"] = caption
        return self._queue({"message": message})

    def send_document(
        self,
        user_id: int,
        filename: str,
        data: bytes,
        caption: str | None = None,
        *,
        mime_type: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """The user uploads a file; the bot can fetch it with getFile + download."""
        message = self._user_message(user_id, chat_id)
        stored = self._store_file("document", filename, data, mime_type)
        message.update(self._media_json(stored))
        if caption:
            message["caption"] = caption
        return self._queue({"message": message})

    def press_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        *,
        chat_id: int | None = None,
        forged: bool = False,
    ) -> dict[str, Any]:
        """The user presses an inline button; returns the queued callback_query Update.

        By default the message must be one the bot sent (not deleted) and carry a button with
        `callback_data`, so a typo in a test fails loudly. `forged=True` lifts both checks, for
        tampered or stale callbacks; an unknown message id then gets a minimal message object.
        """
        user = self._user(user_id)
        chat_id = user_id if chat_id is None else chat_id
        record = self._sent_by_key.get((chat_id, message_id))
        if record is not None and not record.deleted:
            message = copy.deepcopy(record.message)  # Telegram sends the message as it is now
            offered = [button.data for row in record.buttons for button in row]
            if not forged and callback_data not in offered:
                raise ValueError(f"message {message_id} has no button {callback_data!r}: {offered}")
        elif forged:
            message = {
                "message_id": message_id,
                "from": self._bot_json(),
                "chat": dict(self._chats[chat_id]),
                "date": int(time.time()),
            }
        else:
            raise ValueError(
                f"the bot has no live message {message_id} in chat {chat_id}; "
                "pass forged=True to press it anyway"
            )
        query_id = str(next(self._query_seq))
        self._open_queries[query_id] = user_id
        query = {
            "id": query_id,
            "from": user.to_json(),
            "message": message,
            "chat_instance": str(-7_000_000_000 - chat_id),
            "data": callback_data,
        }
        return self._queue({"callback_query": query})

    def send_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue any other update body (e.g. {"my_chat_member": {...}}); update_id is added."""
        return self._queue(dict(payload))

    # ── reading what the bot did ────────────────────────────────────────────────────────

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Everything the bot sent to `chat_id`, in order (deleted ones flagged, not removed)."""
        return list(self._sent.get(chat_id, []))

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        return self._sent_by_key[(chat_id, message_id)]

    def last_message(self, chat_id: int) -> SentMessage:
        sent = self._sent.get(chat_id)
        if not sent:
            raise LookupError(f"the bot sent nothing to chat {chat_id}")
        return sent[-1]

    def new_messages(self, chat_id: int) -> list[SentMessage]:
        """Messages sent since the last read of this chat; advances the read cursor."""
        sent = self._sent.get(chat_id, [])
        start = self._cursors.get(chat_id, 0)
        self._cursors[chat_id] = len(sent)
        return sent[start:]

    def mark_seen(self, chat_id: int | None = None) -> None:
        """Move the read cursor of one chat (None: all chats) past everything sent so far."""
        for cid in [chat_id] if chat_id is not None else list(self._sent):
            self._cursors[cid] = len(self._sent.get(cid, []))

    async def wait_until(
        self, predicate: Callable[[], bool], timeout: float = 5.0, what: str = "the condition"
    ) -> None:
        """Wait until `predicate()` holds; it is re-checked after every emulator event."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def wait_for_messages(
        self, chat_id: int, count: int = 1, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Wait for at least `count` messages after the read cursor; return all new ones."""
        start = self._cursors.get(chat_id, 0)
        try:
            await self.wait_until(
                lambda: len(self._sent.get(chat_id, [])) - start >= count, timeout
            )
        except TimeoutError:
            got = [m.text for m in self._sent.get(chat_id, [])[start:]]
            raise TimeoutError(
                f"expected {count} new message(s) in chat {chat_id} within {timeout}s, "
                f"got {len(got)}: {got!r}"
            ) from None
        return self.new_messages(chat_id)

    async def wait_idle(self, quiet: float = 0.3, timeout: float = 5.0) -> None:
        """Return once every queued update was handed out and the bot made no request
        (getUpdates aside) for `quiet` seconds; TimeoutError if that takes over `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            busy = self._busy > 0 or self._undelivered() > 0
            idle_for = now - self._last_activity
            if not busy and idle_for >= quiet:
                return
            remaining = deadline - now
            if remaining <= 0:
                raise TimeoutError(
                    f"bot not idle after {timeout}s: {self._busy} request(s) in flight, "
                    f"{self._undelivered()} update(s) not fetched"
                )
            changed = self._changed
            pause = remaining if busy else min(remaining, quiet - idle_for)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), pause)

    def callback_answers(self, user_id: int | None = None) -> list[CallbackAnswer]:
        return [a for a in self._answers if user_id is None or a.user_id == user_id]

    def unanswered_callbacks(self) -> list[str]:
        """Callback query ids the bot never answered (the user's spinner keeps spinning)."""
        return list(self._open_queries)

    def chat_actions(self, chat_id: int) -> list[str]:
        return [a.action for a in self._actions if a.chat_id == chat_id]

    def calls(self, method: str) -> list[RequestRecord]:
        """Logged requests for one method (case-insensitive), e.g. calls("sendMessage")."""
        return [r for r in self.requests if r.method.lower() == method.lower()]

    def file(self, file_id: str) -> StoredFile:
        return self._files[file_id]


__all__ = [
    "ApiError",
    "BotApiEmulator",
    "Button",
    "CallbackAnswer",
    "EmulatedUser",
    "Fault",
    "RequestRecord",
    "SentMessage",
    "StoredFile",
]
