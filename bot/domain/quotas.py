"""Quotas and how far a cell or the ward has come, as Vietnamese reports phrase it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from bot.domain.cells import CellKind
from bot.domain.stages import Stage


class QuotaDefaults(Protocol):
    residential: int
    agency: int
    school: int
    unit: int
    enterprise: int


def counted_stage(count_by: str) -> Stage:
    """The step whose date puts an admission in a year's quota (config `quotas.count_by`)."""
    return Stage.CEREMONY if count_by == "ceremony" else Stage.DECISION


def cell_quota(kind: CellKind, own_quota: int | None, defaults: QuotaDefaults) -> int:
    """The cell's own quota when it has one, else its kind's default."""
    return own_quota if own_quota is not None else int(getattr(defaults, kind.value))


@dataclass(frozen=True)
class Progress:
    """Admitted against a quota: "đạt 104,65 %" and "vượt 4,65 %" come from here."""

    admitted: int
    quota: int

    @property
    def percent(self) -> Decimal | None:
        """Percent of the quota reached (two decimals), None when no quota was set."""
        if self.quota <= 0:
            return None
        return (Decimal(self.admitted) * 100 / Decimal(self.quota)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def exceeded_by(self) -> Decimal | None:
        """Percent above the quota when exceeded ("vượt"), else None."""
        p = self.percent
        return p - 100 if p is not None and p > 100 else None

    @property
    def missing(self) -> int:
        return max(0, self.quota - self.admitted)

    @property
    def behind(self) -> bool:
        return self.admitted < self.quota


def compare_to_last_year(admitted: int, last_year: int) -> Decimal | None:
    """This year as a percent of the same period last year ("bằng 375 % cùng kỳ")."""
    if last_year <= 0:
        return None
    return (Decimal(admitted) * 100 / Decimal(last_year)).quantize(Decimal("0.01"),
                                                                   rounding=ROUND_HALF_UP)


class QuotaSource(enum.StrEnum):
    """Where a quota comes from, so reports can say who set it."""

    PLAN = "plan"  # set for that year by a committee (a CellQuota / YearQuota row): "Đảng ủy giao"
    CELL = "cell"  # the cell's standing quota from the cells import
    DEFAULT = "default"  # the kind's default from config ("theo mức mặc định")
    CELLS = "cells"  # the ward's quota, as the sum of its cells' (no ward quota set for the year)


@dataclass(frozen=True)
class Quota:
    value: int
    source: QuotaSource
    set_by: str = ""  # as typed: "Thành ủy Thái Nguyên giao", "Đảng ủy giao"


def resolve_cell_quota(
    kind: CellKind, own_quota: int | None, planned: tuple[int, str] | None, defaults: QuotaDefaults
) -> Quota:
    """The year's plan when there is one, else the cell's standing quota, else the kind's default."""
    if planned is not None:
        return Quota(planned[0], QuotaSource.PLAN, planned[1])
    if own_quota is not None:
        return Quota(own_quota, QuotaSource.CELL)
    return Quota(cell_quota(kind, None, defaults), QuotaSource.DEFAULT)


def resolve_ward_quota(planned: tuple[int, str] | None, superior_name: str, cells_total: int) -> Quota:
    """The superior committee's quota for the ward when set (named after it unless the row says
    who), else the sum of the cells' quotas."""
    if planned is not None:
        set_by = planned[1] or (f"{superior_name} giao" if superior_name else "")
        return Quota(planned[0], QuotaSource.PLAN, set_by)
    return Quota(cells_total, QuotaSource.CELLS)
