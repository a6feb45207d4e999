"""A small tornado HTTP server on a local port behind the reverse proxy: what chibo's own web
endpoints (the Zalo webhook, the report file links) share — binding (port 0 picks a free one),
stopping, and the local URL they answer on."""

from __future__ import annotations

import tornado.httpserver
import tornado.netutil
import tornado.web


class LocalHttpServer:
    def __init__(self, web: tornado.web.Application, *, listen: str, port: int, path: str,
                 max_body_size: int | None = None) -> None:
        self.listen, self.port, self.path = listen, port, path
        self._server = tornado.httpserver.HTTPServer(web, max_body_size=max_body_size)

    async def start(self) -> None:
        sockets = tornado.netutil.bind_sockets(self.port, self.listen)
        self.port = sockets[0].getsockname()[1]
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        self._server.stop()
        await self._server.close_all_connections()

    @property
    def url(self) -> str:
        return f"http://{self.listen}:{self.port}{self.path}"
