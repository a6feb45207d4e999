"""Words of the member picker (absentees in /sinhhoat, introducers in /capnhat): the long list that
asks for part of a name first, and a search that found only names differing in tone marks."""

from __future__ import annotations

from collections.abc import Sequence

from bot.texts import t

MESSAGES: dict[str, dict[str, str]] = {
    "picker.button.browse": {"vi": "📜 Xem cả danh sách ({pages} trang)",
                             "en": "📜 Browse the whole list ({pages} pages)"},
    "picker.search_first": {
        "vi": "Danh sách có {count} đồng chí. Đồng chí gõ một phần họ tên để tìm cho nhanh, ví dụ: "
              "{example} — hoặc bấm «Xem cả danh sách» để lật từng trang.",
        "en": "The list has {count} members. Type part of a name to find someone quickly, e.g. "
              "{example} — or press «Browse the whole list» to page through it.",
    },
    "picker.near_one": {
        "vi": "Không có «{query}»; có «{names}» — có phải đồng chí này?",
        "en": "No «{query}»; there is «{names}» — is that the one?",
    },
    "picker.near_many": {
        "vi": "Không có «{query}»; có {names} — có phải một trong các đồng chí này?",
        "en": "No «{query}»; there are {names} — is it one of them?",
    },
}

_NAMES_SHOWN = 5  # near matches named in the sentence; the buttons list them all


def near_text(query: str, names: Sequence[str], lang: str) -> str:
    """"Không có «Hùng»; có «Hưng» — có phải đồng chí này?" (several: each named, up to five)."""
    if len(names) == 1:
        return t("picker.near_one", lang, query=query, names=names[0])
    shown = ", ".join(f"«{n}»" for n in names[:_NAMES_SHOWN]) + ("…" if len(names) > _NAMES_SHOWN else "")
    return t("picker.near_many", lang, query=query, names=shown)


def search_first_text(count: int, example: str, lang: str) -> str:
    return t("picker.search_first", lang, count=count, example=example)
