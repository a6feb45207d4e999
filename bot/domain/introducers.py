"""Who introduces a candidate to the Party (Điều lệ Đảng art. 4, HD 12):

- of Youth Union age (16–30 by default, `rules.youth_*_age_months`): the Đoàn base committee
  (BCH Đoàn cơ sở) AND one full member;
- outside youth age, in an agency, school, unit or enterprise cell whose unit has a trade union:
  the trade-union committee (BCH Công đoàn cơ sở) AND one full member;
- otherwise two full members.

Each introducing member must be a full (not probationary) member who has worked with the candidate
for at least `rules.introducer_known_months`. "Since when" is typed as month/year or a full date.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from bot.domain.cells import CellKind, fold_name
from bot.domain.dates import LooseDate, age_in_months
from bot.domain.eligibility import Fit, Refused, age_span, fits
from bot.domain.errors import InvalidInput


class IntroducerRules(Protocol):
    youth_min_age_months: int
    youth_max_age_months: int
    introducer_known_months: int


class IntroducerKind(enum.StrEnum):
    TWO_MEMBERS = "two_members"  # hai đảng viên chính thức
    YOUTH_UNION = "youth_union"  # BCH Đoàn cơ sở + một đảng viên chính thức
    TRADE_UNION = "trade_union"  # BCH Công đoàn cơ sở + một đảng viên chính thức


# How many full members each kind names (the organisation is the other introducer).
MEMBERS_NEEDED = {IntroducerKind.TWO_MEMBERS: 2, IntroducerKind.YOUTH_UNION: 1, IntroducerKind.TRADE_UNION: 1}

# Cells of a workplace, where a trade union may exist; a residential cell has none.
WORKPLACE_CELLS = frozenset({CellKind.AGENCY, CellKind.SCHOOL, CellKind.UNIT, CellKind.ENTERPRISE})


def allowed_kinds(birth: LooseDate, on: date, cell_kind: CellKind, rules: IntroducerRules,
                  ) -> tuple[IntroducerKind, ...]:
    """The kinds of introduction the rules allow for this candidate on `on`, the proposed one first.
    Of youth age: the youth union only. In a workplace cell: the trade union, or two members where
    the unit has no trade union (the bot cannot know; the secretary says so by the button). A birth
    year too vague to tell youth age: Refused("birth_date_needed")."""
    fit = fits(age_span(birth, on), rules.youth_min_age_months, rules.youth_max_age_months)
    if fit is Fit.UNSURE:
        raise Refused("birth_date_needed", year=birth.year, on=on.isoformat(),
                      min_months=rules.youth_min_age_months, max_months=rules.youth_max_age_months,
                      purpose="youth")
    if fit is not Fit.ABOVE:  # under 16 cannot be voted on anyway; the vote says so
        return (IntroducerKind.YOUTH_UNION,)
    if cell_kind in WORKPLACE_CELLS:
        return (IntroducerKind.TRADE_UNION, IntroducerKind.TWO_MEMBERS)
    return (IntroducerKind.TWO_MEMBERS,)


def check_kind(kind: str, birth: LooseDate, on: date, cell_kind: CellKind, rules: IntroducerRules) -> None:
    """Refuses a kind the rules do not allow for this candidate, naming the one they require."""
    allowed = allowed_kinds(birth, on, cell_kind, rules)
    if kind not in allowed:
        months = age_span(birth, on).low
        raise InvalidInput(field="introducers", reason="introducer_kind_not_allowed", kind=kind,
                           allowed=allowed[0].value, months=months,
                           youth_max_months=rules.youth_max_age_months)


# ── since when the introducer has worked with the candidate ──────────────────────────────────

@dataclass(frozen=True)
class KnownSince:
    """A month (day None) or a day since when an introducer has worked with the candidate."""

    year: int
    month: int
    day: int | None = None

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    @classmethod
    def from_iso(cls, text: str) -> KnownSince:
        parts = [int(p) for p in str(text).split("-")]
        if len(parts) not in (2, 3):
            raise InvalidInput(field="known_since", reason="known_since_format", value=str(text)[:40])
        since = cls(*parts)
        since.first_day()  # refuses an impossible month or day
        return since

    def first_day(self) -> date:
        try:
            return date(self.year, self.month, self.day or 1)
        except ValueError:
            raise InvalidInput(field="known_since", reason="known_since_format", value=self.iso()) from None


_WORDS = re.compile(r"(?i)\b(?:từ|tu|tháng|thang|ngày|ngay|năm|nam)\b\.?|\bt(?=\d)")
_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/\-.\s]\s*(\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/\-.\s]\s*(\d{1,2})\s*[/\-.\s]\s*(\d{4})$")


def parse_known_since(text: str, today: date) -> KnownSince:
    """Forgiving: "3/2024", "03-2024", "tháng 3/2024", "T3/2024", "2024-03", "15/3/2024", "từ 15/03/2024".
    A year alone is refused (asking the month): 12 months cannot be checked from a year."""
    cleaned = " ".join(_WORDS.sub(" ", text.strip()).split()).strip(" .,")
    since: KnownSince | None = None
    if m := _DAY_MONTH_YEAR.match(cleaned):
        since = KnownSince(int(m[3]), int(m[2]), int(m[1]))
    elif m := _MONTH_YEAR.match(cleaned):
        since = KnownSince(int(m[2]), int(m[1]))
    elif m := _YEAR_MONTH.match(cleaned):
        since = KnownSince(int(m[1]), int(m[2]))
    elif re.fullmatch(r"\d{4}", cleaned):
        raise InvalidInput(field="known_since", reason="known_since_year_only", value=cleaned)
    if since is None or not 1 <= since.month <= 12:
        raise InvalidInput(field="known_since", reason="known_since_format", value=text.strip()[:40])
    if since.first_day() > today:
        raise InvalidInput(field="known_since", reason="known_since_future", value=since.iso())
    if since.year < today.year - 100:
        raise InvalidInput(field="known_since", reason="known_since_format", value=text.strip()[:40])
    return since


def months_known(since: KnownSince, on: date) -> int:
    """Months worked together up to `on`: completed months from a full date; from a month alone,
    the calendar months between (03/2025 → 03/2026 is 12), as people count them."""
    if since.day is not None:
        return age_in_months(LooseDate(since.year, since.month, since.day), on)
    return (on.year - since.year) * 12 + (on.month - since.month)


def check_known(since: KnownSince, on: date, rules: IntroducerRules) -> int:
    """The months known, or a refusal when fewer than the rule (or after the introduction date)."""
    if since.first_day() > on:
        raise InvalidInput(field="known_since", reason="known_since_after_step", value=since.iso(),
                           on=on.isoformat())
    months = months_known(since, on)
    if months < rules.introducer_known_months:
        raise InvalidInput(field="known_since", reason="known_too_short", value=since.iso(), months=months,
                           required=rules.introducer_known_months, on=on.isoformat())
    return months


def clean_introduction(details: dict[str, Any], on: date, rules: IntroducerRules) -> dict[str, Any]:
    """The introduction as stored in candidate_events.details: the kind, the members' names, their
    member ids (None for a name typed that is not on the imported list), since when each worked with
    the candidate and the months that makes on `on`. Same person twice, missing or short periods
    are refused."""
    try:
        kind = IntroducerKind(str(details.get("kind")))
    except ValueError:
        raise InvalidInput(field="introducers", reason="introducers_invalid") from None
    names = [str(n) for n in details.get("introducers", [])]
    count = MEMBERS_NEEDED[kind]
    ids = list(details.get("member_ids") or [None] * len(names))
    since = list(details.get("known_since") or [])
    if len(names) != count or len(ids) != count or len({fold_name(n) for n in names}) != count:
        raise InvalidInput(field="introducers", reason="introducers_invalid")
    if len([i for i in ids if i is not None]) != len({i for i in ids if i is not None}):
        raise InvalidInput(field="introducers", reason="introducers_invalid")
    if len(since) != count:
        raise InvalidInput(field="known_since", reason="known_since_missing")
    periods = [KnownSince.from_iso(s) for s in since]
    months = [check_known(p, on, rules) for p in periods]
    return {"kind": kind.value, "introducers": names,
            "member_ids": [None if i is None else int(i) for i in ids],
            "known_since": [p.iso() for p in periods], "months_known": months}
