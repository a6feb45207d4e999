"""Kinds of party cell and the quota each kind gets when the cell itself names none."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


class CellKind(enum.StrEnum):
    """How a cell is organised; quotas differ by kind (DOMAIN.md, "Targets")."""

    RESIDENTIAL = "residential"  # chi bộ tổ dân phố
    AGENCY = "agency"  # chi bộ cơ quan
    SCHOOL = "school"  # chi bộ trường học
    UNIT = "unit"  # chi bộ đơn vị (lực lượng vũ trang, công an…)
    ENTERPRISE = "enterprise"  # chi bộ doanh nghiệp


@dataclass(frozen=True)
class CellInfo:
    id: int
    name: str
    kind: CellKind
    quota: int | None  # None: the per-kind default from config applies


def _fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics so "Tổ dân phố" and "to dan pho" compare equal."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


# What people actually type in a spreadsheet's "kind" column, folded.
_KIND_ALIASES: dict[str, CellKind] = {
    "residential": CellKind.RESIDENTIAL,
    "to dan pho": CellKind.RESIDENTIAL,
    "khu dan cu": CellKind.RESIDENTIAL,
    "dan cu": CellKind.RESIDENTIAL,
    "agency": CellKind.AGENCY,
    "co quan": CellKind.AGENCY,
    "school": CellKind.SCHOOL,
    "truong hoc": CellKind.SCHOOL,
    "truong": CellKind.SCHOOL,
    "unit": CellKind.UNIT,
    "don vi": CellKind.UNIT,
    "enterprise": CellKind.ENTERPRISE,
    "doanh nghiep": CellKind.ENTERPRISE,
}


def parse_cell_kind(text: str) -> CellKind | None:
    """The kind named by `text` (English code or Vietnamese words, with or without accents), or None."""
    return _KIND_ALIASES.get(" ".join(_fold(text).split()))


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts "tổ 2" before "tổ 10" and ignores accents and case."""
    parts = re.split(r"(\d+)", fold_name(text))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def fold_name(text: str) -> str:
    """A key for matching names typed loosely: no accents, no case, single spaces."""
    return " ".join(_fold(text).split())


def name_matches(query: str, full_name: str) -> bool:
    """Does a typed search fit a name? Each typed word must start a word of the name, ignoring
    accents and case: "hung" finds "Hùng" and "Hưng" but not "Nhung"; "bich hoa" finds
    "Đặng Bích Hoa"."""
    words = fold_name(full_name).split()
    return all(any(w.startswith(part) for w in words) for part in fold_name(query).split())


def resolve_cell(name: str, known: Iterable[str]) -> str | None:
    """The stored cell name that `name` means: the same name, else the same name folded, else
    the short form people say ("Tổ 16" for "Chi bộ tổ 16").

    Each looser step must match exactly one cell: an ambiguous name resolves to nothing rather
    than to whichever cell happens to come first.
    """
    names = set(known)
    if name in names:
        return name
    wanted = fold_name(name)
    same = [stored for stored in names if fold_name(stored) == wanted]
    if same:
        return same[0] if len(same) == 1 else None
    short = [stored for stored in names if _bare(fold_name(stored)) == _bare(wanted)]
    return short[0] if len(short) == 1 else None


def _bare(folded: str) -> str:
    """A folded cell name without its "chi bộ" prefix."""
    return folded.removeprefix("chi bo ")
