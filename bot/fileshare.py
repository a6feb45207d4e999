"""Files the bot serves itself, at unguessable links that expire (for Zalo, which takes pictures
and files only by URL).

`FileShare` keeps each file in memory under a random token (32 bytes from `secrets`) until its
link expires (`files.link_hours`, 24 h by default); `FileShareServer` answers
`GET /<url_path>/<token>/<name>` with the file, 410 once expired and 404 for a token it never
issued. Links do not survive a restart of the bot: they are short-lived by design, and a new
`/baocao` makes new ones. The clock is injected, so tests expire a link without waiting.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

import tornado.web

from bot.http_server import LocalHttpServer

log = logging.getLogger(__name__)
MAX_FILES = 500  # oldest links go first beyond this (each /baocao adds four)


@dataclass(frozen=True)
class SharedFile:
    name: str
    data: bytes
    mime: str
    expires_at: datetime


class FileShare:
    """Tokens → files, each until its expiry. `public_url` is where the server is reached from
    outside (empty: nothing can be shared)."""

    def __init__(self, clock: Callable[[], datetime], ttl: timedelta, public_url: str = "") -> None:
        self.clock = clock
        self.ttl = ttl
        self.public_url = public_url.rstrip("/")
        self._files: dict[str, SharedFile] = {}

    def share(self, name: str, data: bytes, mime: str) -> tuple[str, datetime]:
        """The link to a new copy of the file, and when it stops working."""
        if not self.public_url:
            raise RuntimeError("files.public_url is not set: nothing can be shared")
        now = self.clock()
        self._forget_expired(now)
        while len(self._files) >= MAX_FILES:
            self._files.pop(next(iter(self._files)))
        token = secrets.token_urlsafe(32)
        expires = now + self.ttl
        self._files[token] = SharedFile(name, data, mime, expires)
        return f"{self.public_url}/{token}/{quote(name)}", expires

    def lookup(self, token: str) -> SharedFile | bool | None:
        """The file; False when the link has expired; None for a token never issued."""
        found = self._files.get(token)
        if found is None:
            return None
        if self.clock() >= found.expires_at:
            del self._files[token]
            return False
        return found

    def _forget_expired(self, now: datetime) -> None:
        for token in [k for k, f in self._files.items() if now >= f.expires_at]:
            del self._files[token]


class _FileHandler(tornado.web.RequestHandler):
    def initialize(self, share: FileShare) -> None:
        self.share = share

    def get(self, token: str, name: str) -> None:
        found = self.share.lookup(token)
        if found is False:
            self._refuse(410, "Liên kết đã hết hạn. Đồng chí gõ lại /baocao để nhận liên kết mới.")
            return
        if found is None or not isinstance(found, SharedFile):
            self._refuse(404, "Không có tệp này.")
            return
        self.set_header("Content-Type", found.mime)
        self.set_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote(found.name)}")
        self.set_header("Cache-Control", "private, no-store")
        self.set_header("X-Robots-Tag", "noindex")
        self.finish(found.data)

    def _refuse(self, status: int, text: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(text)


def _quiet(handler: tornado.web.RequestHandler) -> None:
    # The path holds the token: it is a password until it expires, so it is never logged.
    log.debug("file link -> %d", handler.get_status())


class FileShareServer(LocalHttpServer):
    """Serves a FileShare on `listen:port` under `/<url_path>/`."""

    def __init__(self, share: FileShare, *, listen: str, port: int, url_path: str) -> None:
        self.share = share
        path = "/" + url_path.strip("/")
        web = tornado.web.Application(
            [(path + r"/([A-Za-z0-9_\-]{20,100})/([^/]+)", _FileHandler, {"share": share})],
            log_function=_quiet)
        super().__init__(web, listen=listen, port=port, path=path)
