"""Builds the PTB Application of each channel: handlers in one deliberate order, persistence,
rate limits, errors.

Telegram and Zalo each get an Application with the very same handlers; Zalo's differs only in its
request class (`bot.channels.zalo_request`), which speaks the Zalo Bot API underneath. One of them
(`primary`) runs the scheduled jobs, and its reminders' sender is handed every channel's bot.
Also the start/stop helpers shared by `chibo run`, `chibo try` and the end-to-end tests, so all
three drive the very same Applications.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from telegram import BotCommand, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot.channels.leader_polls import LeaderOnlyPolls
from bot.channels.zalo_request import ZaloRequest
from bot.config import Settings
from bot.domain.channels import TELEGRAM, ZALO
from bot.domain.errors import DomainError
from bot.handlers import (
    admission,
    candidate_report,
    candidate_update,
    flow,
    invites,
    meetings,
    membership,
    onboarding,
    quotas,
    reminder_settings,
    report,
    status,
)
from bot.handlers.common import error_text, reply
from bot.handlers.durable import DurableReplies
from bot.handlers.menu import refresh_menus
from bot.handlers.resilience import ResilientRateLimiter, is_message_gone, is_routine
from bot.handlers.runtime import ChiboApplication, ChiboContext
from bot.handlers.update_parsing import ParseSafeRequest
from bot.jobs.schedule import register_jobs
from bot.logging_setup import register_secret
from bot.runtime import Runtime
from bot.store.persistence import DatabasePersistence
from bot.texts import t

log = logging.getLogger(__name__)


def register_handlers(app: Application) -> None:  # type: ignore[type-arg]
    """Every handler, in order. Within group 0 the first match wins, so fallbacks come last."""
    onboarding.register(app)  # the gate (group -10), /start, /trogiup
    flow.register(app)  # group -5: one conversation at a time
    # Conversations before plain commands: inside a flow, its own handlers must see the update.
    candidate_report.register(app)  # /ungvien
    candidate_update.register(app)  # /capnhat
    admission.register(app)  # /ketnap
    meetings.register(app)  # /sinhhoat
    reminder_settings.register(app)  # /nhacnho, reminder buttons; its go: pointers after the flows
    invites.register(app)  # /moi: the admin invites people from chat
    membership.register(app)  # /dangvien: a member transferred in, or leaving
    quotas.register(app)  # /chitieu: the admin sets the plan's quotas
    status.register(app)  # /tiendo, /tonghop
    report.register(app)  # /baocao
    flow.register_fallbacks(app)  # /huy with nothing to cancel
    onboarding.register_fallbacks(app)  # unknown commands, stray text, stale buttons: last


async def on_error(update: object, context: ChiboContext) -> None:
    """Domain refusals become their Vietnamese text; anything else is logged and apologised for."""
    error = context.error
    if not isinstance(update, Update):
        log.error("error outside an update: %r", error, exc_info=error)
        return
    lang = context.runtime.lang
    if isinstance(error, DomainError):
        text = error_text(error, lang)
    elif isinstance(error, Forbidden):  # the user blocked the bot: nobody to tell
        log.info("user %s blocked the bot", update.effective_user and update.effective_user.id)
        return
    elif is_message_gone(error):  # a button on a message that cannot be edited any more
        log.info("update %s: the message to edit is gone", update.update_id)
        text = t("error.message_gone", lang)
    elif is_routine(error):  # a double tap, a press from before downtime: nothing went wrong
        log.info("update %s: %s", update.update_id, type(error).__name__)
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        return
    elif isinstance(error, SQLAlchemyError):
        # The statement's bound parameters hold names and dates: log the kind of failure only.
        log.error("update %s failed in the database: %s", update.update_id, describe_db_error(error))
        text = t("error.unexpected", lang)
    else:
        log.error("update %s failed: %r", update.update_id, error, exc_info=error)
        text = t("error.unexpected", lang)
    try:
        if update.callback_query is not None:
            with contextlib.suppress(BadRequest):  # already answered by the failing step
                await update.callback_query.answer()
        await reply(update, context, text)
    except TelegramError as exc:  # Telegram is what failed: nobody to tell right now
        log.warning("could not tell the user about the error: %s", type(exc).__name__)


def describe_db_error(error: SQLAlchemyError) -> str:
    """The failure without its data: the exception types and the SQL with placeholders."""
    origin = getattr(error, "orig", None)
    statement = getattr(error, "statement", None) or ""
    return f"{type(error).__name__}({type(origin).__name__ if origin else ''}) in {statement[:200]!r}"


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    """Strangers see /start only; registered users see their role's menu (`_after_start`)."""
    lang = app.runtime.lang  # type: ignore[attr-defined]
    await app.bot.set_my_commands([BotCommand("start", t("cmd.start", lang))])


MENU_TASK = "refresh-menus"  # bot_data key of the start-up menu refresh


def _after_start(app: Application) -> None:  # type: ignore[type-arg]
    # A plain task, not app.create_task: PTB's stop() waits for those, and a paced refresh of
    # thousands of menus must not hold up a stop; `stop` cancels it (the next start resumes it).
    app.bot_data[MENU_TASK] = asyncio.create_task(_refresh_menus(app), name=MENU_TASK)


