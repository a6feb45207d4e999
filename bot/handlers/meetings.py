"""/sinhhoat: a secretary reports a cell meeting with its attendance."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Not built yet."""
