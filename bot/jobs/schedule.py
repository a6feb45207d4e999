"""Registers the reminder jobs with PTB's JobQueue (APScheduler underneath).

The daily sweep and a start-up catch-up both call `run_due_sweeps`, which sweeps every scheduled
date not yet swept: a bot that was down at 08:00 sweeps as soon as it is back, and a sweep that
already ran adds nothing. The sender drains the outbox every few seconds. Job callbacks carry no
state of their own: they reload everything from the database. With a standby (bot.standby), a
leader whose lease lapsed neither sweeps nor sends.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.config import parse_hhmm
from bot.jobs.sender import Sender
from bot.runtime import Runtime
from bot.services.reminders import run_due_sweeps

log = logging.getLogger(__name__)

SWEEP_JOB, CATCH_UP_JOB, SENDER_JOB = "reminder-sweep", "reminder-catch-up", "reminder-sender"

# Jobs are not handlers: they take the runtime off the application, not through ChiboContext.
JobContext = CallbackContext[Any, Any, Any, Any]


async def sweep_job(context: JobContext) -> None:
    """Decides the reminders of every scheduled date not yet swept (idempotent)."""
    rt: Runtime = context.application.runtime  # type: ignore[attr-defined]
    if not rt.leading():  # a leader whose lease lapsed (bot.standby): the new one sweeps
        return
    results = await run_due_sweeps(rt.db, rt.settings, rt.now())
    for result in results:
        log.info("sweep %s: %d reminders decided, %d new", result.as_of, len(result.planned), result.queued)


async def sender_job(context: JobContext) -> None:
    """Delivers whatever is due in the outbox, each reminder on its recipient's channel."""
    sender: Sender = context.application.bot_data["sender"]
    # channel → bot; a process that also runs Zalo puts its bot there too.
    bots = context.application.bot_data.get("channel_bots") or {"telegram": context.bot}
    report = await sender.drain(bots)
    if report.sent or report.gave_up or report.retried:
        log.info("sender: %s", report)


def register_jobs(app: Application) -> None:  # type: ignore[type-arg]
    rt: Runtime = app.runtime  # type: ignore[attr-defined]
    settings = rt.settings
    if not settings.reminders.enabled or app.job_queue is None:
        return
    app.bot_data["sender"] = Sender(rt.db, settings, rt.clock, may_send=rt.leading)
    at = parse_hhmm(settings.reminders.sweep_time)
    assert at is not None  # validated with the config
    jq = app.job_queue
    jq.run_daily(sweep_job, time=at.replace(tzinfo=settings.tz), name=SWEEP_JOB)  # type: ignore[arg-type]
    jq.run_once(sweep_job, when=1.0, name=CATCH_UP_JOB)  # type: ignore[arg-type]
    jq.run_repeating(sender_job, interval=settings.reminders.send_interval_seconds, first=2.0,  # type: ignore[arg-type]
                     name=SENDER_JOB)