async def _refresh_menus(app: Application) -> None:  # type: ignore[type-arg]
    """In the background: only menus that changed since they were last set, paced."""
    runtime: Runtime = app.runtime  # type: ignore[attr-defined]
    try:
        sent = await refresh_menus(app.bot, runtime, app.channel)  # type: ignore[attr-defined]
    except Exception as exc:  # the menus wait for the next start; the bot runs on without them
        log.warning("command menus not refreshed: %s", type(exc).__name__)
        return
    if sent:
        log.info("command menus refreshed for %d user(s)", sent)


def build_application(
    runtime: Runtime, token: str, *, channel: str = TELEGRAM, base_url: str | None = None,
    base_file_url: str | None = None, schedule_jobs: bool = True,
) -> ChiboApplication:
    """One channel's Application. `schedule_jobs`: this one runs the sweeps and the sender."""
    settings = runtime.settings
    register_secret(token)  # from here on, no log line can carry it
    builder = (
        ApplicationBuilder()
        .application_class(ChiboApplication, kwargs={"runtime": runtime, "channel": channel})
        .token(token)
        .context_types(ContextTypes(context=ChiboContext))
        .defaults(Defaults(tzinfo=settings.tz))
        .persistence(DatabasePersistence(
            # A minute's grace: a restart right after the last answer must not lose the flow.
            runtime.db, conversations_expire_after=timedelta(seconds=runtime.idle_seconds + 60),
            clock=runtime.clock, channel=channel))
        .post_init(_post_init)
    )
    if channel == ZALO:
        # Zalo's wire under PTB. No AIORateLimiter: it would take Zalo's string chat ids for
        # groups (20 messages a minute); pushes are paced by the sender, 429s honoured there.
        # One request object for polling and sending: a press read from getUpdates must be known
        # when its toast is answered (its chat), and httpx's pool serves both at once.
        request = ZaloRequest(runtime.db, lang=runtime.lang, clock=runtime.clock)
        builder = (builder.base_url(base_url or settings.zalo.base_url)
                   .request(request).get_updates_request(LeaderOnlyPolls(request, runtime.leading))
                   .rate_limiter(DurableReplies(None)))  # replies after the state is saved
    else:
        builder = (builder.base_url(base_url or settings.telegram.base_url)
                   .base_file_url(base_file_url or settings.telegram.base_file_url)
                   # replies after the state is saved, paced; a too-late press answered as a
                   # no-op; a 429 retried up to 3 times, except the reminder sender's own
                   # (it handles them: bot.jobs.ratelimit)
                   .rate_limiter(DurableReplies(ResilientRateLimiter(max_retries=3)))
                   # PTB's own default request for getUpdates, made to skip an update it cannot
                   # parse instead of fetching the same batch forever
                   # and only while this process leads (bot.standby)
                   .get_updates_request(LeaderOnlyPolls(ParseSafeRequest(connection_pool_size=1),
                                                        runtime.leading)))
    app = builder.build()
    register_handlers(app)
    app.add_error_handler(on_error)  # type: ignore[arg-type]
    if schedule_jobs:
        register_jobs(app)
    return app  # type: ignore[return-value]


def share_bots(primary: Application, apps: Sequence[Application]) -> None:  # type: ignore[type-arg]
    """Every channel's bot, for whoever must reach a person on theirs: the primary Application's
    reminders' sender, and a handler telling someone on another channel (a replaced secretary)."""
    bots = {app.channel: app.bot for app in apps}  # type: ignore[attr-defined]
    for app in apps:
        app.runtime.bots.update(bots)  # type: ignore[attr-defined]
    primary.bot_data["channel_bots"] = bots


async def _initialize(app: Application) -> None:  # type: ignore[type-arg]
    await app.initialize()
    if app.post_init:  # run_polling() would call it; we start the pieces ourselves
        await app.post_init(app)


async def start_polling(
    app: Application, poll_interval: float = 0.0, timeout: int | None = None,  # type: ignore[type-arg]
) -> None:
    """Start without blocking (`chibo run`, `chibo try`, tests); pair with `stop`."""
    await _initialize(app)
    assert app.updater is not None
    if timeout is None:
        settings: Settings = app.runtime.settings  # type: ignore[attr-defined]
        channel_settings = settings.zalo if app.channel == ZALO else settings.telegram  # type: ignore[attr-defined]
        timeout = channel_settings.poll_timeout_seconds
        cap = app.runtime.poll_cap  # type: ignore[attr-defined]
        if cap is not None:  # a standby may take over: no poll outlives the takeover's budget
            timeout = min(timeout, cap)
    await app.updater.start_polling(poll_interval=poll_interval, timeout=timeout,
                                    allowed_updates=Update.ALL_TYPES)
    await app.start()
    _after_start(app)


async def start_webhook(app: Application, settings: Settings, secret: str) -> None:  # type: ignore[type-arg]
    """Serve Telegram's webhook calls behind a reverse proxy; PTB answers 403 without the secret."""
    wh = settings.webhook
    await _initialize(app)
    assert app.updater is not None
    await app.updater.start_webhook(
        listen=wh.listen, port=wh.port, url_path=wh.url_path, secret_token=secret,
        webhook_url=wh.public_url or None, allowed_updates=Update.ALL_TYPES,
    )
    await app.start()
    _after_start(app)


async def stop(app: Application) -> None:  # type: ignore[type-arg]
    menus: asyncio.Task[None] | None = app.bot_data.pop(MENU_TASK, None)
    if menus is not None and not menus.done():
        menus.cancel()
        await asyncio.gather(menus, return_exceptions=True)
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
