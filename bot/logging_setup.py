"""Logging that never leaks the bot token or personal data.

httpx logs every request URL at INFO, and Bot API URLs contain the token; PTB logs raw updates at
DEBUG. A LogRecord factory redacts every registered secret from each record as it is created, so
no handler, formatter or third-party logger can see it, whatever level is configured.

Personal data: at DEBUG, SQLAlchemy (INFO already) and aiosqlite log every statement with its
parameters — the names people type, drafts, reminder texts, often `\\u`-escaped — and httpcore
and PTB log request bodies. Those loggers are held at a level where they say nothing of the
kind, whatever level is asked for. PTB's "… Received data was …" lines (a batch or webhook call it
could not parse) repeat the raw update even at the default level: the factory cuts that part off.
"""

from __future__ import annotations

import logging
from typing import Any

_SECRETS: set[str] = set()
_REDACTED = "[REDACTED]"
_RAW_DATA_MARK = "Received data was"  # PTB: what follows is the raw update, names and all
_installed = False

# Logger → the most it may say whatever level is configured (see the module docstring).
_DATA_LOGGERS = {
    "sqlalchemy": logging.WARNING,  # INFO is the SQL with its bound parameters
    "aiosqlite": logging.INFO,  # DEBUG is every call with its parameters
    "asyncpg": logging.INFO,
    "httpcore": logging.INFO,  # DEBUG traces requests
    "hpack": logging.INFO,
    "telegram": logging.INFO,  # DEBUG is whole updates and request parameters
    "tornado": logging.INFO,  # the local emulator's server
}


def register_secret(secret: str | None) -> None:
    """From now on, `secret` is replaced by [REDACTED] in every log record."""
    if secret and len(secret) >= 6:
        _SECRETS.add(secret)
    _install_record_factory()


def redact(text: str) -> str:
    for secret in _SECRETS:
        if secret in text:
            text = text.replace(secret, _REDACTED)
    return text


def _install_record_factory() -> None:
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.name.startswith("telegram") and _RAW_DATA_MARK in str(record.msg):
            head = str(record.msg).split(_RAW_DATA_MARK, 1)[0]
            record.msg, record.args = f"{head}{_RAW_DATA_MARK} [withheld: personal data]", None
            if record.exc_info and record.exc_info[1] is not None:
                # The exception text may quote the data too: its type is enough to go on.
                record.msg += f" ({type(record.exc_info[1]).__name__})"
                record.exc_info, record.exc_text = None, None
        if _SECRETS:
            # Render now, so a secret inside an argument (a URL, an exception) is caught too.
            message = redact(record.getMessage())
            record.msg, record.args = message, None
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


def setup_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Request URLs carry the token; they add nothing an operator needs at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # At DEBUG, PTB logs whole updates and request parameters: names, dates, reminder texts.
    # Personal data stays out of the logs whatever level is asked for.
    for name, floor in _DATA_LOGGERS.items():
        logging.getLogger(name).setLevel(max(logging.getLogger().level, floor))
    _install_record_factory()
