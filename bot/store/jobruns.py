"""When each scheduled job last ran: read at start-up to catch up on what downtime missed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import JobRun


async def get_last_due(session: AsyncSession, name: str) -> datetime | None:
    """The due time of the job's last completed run, or None if it never ran."""
    run = await session.get(JobRun, name)
    return run.last_due_at if run else None


async def mark_run(session: AsyncSession, name: str, *, due_at: datetime, finished_at: datetime) -> None:
    """Records that the job's run due at `due_at` completed at `finished_at`."""
    row = await session.get(JobRun, name)
    if row is None:
        row = JobRun(name=name)
        session.add(row)
    row.last_due_at = due_at
    row.last_finished_at = finished_at
