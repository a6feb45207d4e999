"""`chibo backup` and `chibo restore` for SQLite; PostgreSQL has its own tools, which are named.

Backup uses SQLite's online backup API: it copies the last committed state page by page while
the bot keeps running (WAL: readers never block the writer) and yields a single self-contained
file. Restore checks that the file is an intact chibo database first, keeps the current one
beside it (`….before-restore-TIMESTAMP`), then copies the backup in and upgrades its schema.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from bot.store.schema import SchemaNotCurrent, known_revisions

PAGES_PER_STEP = 1024  # between steps the bot may write; a step is a few milliseconds


class NotABackup(Exception):
    """The file is not an intact chibo database."""


def copy_database(source: Path, target: Path) -> None:
    """An online copy of `source` into the new file `target` (written beside it, then renamed)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=PAGES_PER_STEP)
            dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
            if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise NotABackup(f"{target}: the copy failed its check")
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, target)


def check_backup(path: Path) -> None:
    """Raises NotABackup (or SchemaNotCurrent for a newer chibo's file) unless `path` is an
    intact chibo database this version can restore."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise NotABackup(str(exc)) from None
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise NotABackup("damaged")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:  # not a database, or no chibo schema in it
        raise NotABackup(str(exc)) from None
    finally:
        conn.close()
    if revision is None:
        raise NotABackup("no schema revision")
    if revision[0] not in known_revisions():
        raise SchemaNotCurrent(revision[0], "")


def restore_database(backup: Path, target: Path, now: datetime) -> Path | None:
    """Copies `backup` over `target`; returns where the previous `target` was kept (if any)."""
    check_backup(backup)
    kept = None
    if target.exists():
        kept = target.with_name(f"{target.name}.before-restore-{now:%Y%m%d-%H%M%S}")
        copy_database(target, kept)
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # replaces every page of the target in one go
        finally:
            dst.close()
    finally:
        src.close()
    return kept
