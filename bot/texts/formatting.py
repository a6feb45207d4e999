"""Numbers and dates as Vietnamese reports write them: decimal comma, "đạt / vượt", dd/mm/yyyy."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bot.texts import t

MESSAGES: dict[str, dict[str, str]] = {
    "age.years": {"vi": "{years} tuổi", "en": "{years} years"},
    "age.years_months": {"vi": "{years} tuổi {months} tháng", "en": "{years} years {months} months"},
}


def format_decimal(value: float | Decimal, places: int = 2, lang: str = "vi") -> str:
    """104.65 → "104,65" in Vietnamese, "104.65" in English; trailing zeros dropped ("200")."""
    quantum = Decimal(1).scaleb(-places)
    d = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "vi" else text


def format_percent(value: float | Decimal, places: int = 2, lang: str = "vi") -> str:
    """A percentage with a space before the sign, as reports print it: "104,65 %"."""
    return f"{format_decimal(value, places, lang)} %"


def format_date(d: date, lang: str = "vi") -> str:
    return d.strftime("%d/%m/%Y") if lang == "vi" else d.isoformat()


def format_age(months: int, lang: str = "vi") -> str:
    """An age in months as people say it: 215 → "17 tuổi 11 tháng", 216 → "18 tuổi"."""
    years, rest = divmod(months, 12)
    if not rest:
        return t("age.years", lang, years=years)
    return t("age.years_months", lang, years=years, months=rest)
