"""Inline keyboards: paged lists and small button rows. Callback data stays under Telegram's 64 bytes."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import t

T = TypeVar("T")
PAGE_SIZE = 8


def page_count(total: int, per_page: int = PAGE_SIZE) -> int:
    return max(1, math.ceil(total / per_page))


def paged_keyboard(
    items: Sequence[T], page: int, *, label: Callable[[T], str], data: Callable[[T], str],
    page_data: Callable[[int], str], lang: str, extra_rows: Sequence[Sequence[InlineKeyboardButton]] = (),
    per_page: int = PAGE_SIZE,
) -> InlineKeyboardMarkup:
    """One button per item on `page` (clamped to the valid range), then ‹ Trước / Sau › as needed."""
    pages = page_count(len(items), per_page)
    page = min(max(page, 0), pages - 1)
    chunk = items[page * per_page:(page + 1) * per_page]
    rows = [[InlineKeyboardButton(label(item)[:60], callback_data=data(item))] for item in chunk]
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(t("button.prev", lang), callback_data=page_data(page - 1)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton(t("button.next", lang), callback_data=page_data(page + 1)))
    if nav:
        rows.append(nav)
    rows.extend(list(r) for r in extra_rows)
    return InlineKeyboardMarkup(rows)


MAX_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL; anything larger is forged


def parse_int(text: str) -> int | None:
    """A non-negative number from callback data (ASCII digits only: "²".isdigit() is True), or
    None if someone sent something else."""
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if value <= MAX_ID else None
