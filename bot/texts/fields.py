"""The one name of each field a person fills in, whatever the flow: /ungvien's summary and its
"✏️ Sửa" buttons, /capnhat's corrections, /ketnap's summary all take their labels from here, so
"Họ và tên" is never "Họ tên" elsewhere (tests/unit/test_words.py holds the catalogue to it).

`LABELS[field]` is the label; `line(field)` the summary line "• Label: {value}"; `label_in_sentence`
the label inside a sentence ("Sửa họ và tên (đang ghi «…»)").
"""

from __future__ import annotations

from bot.texts import t

LABELS: dict[str, dict[str, str]] = {
    "full_name": {"vi": "Họ và tên", "en": "Full name"},
    "birth": {"vi": "Ngày sinh", "en": "Birth date"},
    "birth_year": {"vi": "Năm sinh", "en": "Birth year"},
    "gender": {"vi": "Giới tính", "en": "Gender"},
    "background": {"vi": "Đối tượng", "en": "Background"},
    "spotted": {"vi": "Ngày phát hiện, bồi dưỡng", "en": "Followed since"},
    "helper": {"vi": "Đảng viên giúp đỡ", "en": "Member helping"},
    "decision_number": {"vi": "Số quyết định", "en": "Decision number"},
    "decision_date": {"vi": "Ngày ký quyết định", "en": "Decision signed on"},
    "decision_received": {"vi": "Ngày chi bộ nhận quyết định", "en": "Decision received by the cell"},
    "ceremony": {"vi": "Lễ kết nạp", "en": "Admission ceremony"},
}

MESSAGES: dict[str, dict[str, str]] = {f"field.{name}": label for name, label in LABELS.items()}
MESSAGES["field.line"] = {"vi": "• {label}: {value}", "en": "• {label}: {value}"}
MESSAGES["field.edit"] = {
    "vi": "✏️ Sửa {label} (đang ghi «{old}»). {how}",
    "en": "✏️ Change the {label} (now «{old}»). {how}",
}


def line(field: str) -> dict[str, str]:
    """The catalogue entry of a summary line for `field`: "• Họ và tên: {value}"."""
    return {lang: f"• {label}: {{value}}" for lang, label in LABELS[field].items()}


def field_line(field: str, value: object, lang: str) -> str:
    """One line of a summary: "• Họ và tên: Nguyễn Thị Mai"."""
    return t("field.line", lang, label=t(f"field.{field}", lang), value=value)


def label_in_sentence(field: str, lang: str) -> str:
    """The label as a sentence carries it: "Họ và tên" → "họ và tên"."""
    label = t(f"field.{field}", lang)
    return label[:1].lower() + label[1:]


def edit_question(field: str, old: str, how: str, lang: str) -> str:
    """The question that corrects one field: "✏️ Sửa họ và tên (đang ghi «…»). <how>"."""
    return t("field.edit", lang, label=label_in_sentence(field, lang), old=old, how=how)
