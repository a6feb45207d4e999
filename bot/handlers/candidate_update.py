"""/capnhat and /ketnap: record a candidate's next step, the admission, a drop-out or a correction."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Not built yet."""
