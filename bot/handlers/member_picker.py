"""The cell's member list as a question: a page of names at a time, narrowed by typing part of a
name. /sinhhoat picks the absentees with it (several, each marked ✅), /ungvien the helping member,
/capnhat the introducing members.

The search keeps tone marks as typed ("Hùng" never picks Hưng; bot.domain.name_search) and says when
it found only near matches. A long list asks for part of a name first: paging 121 members eight at
a time is 16 pages; paging stays one button away.

Button data is the flow's prefix and the member id ("sh:t:42", "uv:h:42"); the flows accept an id
only when it is on the list they offer.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.members import MemberInfo
from bot.domain.name_search import search_names
from bot.handlers.keyboards import PAGE_SIZE, page_count, paged_keyboard
from bot.texts import t

# Above three pages of names, typing part of a name is quicker than paging: ask for it first.
SEARCH_FIRST_ABOVE = 3 * PAGE_SIZE


@dataclass(frozen=True)
class MemberPage:
    shown: list[MemberInfo]  # the members matching the search, all of them on every page
    page: int  # the page asked for, within range
    pages: int
    markup: InlineKeyboardMarkup
    near: bool = False  # the search found only names that differ in tone marks
    search_first: bool = False  # a long list, not yet searched nor paged: only the browse button


def matching(members: Sequence[MemberInfo], query: str) -> list[MemberInfo]:
    """The members whose name fits the typed words, tone marks first (everyone for an empty search)."""
    return search_names(members, query, lambda m: m.full_name).items


def near_only(members: Sequence[MemberInfo], query: str) -> bool:
    """Does the search find only names that differ from the typed ones in tone marks?"""
    return search_names(members, query, lambda m: m.full_name).near


def search_first(members: Sequence[MemberInfo], query: str, browse: bool) -> bool:
    """A list long enough that the question asks to type part of a name before paging."""
    return not query and not browse and len(members) > SEARCH_FIRST_ABOVE


def member_page(
    members: Sequence[MemberInfo], *, query: str, page: int, pick: str, turn: str, lang: str,
    marked: Collection[int] = (), extra_rows: Sequence[Sequence[InlineKeyboardButton]] = (),
    browse: bool = True,
) -> MemberPage:
    """Page `page` of the members matching `query`: a button per member (data `pick` + id, ✅ when
    in `marked`), ‹ Trước / Sau › (data `turn` + page), then the flow's own `extra_rows`.
    With `browse` False and a long list not searched: only the members in `marked` and a
    "Xem cả danh sách" button (data `turn` + "0"; the flow then pages with `browse` True)."""
    found = search_names(members, query, lambda m: m.full_name)
    shown = found.items
    if search_first(members, query, browse):
        pages = page_count(len(shown))
        kept = [m for m in shown if m.id in marked]
        rows = [[InlineKeyboardButton("✅ " + m.full_name[:57], callback_data=f"{pick}{m.id}")] for m in kept]
        browse_label = t("picker.button.browse", lang, pages=pages)
        rows.append([InlineKeyboardButton(browse_label, callback_data=f"{turn}0")])
        rows.extend(list(r) for r in extra_rows)
        return MemberPage(shown, 0, pages, InlineKeyboardMarkup(rows), search_first=True)
    pages = page_count(len(shown))
    page = min(max(page, 0), pages - 1)
    markup = paged_keyboard(
        shown, page, label=lambda m: ("✅ " if m.id in marked else "") + m.full_name,
        data=lambda m: f"{pick}{m.id}", page_data=lambda p: f"{turn}{p}", lang=lang, extra_rows=extra_rows,
    )
    return MemberPage(shown, page, pages, markup, near=found.near)
