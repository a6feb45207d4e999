"""Logging that never leaks the bot token or personal data.

httpx logs every request URL at INFO, and Bot API URLs contain the token; PTB logs raw updates at
DEBUG. A LogRecord factory redacts every registered secret from each record as it is created, so
no handler, formatter or third-party logger can see it, whatever level is configured.
"""

from __future__ import annotations

import logging
from typing import Any

_SECRETS: set[str] = set()
_REDACTED = "[REDACTED]"
_installed = False


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
    logging.getLogger("telegram").setLevel(max(logging.getLogger().level, logging.INFO))
    _install_record_factory()
