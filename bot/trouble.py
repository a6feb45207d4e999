"""Routine trouble around `chibo`, told in one line: what is wrong and what to do.

PostgreSQL down, a folder or disk SQLite cannot use, a database from a newer chibo or from another
program, a lock held too long: none of these is a bug, so none deserves a traceback. `explain`
recognises them (walking the exception's causes: SQLAlchemy wraps the driver's error, the driver
wraps the OS's) and returns the line; anything it does not recognise is left to propagate.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterator
from pathlib import Path

from telegram.error import InvalidToken

from bot import __version__
from bot.store.schema import ForeignDatabase, SchemaNotCurrent, known_revisions
from bot.texts import t


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what SQLAlchemy wrapped (`orig`), and its causes, each once."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]
        if isinstance(current, BaseExceptionGroup):
            todo += list(current.exceptions)
        # OSError("Multiple exceptions: …") from asyncio's connect keeps no list: the text does.


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL (None for PostgreSQL or :memory:)."""
    if not url.startswith("sqlite") or url.endswith(":memory:"):
        return None
    return Path(url.split(":///", 1)[1].split("?", 1)[0].removeprefix("file:"))


def _pg_where(url: str) -> str:
    rest = url.split("://", 1)[-1].rsplit("@", 1)[-1]
    return rest.split("/", 1)[0] or "localhost"


def explain(exc: BaseException, database_url: str | None, lang: str) -> str | None:
    """The one line for `exc`, or None when it is not routine trouble (a bug keeps its traceback)."""
    chain = list(_chain(exc))
    texts = " | ".join(str(e) for e in chain).lower()
    path = sqlite_path(database_url) if database_url else None
    folder = path.parent if path else Path.cwd()

    for e in chain:
        if isinstance(e, InvalidToken):
            return t("cli.trouble.token_rejected", lang)
        if isinstance(e, SchemaNotCurrent):
            if e.found is not None and e.found not in known_revisions():
                return t("cli.trouble.newer_schema", lang, revision=e.found, version=__version__)
            return t("cli.trouble.schema_outdated", lang)
        if isinstance(e, ForeignDatabase):
            return t("cli.trouble.foreign_database", lang, path=path, tables=", ".join(e.tables[:5]))
        if type(e).__name__ == "CommandError" and "can't locate revision" in str(e).lower():
            found = re.search(r"revision identified by '([^']+)'", str(e))
            return t("cli.trouble.newer_schema", lang, revision=found.group(1) if found else "?",
                     version=__version__)
    if any(isinstance(e, OSError) and e.errno == errno.ENOSPC for e in chain) or (
            "disk is full" in texts):
        return t("cli.trouble.disk_full", lang, folder=folder)
    if any(isinstance(e, OSError) and e.errno == errno.EROFS for e in chain) or "readonly" in texts:
        return t("cli.trouble.read_only", lang, folder=folder)
    if "database is locked" in texts:
        return t("cli.trouble.locked", lang)
    if path is not None:
        if "unable to open database file" in texts:
            if not folder.is_dir():
                return t("cli.trouble.folder_missing", lang, folder=folder)
            return t("cli.trouble.read_only", lang, folder=folder)
        if "file is not a database" in texts or "malformed" in texts:
            return t("cli.trouble.not_a_database", lang, path=path)
        return None
    if database_url and database_url.startswith("postgresql"):
        return _explain_pg(chain, database_url, lang)
    return None


def _explain_pg(chain: list[BaseException], url: str, lang: str) -> str | None:
    where = _pg_where(url)
    for e in chain:
        if isinstance(e, OSError):  # refused, no such host, timed out
            reason = e.strerror or str(e) or type(e).__name__
            return t("cli.trouble.pg_unreachable", lang, where=where, reason=reason)
        if isinstance(e, TimeoutError):
            return t("cli.trouble.pg_unreachable", lang, where=where, reason="timeout")
    for e in chain:
        message = str(e).splitlines()[0] if str(e) else ""
        # The server's refusals at connect time: no such database or role, a wrong password.
        if re.search(r'(database|role) ".*" does not exist|password authentication|pg_hba.conf|'
                     r"too many (connections|clients)", message):
            return t("cli.trouble.pg_refused", lang, where=where, reason=message.split(") ")[-1])
    return None
