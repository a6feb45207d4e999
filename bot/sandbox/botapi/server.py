"""The Bot API emulator's HTTP side: parameters as they arrive, tornado handlers that keep the token
out of logs, the server's lifecycle, injected faults and the dispatch of each call."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any, NamedTuple, Self

import tornado.httpserver
import tornado.iostream
import tornado.netutil
import tornado.web

from bot.sandbox.records import (
    ApiError,
    CallbackAnswer,
    ChatAction,
    EmulatedUser,
    Fault,
    RequestRecord,
    SentMessage,
    StoredFile,
    WebhookConfig,
)

log = logging.getLogger(__name__)

DOCUMENT_LIMIT = 50 * 1024 * 1024  # bots may upload documents up to 50 MB


class Upload(NamedTuple):
    filename: str
    body: bytes
    content_type: str | None


class Params:
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

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload]) -> None:
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


def read_params(request: Any) -> Params:
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
        name: Upload(parts[0].filename, parts[0].body, parts[0].content_type)
        for name, parts in request.files.items()
        if parts
    }
    return Params(values, uploads)



def log_request(handler: tornado.web.RequestHandler) -> None:
    # Replaces tornado's access log, which prints the request URI - and the URI holds the token.
    log.debug(
        "%s -> %d (%.1f ms)",
        getattr(handler, "api_method", "?"),
        handler.get_status(),
        1000 * handler.request.request_time(),
    )


class ApiHandler(tornado.web.RequestHandler):
    api_method = "?"

    def initialize(self, emulator: BotApiServer) -> None:
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


class FileHandler(ApiHandler):
    async def get(self, token: str, path: str) -> None:  # type: ignore[override]
        self.api_method = "file download"
        self.emulator._serve_file(self, token, path)

    post = get


class NotFoundHandler(tornado.web.RequestHandler):
    def prepare(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "application/json")
        self.finish(ApiError(404, "Not Found").payload())

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        log.error("unhandled error", exc_info=(typ, value, tb))


Method = Callable[[Params, ApiHandler], Awaitable[Any]]



class BotApiServer:
    """The HTTP side of the emulator: every piece of state, the server's lifecycle, injected
    faults, and the dispatch of each call to the method family that serves it."""

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
        # The bot polled again since its last batch, so that batch is in its own queue by now.
        self._handed_over = True
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
        # Each family of Bot API methods adds its own (see `_methods` in the subclasses).
        self._api: dict[str, tuple[str, Method]] = {
            name.lower(): (name, method) for name, method in self._methods().items()
        }

    def _methods(self) -> dict[str, Method]:
        """The Bot API methods served, by their Bot API name."""
        return {}

    # ── lifecycle ───────────────────────────────────────────────────────────────────────

    async def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError("emulator already started")
        app = tornado.web.Application(
            [
                (r"/bot([^/]+)/([^/]+)", ApiHandler, {"emulator": self}),
                (r"/file/bot([^/]+)/(.+)", FileHandler, {"emulator": self}),
            ],
            default_handler_class=NotFoundHandler,
            log_function=log_request,
        )
        sockets = tornado.netutil.bind_sockets(self._port, self._host)
        self._port = sockets[0].getsockname()[1]  # keep the port: a restart reuses it
        self._stopping = asyncio.get_running_loop().create_future()
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=DOCUMENT_LIMIT + 2**20)
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
            if fault.chat_id is not None and str(fault.chat_id) != str(chat_id):
                continue
            wanted = fault.method.lower() if fault.method else None
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

    async def _serve_api(self, handler: ApiHandler, token: str, method: str) -> None:
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
            params = read_params(handler.request)
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

    def _serve_file(self, handler: ApiHandler, token: str, path: str) -> None:
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


    def calls(self, method: str) -> list[RequestRecord]:
        """Logged requests for one method (case-insensitive), e.g. calls("sendMessage")."""
        return [r for r in self.requests if r.method.lower() == method.lower()]
