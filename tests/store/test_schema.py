"""The schema is created by migrations and upgrading twice is harmless, on both backends."""

from sqlalchemy import inspect

from bot.store.db import Database
from bot.store.schema import current_revision, upgrade_schema


async def test_upgrade_is_idempotent_and_creates_every_table(db: Database) -> None:
    before, head = await upgrade_schema(db)
    assert before == head  # the fixture already migrated: nothing left to do
    assert await current_revision(db) == head
    async with db.engine.connect() as conn:
        tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    for expected in ("committees", "cells", "members", "candidates", "candidate_events",
                     "meetings", "meeting_absences", "users", "invites", "audit_log", "outbox"):
        assert expected in tables
