"""A PTB request class that speaks the Zalo Bot API: the whole Zalo channel under one Application.

PTB builds Telegram Bot API calls (`sendMessage` with an inline keyboard, `editMessageText`,
`answerCallbackQuery`, `getUpdates` …); this class answers each of them the way Zalo can:

- `sendMessage` / `editMessageText`: a new Zalo message (Zalo cannot edit), buttons rendered as
  numbered choices and remembered per chat in the database, text split at 2,000 characters;
- `getUpdates`: Zalo's one-event long poll, each event translated into a Telegram update (a typed
  choice becomes a button press), repeated events (same `message_id`) dropped;
- `answerCallbackQuery` with a text (a toast on Telegram): a short message;
- menus, chat actions and deletions: what Zalo has, or nothing;
- Zalo's `{ok: false, error_code}` replies (sometimes with HTTP 200): the HTTP status PTB maps to
  its own exceptions — 429 → RetryAfter, 403 → Forbidden, 400 → BadRequest, 5xx → NetworkError —
  so the flows, the error handler and the reminders' sender need no Zalo branch.

The token is in every URL: nothing here puts a URL into an exception or a log line.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.channels import zalo_updates
from bot.channels.zalo_render import (
    inline_keyboard,
    keyboard_choices,
    keyboard_rows,
    pick,
    render,
    split_text,
)
from bot.domain.channels import ZALO
from bot.store.channel_state import (
    OfferedChoices,
    clear_choices,
    first_sighting,
    get_choices,
    prune_inbox,
    set_choices,
)
from bot.store.db import Database
from bot.texts import t

log = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER = 5  # seconds, when Zalo says 429 without saying how long
INBOX_KEEP = timedelta(days=7)  # how long handled message ids are kept to drop repeats
CALLBACKS_KEPT = 10_000  # button presses whose toast may still be answered


class ZaloFailure(Exception):
    """A Zalo refusal, as the HTTP status and Telegram-shaped body PTB turns into its exceptions."""

    def __init__(self, status: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> bytes:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return json.dumps(body).encode()


def synthetic_message_id(zalo_message_id: object) -> int:
    """An integer message id for PTB (Zalo's are strings), stable across restarts."""
    digest = hashlib.sha1(str(zalo_message_id).encode()).hexdigest()
    return int(digest[:12], 16)


def failure_from(status: int, body: Any) -> ZaloFailure:
    """What a non-ok Zalo reply means, in HTTP terms PTB understands."""
    code = status
    description = f"Zalo error {status}"
    retry_after: float | None = None
    if isinstance(body, dict):
        raw_code = body.get("error_code")
        if isinstance(raw_code, int) and not isinstance(raw_code, bool):
            code = raw_code
        if isinstance(body.get("description"), str):
            description = body["description"][:200]
        parameters = body.get("parameters")
        if isinstance(parameters, dict) and isinstance(parameters.get("retry_after"), int | float):
            retry_after = float(parameters["retry_after"])
    if code == 429:
        return ZaloFailure(429, description, retry_after or DEFAULT_RETRY_AFTER)
    if code in (400, 401, 403, 404, 408, 409):
        return ZaloFailure(code, description)
    if code >= 500 or code < 400:
        return ZaloFailure(502, description)  # PTB: NetworkError, retried by whoever called
    return ZaloFailure(400, description)


Handler = Callable[[str, dict[str, Any], float | None], Awaitable[Any]]


class ZaloRequest(BaseRequest):
    def __init__(
        self, db: Database, *, lang: str, clock: Callable[[], datetime],
        read_timeout: float = 10.0, connect_timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.db = db
        self.lang = lang
        self.clock = clock
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._client: httpx.AsyncClient | None = None
        self._transport = transport  # tests hand in httpx.MockTransport to script Zalo's answers
        self._update_ids = itertools.count(int(time.time()))
        self._callbacks: OrderedDict[str, str] = OrderedDict()  # press id → chat, for its toast
        self._handled = 0
        # chat → the message whose choices are live, as this process last wrote them (the
        # database has the truth; this mirror lets the sandbox show which choices still press).
        self.live_choices: dict[str, int] = {}
        # A Telegram edit becomes a new Zalo message: each message's newest version (bounded),
        # so the sandbox can show a message "as it is now", as Telegram's edited one would be.
        self.newest_version: OrderedDict[int, int] = OrderedDict()
        self._methods: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._send_message,  # Zalo cannot edit: the new text comes anew
            "editMessageReplyMarkup": self._drop_markup,
            "deleteMessage": self._drop_markup,  # nor delete: the message stays, its choices go
            "answerCallbackQuery": self._answer_callback,
            "sendChatAction": self._chat_action,
            "sendPhoto": self._send_photo,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._webhook_info,
            # Zalo has no command menu and nothing to close: these succeed and do nothing.
            "setMyCommands": self._nothing, "deleteMyCommands": self._nothing,
            "setMyDescription": self._nothing, "setMyShortDescription": self._nothing,
            "setChatMenuButton": self._nothing, "close": self._nothing, "logOut": self._nothing,
            "getMyCommands": self._no_commands,
        }

    # --- BaseRequest ----------------------------------------------------------------------------
    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._client is None:
            self._client = httpx.AsyncClient(transport=self._transport, timeout=httpx.Timeout(
                self._read_timeout, connect=self._connect_timeout))

    async def shutdown(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None,
        read_timeout: Any = None, write_timeout: Any = None, connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        base, _, api_method = url.rpartition("/")
        handler = self._methods.get(api_method)
        if handler is None:
            return 400, ZaloFailure(400, f"Bad Request: {api_method} is not available on Zalo").payload()
        if request_data is not None and request_data.contains_files:
            return 400, ZaloFailure(400, "Bad Request: Zalo takes files by URL only").payload()
        params = dict(request_data.parameters) if request_data is not None else {}
        timeout = read_timeout if isinstance(read_timeout, int | float) else None
        try:
            result = await handler(base, params, timeout)
        except ZaloFailure as failure:
            return failure.status, failure.payload()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # --- the wire -------------------------------------------------------------------------------
    async def call(self, base: str, method: str, payload: dict[str, Any],
                   read_timeout: float | None = None) -> Any:
        """One Zalo API call; its `result`, or ZaloFailure. Never lets the URL (the token) escape."""
        if self._client is None:
            await self.initialize()
        assert self._client is not None
        timeout = httpx.Timeout(read_timeout or self._read_timeout, connect=self._connect_timeout)
        try:
            response = await self._client.post(f"{base}/{method}", json=payload, timeout=timeout)
        except httpx.TimeoutException:
            raise TimedOut(f"Zalo {method} timed out") from None
        except httpx.HTTPError as exc:
            raise NetworkError(f"Zalo {method} failed: {type(exc).__name__}") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 500 or not isinstance(body, dict):
            raise ZaloFailure(502, f"Zalo {method}: server error {response.status_code}")
        if body.get("ok") is True:
            return body.get("result")
        raise failure_from(response.status_code, body)

    # --- incoming -------------------------------------------------------------------------------
    async def translate(self, event: Any) -> dict[str, Any] | None:
        """A Zalo event as a Telegram update, or None: malformed, or a repeat already handled."""
        if not isinstance(event, dict):
            log.warning("Zalo event skipped: not an object")
            return None
        key, chat = zalo_updates.message_key(event), zalo_updates.chat_of(event)
        if key is None or chat is None or zalo_updates.sender_of(event) is None:
            log.warning("Zalo event skipped: no message id, chat or sender (%s)",
                        str(event.get("event_name"))[:60])
            return None
        now = self.clock()
        async with self.db.write() as session:
            if not await first_sighting(session, ZALO, key, now):
                log.info("Zalo event %s delivered again: ignored", key[:40])
                return None
            self._handled += 1
            if self._handled % 1000 == 0:
                await prune_inbox(session, now - INBOX_KEEP)
            offered = await get_choices(session, ZALO, chat["id"])
        update_id = next(self._update_ids)
        text = event["message"].get("text")
        if (offered is not None and event.get("event_name") == zalo_updates.TEXT_EVENT
                and isinstance(text, str)):
            index = pick(text, offered.choices)
            if index is not None:
                callback_id = uuid.uuid4().hex
                self._remember_press(callback_id, chat["id"])
                return zalo_updates.to_callback_update(
                    event, update_id, callback_id, offered.choices[index][1], offered.message_id,
                    offered.text, inline_keyboard(offered.rows))
        return zalo_updates.to_message_update(event, update_id, synthetic_message_id(key))

    def _remember_press(self, callback_id: str, chat_id: str) -> None:
        self._callbacks[callback_id] = chat_id
        while len(self._callbacks) > CALLBACKS_KEPT:
            self._callbacks.popitem(last=False)

    async def _get_updates(self, base: str, params: dict[str, Any], read_timeout: float | None) -> Any:
        wait = int(params.get("timeout") or 0)
        if wait <= 0:
            # PTB's last call before stopping "confirms the offset"; Zalo has no offset, and a
            # call here would take an update off the queue that nobody would handle.
            return []
        try:
            event = await self.call(base, "getUpdates", {"timeout": str(wait)}, read_timeout=wait + 10)
        except ZaloFailure as failure:
            if failure.status == 408:  # "Request timeout": nothing arrived while we waited
                return []
            raise
        update = await self.translate(event) if event else None
        return [update] if update is not None else []

    # --- outgoing -------------------------------------------------------------------------------
    async def _send_message(self, base: str, params: dict[str, Any], read_timeout: float | None) -> Any:
        chat_id = str(params.get("chat_id", ""))
        text = str(params.get("text", ""))
        rows = keyboard_rows(params.get("reply_markup"))
        choices = [choice for row in rows for choice in row]
        last: Any = None
        for piece in split_text(render(text, choices, self.lang)):
            last = await self.call(base, "sendMessage", {"chat_id": chat_id, "text": piece}, read_timeout)
        zalo_id = last.get("message_id") if isinstance(last, dict) else None
        message_id = synthetic_message_id(zalo_id or uuid.uuid4().hex)
        edited = params.get("message_id")
        if isinstance(edited, int):  # editMessageText: this new message is the edited one now
            original = next((k for k, v in self.newest_version.items() if v == edited), edited)
            self.newest_version[original] = message_id
            self.newest_version.move_to_end(original)
            while len(self.newest_version) > CALLBACKS_KEPT:
                self.newest_version.popitem(last=False)
        async with self.db.write() as session:
            if choices:
                await set_choices(session, ZALO, chat_id, OfferedChoices(message_id, text, rows),
                                  self.clock())
                self.live_choices[chat_id] = message_id
            else:  # what the person sees last has no choices: a typed number is an answer
                await clear_choices(session, ZALO, chat_id)
                self.live_choices.pop(chat_id, None)
        sent_at = last.get("date") if isinstance(last, dict) else None
        return {"message_id": message_id, "date": int(sent_at // 1000) if isinstance(sent_at, int | float)
                else int(self.clock().timestamp()), "chat": {"id": chat_id, "type": "private"}, "text": text}

    async def _drop_markup(self, base: str, params: dict[str, Any], read_timeout: float | None) -> Any:
        """A keyboard taken off (or its message deleted): its numbers no longer press anything.
        A keyboard changed: the message comes again with its new choices (Zalo cannot edit)."""
        message_id = params.get("message_id")
        chat_id = str(params.get("chat_id", ""))
        if keyboard_choices(params.get("reply_markup")):
            async with self.db.read() as session:
                offered = await get_choices(session, ZALO, chat_id)
            same = offered is not None and offered.message_id == message_id
            text = offered.text if same and offered else t("zalo.choices_again", self.lang)
            return await self._send_message(base, {**params, "text": text}, read_timeout)
        async with self.db.write() as session:
            await clear_choices(session, ZALO, chat_id,
                                message_id if isinstance(message_id, int) else None)
        if not isinstance(message_id, int) or self.live_choices.get(chat_id) == message_id:
            self.live_choices.pop(chat_id, None)
        return True

    async def _answer_callback(self, base: str, params: dict[str, Any], read_timeout: float | None) -> Any:
        """Telegram shows a toast; on Zalo a short line says the same (nothing when it has no text)."""
        text = params.get("text")
        chat_id = self._callbacks.get(str(params.get("callback_query_id", "")))
        if text and chat_id is not None:
            await self.call(base, "sendMessage", {"chat_id": chat_id, "text": str(text)}, read_timeout)
        return True

    async def _chat_action(self, base: str, params: dict[str, Any], read_timeout: float | None) -> Any:
        await self.call(base, "sendChatAction", {"chat_id": str(params.get("chat_id", "")),
                                                 "action": "typing"}, read_timeout)
        return True

    async def _send_photo(self, base: str, params: dict[str, Any], read_timeout: float | None) -> Any:
        photo = params.get("photo")
        if not isinstance(photo, str) or not photo.startswith(("https://", "http://")):
            raise ZaloFailure(400, "Bad Request: Zalo takes photos by URL only")
        payload = {"chat_id": str(params.get("chat_id", "")), "photo": photo}
        if params.get("caption"):
            payload["caption"] = str(params["caption"])
        sent = await self.call(base, "sendPhoto", payload, read_timeout)
        zalo_id = sent.get("message_id") if isinstance(sent, dict) else None
        return {"message_id": synthetic_message_id(zalo_id or uuid.uuid4().hex),
                "date": int(self.clock().timestamp()), "chat": {"id": payload["chat_id"], "type": "private"},
                "caption": payload.get("caption"),
                "photo": [{"file_id": photo, "file_unique_id": photo, "width": 1, "height": 1}]}

    # --- the bot and its webhook ----------------------------------------------------------------
    async def _get_me(self, base: str, params: dict[str, Any], read_timeout: float | None) -> Any:
        me = await self.call(base, "getMe", {}, read_timeout)
        me = me if isinstance(me, dict) else {}
        raw_id = str(me.get("id", ""))
        bot_id = int(raw_id) if raw_id.isdigit() else synthetic_message_id(raw_id)
        name = str(me.get("account_name") or me.get("display_name") or me.get("name") or "chibo")
        username = "".join(ch for ch in name if ch.isascii() and (ch.isalnum() or ch == "_")) or "chibo_zalo"
        return {"id": bot_id, "is_bot": True, "first_name": name[:64], "username": username}

    async def _set_webhook(self, base: str, params: dict[str, Any], read_timeout: float | None) -> Any:
        payload = {"url": str(params.get("url", "")), "secret_token": str(params.get("secret_token", ""))}
        await self.call(base, "setWebhook", payload, read_timeout)
        return True

    async def _delete_webhook(self, base: str, params: dict[str, Any], read_timeout: float | None) -> Any:
        await self.call(base, "deleteWebhook", {}, read_timeout)
        return True

    async def _webhook_info(self, base: str, params: dict[str, Any], read_timeout: float | None) -> Any:
        info = await self.call(base, "getWebhookInfo", {}, read_timeout)
        url = info.get("url", "") if isinstance(info, dict) else ""
        return {"url": str(url or ""), "has_custom_certificate": False, "pending_update_count": 0}

    async def _nothing(self, base: str, params: dict[str, Any], read_timeout: float | None) -> Any:
        return True

    async def _no_commands(self, base: str, params: dict[str, Any], read_timeout: float | None) -> Any:
        return []
