"""The words of the catalogue, checked as text: people are "đồng chí", a cell's name is never
doubled, each field has one name in every flow, and a few phrasings the Điều lệ fixes."""

from __future__ import annotations

import re
from datetime import time

import pytest

from bot.domain.roles import Role
from bot.texts import all_keys, t
from bot.texts.fields import LABELS, label_in_sentence
from bot.texts.formatting import format_age
from bot.texts.onboarding import greeting, welcome_back
from bot.texts.reminder_settings import time_in_words

VI = {key: t(key, "vi") for key in all_keys()}  # the templates, placeholders unfilled


def test_nobody_is_called_bạn() -> None:
    offenders = [key for key, text in VI.items() if re.search(r"\bbạn\b", text, re.IGNORECASE)]
    assert offenders == []


def test_the_bot_calls_itself_trợ_lý_never_tôi() -> None:
    # "Tôi chưa hiểu…" became "Trợ lý chưa hiểu…" (#10 item 9); the date refusals still said "Tôi".
    offenders = [key for key, text in VI.items() if re.search(r"\btôi\b", text, re.IGNORECASE)]
    assert offenders == []


def test_no_text_puts_chi_bộ_before_a_cell_name_that_already_has_it() -> None:
    doubled = [key for key, text in VI.items()
               if re.search(r"chi bộ\s*\{cell", text, re.IGNORECASE) or "chi bộ chi bộ" in text.casefold()]
    assert doubled == []
    assert "Chi bộ Chi bộ" not in t("replaced_notice", "vi", cell="Chi bộ tổ 16")


def test_the_ward_office_is_greeted_as_the_office() -> None:
    registered = greeting(Role.ADMIN, "Văn phòng Đảng ủy", (), "Đảng bộ phường Hoàng Văn Thụ", "vi")
    assert registered.startswith("Chào Văn phòng Đảng ủy! ")
    assert welcome_back(Role.ADMIN, "Văn phòng Đảng ủy", (), "vi") == (
        "Chào Văn phòng Đảng ủy. Gõ /trogiup để xem các lệnh.")
    # An account in a person's name says who is behind it.
    person = welcome_back(Role.ADMIN, "Lê Thu Hà", (), "vi")
    assert person.startswith("Chào Văn phòng Đảng ủy (đồng chí Lê Thu Hà).")
    for text in (registered, welcome_back(Role.ADMIN, "Văn phòng Đảng ủy", (), "vi")):
        assert "đồng chí Văn phòng" not in text and "quản trị (" not in text


@pytest.mark.parametrize(("months", "said"), [
    (215, "17 tuổi 11 tháng"), (216, "18 tuổi"), (721, "60 tuổi 1 tháng"),
])
def test_ages_are_said_in_years_and_months(months: int, said: str) -> None:
    assert format_age(months) == said


def test_absences_use_the_words_of_the_dieu_le() -> None:
    assert "xem xét, đề nghị xóa tên" in t("rm.member_absences_removal", "vi")
    assert "xem xét, đề nghị xóa tên" in t("rm.member_absences_warning", "vi")
    assert not [key for key, text in VI.items() if "ra khỏi Đảng" in text]


def test_quiet_hours_are_giờ_không_làm_phiền_everywhere() -> None:
    assert not [key for key, text in VI.items() if "yên lặng" in text]
    assert "giờ không làm phiền" in t("cmd.nhacnho", "vi")
    assert (time_in_words(time(21), "vi"), time_in_words(time(6), "vi"), time_in_words(time(0), "vi")) == (
        "21 giờ tối", "6 giờ sáng", "0 giờ (nửa đêm)")


# --- one label per field ------------------------------------------------------------------------
# How the flows' keys name the fields ("uv.line.name", "cn.field.helper_name" …).
FIELD_OF = {"name": "full_name", "full_name": "full_name", "birth": "birth", "birth_date": "birth",
            "birth_year": "birth_year", "gender": "gender", "background": "background",
            "spotted": "spotted", "helper": "helper", "helper_name": "helper",
            "decision_number": "decision_number"}
# Other names the same fields have had: none may come back as a label.
OLD_NAMES = ("Họ tên", "Thành phần", "Quyết định số", "Ngày quyết định", "Ngày phát hiện")


def _labels_used() -> dict[str, set[str]]:
    """Every label the catalogue gives a field: a "✏️ Sửa" button, a summary line "• Label: …"."""
    used: dict[str, set[str]] = {}
    for key, text in VI.items():
        kind, _, name = key.rpartition(".")
        field = FIELD_OF.get(name)
        if field is None:
            continue
        if kind.endswith(".field") or kind == "field":
            used.setdefault(field, set()).add(text)
        elif kind.endswith((".line", ".summary")) and text.startswith("• "):
            used.setdefault(field, set()).add(text[2:].split(":")[0])
    return used


def test_each_field_has_one_label_in_every_flow() -> None:
    used = _labels_used()
    assert {"full_name", "birth", "gender", "background", "helper", "decision_number"} <= set(used)
    for field, labels in used.items():
        assert labels == {LABELS[field]["vi"]}, field


def test_no_summary_line_or_correction_uses_an_old_name() -> None:
    pattern = re.compile(r"(^|\n|• )(" + "|".join(OLD_NAMES) + r")\s*(:|đang ghi)")
    assert [key for key, text in VI.items() if pattern.search(text)] == []


def test_corrections_name_the_field_by_its_label() -> None:
    for key, field in [("cn.ask_value.full_name", "full_name"), ("cn.ask_value.birth", "birth"),
                       ("cn.ask_value.gender", "gender"), ("cn.ask_value.background", "background"),
                       ("cn.ask_value.helper_name", "helper")]:
        assert VI[key].startswith(f"✏️ Sửa {label_in_sentence(field, 'vi')} (đang ghi «{{old}}»)."), key
