"""Name search (issue #10, item 12): tone marks as typed first, near matches said to be near."""

from __future__ import annotations

from bot.domain.name_search import search_names
from bot.texts import t
from bot.texts.picker import near_text

NAMES = ["Nguyễn Văn Hưng", "Trần Hùng", "Lê Thị Nhung", "Phạm Hứng"]


def find(names: list[str], query: str) -> tuple[list[str], bool]:
    found = search_names(names, query, str)
    return found.items, found.near


def test_hung_with_its_marks_never_picks_hung_with_others() -> None:
    assert find(NAMES, "Hùng") == (["Trần Hùng"], False)
    assert find(NAMES, "hưng") == (["Nguyễn Văn Hưng"], False)


def test_without_any_mark_every_reading_matches_but_not_inside_a_word() -> None:
    assert find(NAMES, "hung") == (["Nguyễn Văn Hưng", "Trần Hùng", "Phạm Hứng"], False)


def test_only_a_near_match_is_flagged_and_worded_as_a_question() -> None:
    names = ["Nguyễn Văn Hưng", "Lê Thị Nhung"]
    assert find(names, "Hùng") == (["Nguyễn Văn Hưng"], True)
    assert near_text("Hùng", ["Nguyễn Văn Hưng"], "vi") == (
        "Không có «Hùng»; có «Nguyễn Văn Hưng» — có phải đồng chí này?")
    assert near_text("Hùng", ["A Hưng", "B Hứng"], "vi") == t(
        "picker.near_many", "vi", query="Hùng", names="«A Hưng», «B Hứng»")


def test_several_words_each_start_a_word_and_nobody_found_is_empty() -> None:
    assert find(NAMES, "văn hưng") == (["Nguyễn Văn Hưng"], False)
    assert find(NAMES, "Tuấn") == ([], False)
