"""Names as people type them: searched without accents, sorted as Vietnamese readers expect."""

from __future__ import annotations

from bot.domain.cells import fold_name, name_matches, natural_key


def test_member_search_matches_word_starts_without_accents() -> None:
    assert name_matches("hung", "Nguyễn Văn Hùng") and name_matches("hung", "Trần Hưng")
    assert not name_matches("hung", "Lê Thị Nhung")
    assert name_matches("bich hoa", "Đặng Bích Hoa") and name_matches("ĐẶNG", "Đặng Bích Hoa")
    assert not name_matches("hoa bich x", "Đặng Bích Hoa")


def test_cells_sort_by_number_and_names_fold_for_matching() -> None:
    names = ["Chi bộ tổ 18", "Chi bộ tổ 8", "Chi bộ tổ 1", "Chi bộ Công an phường"]
    assert sorted(names, key=natural_key) == ["Chi bộ Công an phường", "Chi bộ tổ 1", "Chi bộ tổ 8",
                                              "Chi bộ tổ 18"]
    assert fold_name("  Đỗ   Thị  Hằng ") == "do thi hang"
