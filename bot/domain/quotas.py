"""Quotas and how far a cell or the ward has come, as Vietnamese reports phrase it."""

from __future__ import annotations

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
