"""Command menus: whose menu needs sending at start-up, and remembering what was sent."""

from __future__ import annotations

from datetime import datetime

from bot.store.db import Database
from bot.store.menus import MenuTarget, menu_targets, remember_menu

__all__ = ["MenuTarget", "menu_sent", "menus_to_check"]


async def menus_to_check(db: Database, channel: str) -> list[MenuTarget]:
    """Every active person on `channel` with a private chat, with the signature of the menu last
    set there."""
    async with db.read() as session:
        return await menu_targets(session, channel)


async def menu_sent(db: Database, user_id: int, signature: str, now: datetime) -> None:
    async with db.write() as session:
        await remember_menu(session, user_id, signature, now)
