"""Which ward a typed name means, among a province's wards ("Hoàng Văn Thụ" for "Đảng bộ phường
Hoàng Văn Thụ"), and the order a province reads them in (wards behind first)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.cells import fold_name

# What people leave off when they name a ward: "Đảng bộ phường Hoàng Văn Thụ" is "Hoàng Văn Thụ".
_PREFIXES = ("dang bo phuong ", "dang bo xa ", "dang bo thi tran ", "dang bo ", "phuong ", "xa ")


def _bare(folded: str) -> str:
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded.removeprefix(prefix)
    return folded


def resolve_ward(name: str, known: Iterable[str]) -> str | None:
    """The stored ward name that `name` means: the same name, else the same folded, else without
    "Đảng bộ phường" on either side. Each looser step must match exactly one ward."""
    names = set(known)
    if name in names:
        return name
    wanted = fold_name(name)
    if not wanted:
        return None
    same = [stored for stored in names if fold_name(stored) == wanted]
    if same:
        return same[0] if len(same) == 1 else None
    short = [stored for stored in names if _bare(fold_name(stored)) == _bare(wanted)]
    return short[0] if len(short) == 1 else None


def behind_first(rate: float | None, name_key: tuple[object, ...]) -> tuple[object, ...]:
    """Sort key for a province's wards: the lowest share of its quota reached first (a ward
    without a quota last), then by name."""
    return (rate is None, rate if rate is not None else 0.0, name_key)
