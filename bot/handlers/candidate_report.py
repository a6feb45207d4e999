"""/ungvien: a secretary reports a new candidate (quần chúng ưu tú)."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Not built yet."""
