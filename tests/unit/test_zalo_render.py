"""Zalo's rendering rules: numbered choices, words for navigation, splitting at 2,000 characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.zalo_render import (
    TEXT_LIMIT,
    keyboard_rows,
    numbered,
    pick,
    render,
    split_text,
    typed_label,
)
from bot.texts import t

CONFIRM = [("✅ Lưu", "uv:save"), ("✏️ Sửa", "uv:edit"), ("« Quay lại", "uv:back"), ("Hủy", "cancel")]
NAV = [("« Quay lại", "cn:back"), ("Hủy", "cancel")]


def test_choices_are_numbered_under_the_text_with_how_to_choose() -> None:
    assert render("Kiểm tra lại:", CONFIRM, "vi") == (
        "Kiểm tra lại:\n\n1. ✅ Lưu\n2. ✏️ Sửa\n3. « Quay lại\n4. Hủy\n" + t("zalo.choose_by_number", "vi"))


def test_navigation_alone_is_named_not_numbered_so_a_typed_number_stays_an_answer() -> None:
    assert not numbered(NAV)
    assert render("Số phiếu tán thành?", NAV, "vi") == (
        "Số phiếu tán thành?\n\n" + t("zalo.type_words", "vi", words="«Quay lại» · «Hủy»"))
    assert pick("2", NAV) is None  # "2 votes", not the second button
    assert pick("quay lai", NAV) == 0 and pick("HỦY", NAV) == 1


def test_a_number_a_label_or_its_words_presses_and_anything_else_does_not() -> None:
    assert pick("1", CONFIRM) == 0 and pick(" 4 ", CONFIRM) == 3
    assert pick("5", CONFIRM) is None and pick("0", CONFIRM) is None and pick("²", CONFIRM) is None
    assert pick("luu", CONFIRM) == 0 and pick("✅ Lưu", CONFIRM) == 0
    assert pick("/huy", CONFIRM) is None  # a command is never a button
    labels_that_are_numbers = [("2", "x:2"), ("3", "x:3")]
    assert pick("2", labels_that_are_numbers) == 0  # the label wins over the position


def test_typed_label_drops_decorations_only() -> None:
    assert typed_label("« Quay lại") == "Quay lại" and typed_label("✅ Lưu") == "Lưu"
    assert typed_label("Sau ›") == "Sau" and typed_label("Tổ 16 (2)") == "Tổ 16 (2)"


def test_keyboard_rows_keep_pressable_buttons_in_order() -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}, {"text": "web", "url": "https://x"}],
                                  [], [{"text": "B", "callback_data": "b"}]]}
    assert keyboard_rows(markup) == [[("A", "a")], [("B", "b")]]
    assert keyboard_rows(None) == [] and keyboard_rows({"inline_keyboard": "junk"}) == []


def test_a_5000_character_reply_is_cut_at_line_breaks() -> None:
    lines = [f"• Dòng {i}: " + "chữ " * 20 for i in range(60)]
    text = "\n".join(lines)
    assert len(text) > 5000
    pieces = split_text(text)
    assert len(pieces) >= 3 and all(len(p) <= TEXT_LIMIT for p in pieces)
    assert "\n".join(pieces) == text  # nothing lost, nothing cut mid-line
    assert all(p.split("\n")[0] in lines for p in pieces)


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=300), max_size=40))
def test_split_never_exceeds_the_limit_and_keeps_every_line(lines: list[str]) -> None:
    text = "\n".join(lines)
    pieces = split_text(text, limit=500)
    assert all(len(p) <= 500 for p in pieces)
    assert "\n".join(pieces) == text


def test_a_line_longer_than_a_message_is_cut_at_spaces() -> None:
    line = "từ " * 1000
    pieces = split_text(line.strip(), limit=100)
    assert all(len(p) <= 100 for p in pieces) and " ".join(pieces) == line.strip()
