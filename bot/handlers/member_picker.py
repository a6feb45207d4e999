"""The cell's member list as a question: a page of names at a time, narrowed by typing part of a
name. /sinhhoat picks the absentees with it (several, each marked ✅), /ungvien the helping member.

Button data is the flow's prefix and the member id ("sh:t:42", "uv:h:42"); the flows accept an id
only when it is on the list they offer.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.cells import name_matches
from bot.domain.members import MemberInfo
from bot.handlers.keyboards import page_count, paged_keyboard


@dataclass(frozen=True)
class MemberPage:
    shown: list[MemberInfo]  # the members matching the search, all of them on every page
    page: int  # the page asked for, within range
    pages: int
    markup: InlineKeyboardMarkup


def matching(members: Sequence[MemberInfo], query: str) -> list[MemberInfo]:
    """The members whose name contains the typed words (everyone for an empty search)."""
    return [m for m in members if name_matches(query, m.full_name)] if query else list(members)


def member_page(
    members: Sequence[MemberInfo], *, query: str, page: int, pick: str, turn: str, lang: str,
    marked: Collection[int] = (), extra_rows: Sequence[Sequence[InlineKeyboardButton]] = (),
) -> MemberPage:
    """Page `page` of the members matching `query`: a button per member (data `pick` + id, ✅ when
    in `marked`), ‹ Trước / Sau › (data `turn` + page), then the flow's own `extra_rows`."""
    shown = matching(members, query)
    pages = page_count(len(shown))
    page = min(max(page, 0), pages - 1)
    markup = paged_keyboard(
        shown, page, label=lambda m: ("✅ " if m.id in marked else "") + m.full_name,
        data=lambda m: f"{pick}{m.id}", page_data=lambda p: f"{turn}{p}", lang=lang, extra_rows=extra_rows,
    )
    return MemberPage(shown, page, pages, markup)
