"""Percentages as Vietnamese ward reports phrase them."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.quotas import Progress, compare_to_last_year
from bot.texts import t
from bot.texts.formatting import format_percent
from bot.texts.status import phrase, split_message


def test_the_seed_figures() -> None:
    ward = Progress(admitted=45, quota=43)
    assert ward.percent == Decimal("104.65") and ward.exceeded_by == Decimal("4.65")
    assert phrase(ward, "vi") == "đạt 104,65 %, vượt 4,65 %"
    assert compare_to_last_year(45, 12) == Decimal("375.00")
    assert format_percent(Decimal("375.00")) == "375 %"
    to16 = Progress(admitted=2, quota=1)
    assert phrase(to16, "vi") == "đạt 200 %, vượt 100 %"


def test_behind_exact_and_no_quota() -> None:
    assert phrase(Progress(1, 2), "vi") == "đạt 50 % (còn thiếu 1)"
    assert phrase(Progress(2, 2), "vi") == "đạt 100 %"
    assert phrase(Progress(3, 0), "vi") == t("status.no_quota", "vi")
    assert phrase(Progress(1, 3), "en") == "33.33 % reached (2 to go)"
    assert compare_to_last_year(5, 0) is None


def test_long_reports_split_between_lines_only() -> None:
    lines = [f"dòng {i}: " + "x" * 90 for i in range(200)]
    chunks = split_message(lines, limit=4000)
    assert len(chunks) > 1
    assert all(len(c) <= 4000 for c in chunks)
    assert "\n".join(chunks).split("\n") == lines
