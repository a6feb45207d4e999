"""`chibo run`: every configured channel (Telegram, Zalo or both) in one process, on one database.

The first channel started runs the scheduled jobs (sweeps and the reminders' sender) and is
handed every channel's bot, so each reminder goes out on its recipient's own channel. Telegram
polls or serves PTB's webhook; Zalo polls or serves its own webhook (`bot.channels.zalo_webhook`).
All of it only while this process leads (`serve_while_leading`, bot.standby): a standby runs none.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from bot.app import build_application, share_bots, start_polling, start_webhook, stop
from bot.channels.zalo_webhook import ZaloWebhookServer
from bot.config import Settings
from bot.domain.channels import TELEGRAM, ZALO
from bot.fileshare import FileShareServer
from bot.handlers.runtime import ChiboApplication
from bot.runtime import Runtime
from bot.services.delivery import free_claims
from bot.standby import Leadership
from bot.startup import start_when_reachable
from bot.store.db import Database

log = logging.getLogger("chibo")


def channel_tokens(settings: Settings) -> dict[str, str]:
    """The channels this deployment serves, with their tokens (Telegram first: it runs the jobs)."""
    tokens = {TELEGRAM: settings.telegram_token(), ZALO: settings.zalo_token()}
    return {channel: token for channel, token in tokens.items() if token}


@dataclass
class Running:
    apps: list[ChiboApplication] = field(default_factory=list)
    servers: list[ZaloWebhookServer | FileShareServer] = field(default_factory=list)


async def start_channels(
    runtime: Runtime, tokens: dict[str, str], *, webhook: bool = False,
    telegram_secret: str = "", zalo_secret: str = "", base_urls: dict[str, str] | None = None,
) -> Running:
    """Build and start one Application per channel; pair with `stop_channels`."""
    running = Running()
    try:
        for index, (channel, token) in enumerate(tokens.items()):
            app = build_application(runtime, token, channel=channel, schedule_jobs=index == 0,
                                    base_url=(base_urls or {}).get(channel))
            running.apps.append(app)
        share_bots(running.apps[0], running.apps)
        running.servers += await start_file_server(runtime)
        for app in running.apps:
            if not webhook:
                await start_polling(app)
            elif app.channel == TELEGRAM:
                await start_webhook(app, runtime.settings, telegram_secret)
            else:
                running.servers.append(await start_zalo_webhook(app, runtime.settings, zalo_secret))
    except BaseException:
        await stop_channels(running)
        raise
    return running


async def start_zalo_webhook(app: ChiboApplication, settings: Settings, secret: str) -> ZaloWebhookServer:
    """Serve Zalo's webhook calls behind the reverse proxy; tell Zalo where, when a public URL is set."""
    z = settings.zalo
    server = ZaloWebhookServer(app, listen=z.webhook_listen, port=z.webhook_port,
                               url_path=z.webhook_url_path, secret=secret)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await server.start()
    if z.webhook_public_url:
        await app.bot.set_webhook(url=z.webhook_public_url, secret_token=secret)
    await app.start()
    return server


async def start_file_server(runtime: Runtime) -> list[FileShareServer]:
    """The server behind the links /baocao sends on Zalo, when a public address is configured."""
    f = runtime.settings.files
    if not f.public_url:
        return []
    server = FileShareServer(runtime.file_share, listen=f.listen, port=f.port, url_path=f.url_path)
    await server.start()
    return [server]


async def stop_channels(running: Running) -> None:
    for server in running.servers:
        await server.stop()
    for app in running.apps:
        await stop(app)


async def serve_while_leading(
    settings: Settings, db: Database, tokens: dict[str, str], leadership: Leadership,
    stopping: asyncio.Event, *, webhook: bool = False, telegram_secret: str = "", zalo_secret: str = "",
    version: str = "",
) -> None:
    """One term of leadership: free what a previous leader held, start every channel, serve until
    `stopping` is set or the lease is lost, then stop them all."""
    ended = asyncio.Event()
    watchers = [asyncio.create_task(leadership.lost()), asyncio.create_task(stopping.wait())]
    for watcher in watchers:
        watcher.add_done_callback(lambda _: ended.set())
    try:
        try:
            freed = await free_claims(db)
        except SQLAlchemyError as exc:  # they wait out their own lease instead
            log.warning("reminders held by a previous sender not freed: %s", type(exc).__name__)
        else:
            if freed:
                log.warning("%d reminder(s) held by a previous sender go back to the queue", freed)
        runtime = Runtime(settings, db, leading=leadership.leading, poll_cap=leadership.poll_cap)
        running = await start_when_reachable(
            lambda: start_channels(runtime, tokens, webhook=webhook, telegram_secret=telegram_secret,
                                   zalo_secret=zalo_secret),
            ended, settings.general.language)
        if running is None:  # stopped, or the lease lost, while the Bot API was out of reach
            return
        try:
            for app in running.apps:
                log.info("chibo %s running on %s (%s) as %s", version, app.channel,
                         "webhook" if webhook else "polling", app.bot.username)
            await ended.wait()
        finally:
            await stop_channels(running)
    finally:
        for watcher in watchers:
            watcher.cancel()
