"""Zalo's webhook: one event per POST, checked by its `X-Bot-Api-Secret-Token` header, translated
into a Telegram update and queued on the Zalo Application (PTB's own webhook server expects
Telegram's header and body, so Zalo gets this small tornado server of its own).

A request without the right secret gets 403 and reaches no handler. The reply is sent once the
update is queued: a repeated delivery (same message id) is dropped by the translator.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

import tornado.web
from telegram import Update
from telegram.ext import Application

from bot.channels.zalo_request import ZaloRequest
from bot.http_server import LocalHttpServer

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_BODY = 64 * 1024  # one event; anything larger is not from Zalo


class _ZaloWebhookHandler(tornado.web.RequestHandler):
    def initialize(self, app: Application, zalo_request: ZaloRequest, secret: str) -> None:  # type: ignore[type-arg]
        self.app = app
        self.zalo = zalo_request
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("Zalo webhook call without the right secret refused")
            self._reply(403, "Forbidden")
            return
        try:
            event = json.loads(self.request.body or b"")
        except ValueError:
            self._reply(400, "Bad Request: body is not JSON")
            return
        update = await self.zalo.translate(event)
        if update is not None:
            await self.app.update_queue.put(Update.de_json(update, self.app.bot))
        self._reply(200, None)

    def _reply(self, status: int, description: str | None) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        body: dict[str, Any] = {"ok": status == 200}
        if description:
            body["description"] = description
        self.finish(json.dumps(body))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        log.error("Zalo webhook failed: %s", typ.__name__ if typ else "?", exc_info=(typ, value, tb))


def _quiet(handler: tornado.web.RequestHandler) -> None:
    log.debug("zalo webhook -> %d", handler.get_status())


class ZaloWebhookServer(LocalHttpServer):
    """Serves `POST /<url_path>` on `listen:port` for one Zalo Application."""

    def __init__(self, app: Application, *, listen: str, port: int, url_path: str, secret: str) -> None:  # type: ignore[type-arg]
        request = app.bot.request
        if not isinstance(request, ZaloRequest):
            raise TypeError("the Zalo webhook serves an Application built for Zalo")
        path = "/" + url_path.strip("/")
        web = tornado.web.Application(
            [(path, _ZaloWebhookHandler, {"app": app, "zalo_request": request, "secret": secret})],
            log_function=_quiet)
        super().__init__(web, listen=listen, port=port, path=path, max_body_size=MAX_BODY)
