"""A generated demo ward, so the bot can be tried, shown and benchmarked without anyone's real data.

`write_demo_ward` fills an empty, migrated database with a ward shaped like the real one in
DOMAIN.md ("The seed's own figures"): Đảng bộ phường Hoàng Văn Thụ, 32 cells, about 1,700
members, 12 admissions in 2022 and 45 in 2023 against a quota of 43, and Chi bộ tổ 16 with 117
members at the end of 2022, 119 at the end of 2023 and 2 admissions in 2023 against its quota of 1.
Everything after 2023 is invented but plausible, relative to the `today` it is given, and leaves
the reminder and status features something to say (see "The story" below).

Generation is deterministic: the same seed, `today` and scale give the same rows, byte for byte
(one `random.Random(seed)`, no clock; even the `created_at` stamps derive from the dates).
The plan is built in memory first, then written with bulk INSERTs in one transaction, so
scale 10 (≈320 cells, ≈17,000 members) writes in seconds.

The story, relative to `today` (at scale 1; larger scales add random cells around it):
- behind their quota this year: Chi bộ tổ 4, 9, 13, 16 and 20 (none admitted), Chi bộ Trường
  Mầm non Tuổi Thơ (1 of 2), Chi bộ Công ty TNHH Hoàng Phát (0 of 2); cells whose planned
  admission falls after `today` are behind too, with the candidate in the pipeline (seed 2024
  on 28/11/2026: tổ 8 and tổ 19, each awaiting a decision);
- Chi bộ tổ 16 (the demo secretary's cell) has candidates spotted, on the course, with a dossier
  and one awaiting the admission decision, its ward resolution 56 working days back (the
  decision is due 60 working days after it, as domain.deadlines counts); a member whose
  probation ends in 18 days (when that admission falls in an earlier year); one member with
  3 unexcused absences this year and one with 2;
- Chi bộ tổ 9 waits for a decision already overdue (ward resolution 63 working days back);
- Chi bộ tổ 4 has a candidate whose course certificate is 57 months old (valid 60);
- Chi bộ tổ 11 has a dossier 13 months old with no cell vote (to be refreshed);
- Chi bộ Trường THCS Hoàng Văn Thụ has a decision 18 working days old and no ceremony yet;
- Chi bộ Công an phường has a member whose probation ended 12 days ago, not yet recognised;
- Chi bộ tổ 7, tổ 19 and Chi bộ Quân sự phường have not reported a meeting since the start of
  last month; the committee member in charge of Chi bộ tổ 15 has not attended for 4 months.

Demo users are Telegram identities (`DEMO_USERS`): the ward office (admin), a committee member
in charge of tổ 16 and three other cells, tổ 16's secretary, one secretary per other cell
(710000 + the cell's position) and committee members covering every other cell (720001, …).
The generator assumes the default per-kind quotas (QuotaSettings: residential 1, others 2),
which is how 21 × 1 + 11 × 2 makes the ward's 43.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import QuotaSettings
from bot.domain.candidates import Background, Gender
from bot.domain.cells import CellKind
from bot.domain.channels import sample_external_id
from bot.domain.members import MemberStatus
from bot.domain.roles import Role
from bot.domain.stages import PIPELINE, Stage, stage_index
from bot.domain.workdays import WorkCalendar, add_months
from bot.store.db import Database
from bot.store.models import (
    AuditLog,
    Candidate,
    CandidateEvent,
    Cell,
    Committee,
    CommitteeAssignment,
    Meeting,
    MeetingAbsence,
    Member,
    User,
    YearQuota,
)

# ── The ward, as the seed describes it ────────────────────────────────────────────────────────

WARD_NAME = "Đảng bộ phường Hoàng Văn Thụ"
SUPERIOR_NAME = "Thành ủy Thái Nguyên"
TO16 = "Chi bộ tổ 16"

BASE_MEMBERS = 1700
BASE_RESIDENTIAL_CELLS = 21
FIRST_YEAR = 2022  # the first year with admissions (and a YearQuota row)
ADMITTED_2022 = 12
ADMITTED_2023 = 45
TO16_MEMBERS_END_2022 = 117
TO16_ADMITTED_2023 = 2

OTHER_CELLS: tuple[tuple[str, CellKind], ...] = (
    ("Chi bộ Cơ quan phường", CellKind.AGENCY),
    ("Chi bộ Công an phường", CellKind.UNIT),
    ("Chi bộ Quân sự phường", CellKind.UNIT),
    ("Chi bộ Trạm Y tế phường", CellKind.AGENCY),
    ("Chi bộ Trường THCS Hoàng Văn Thụ", CellKind.SCHOOL),
    ("Chi bộ Trường Tiểu học Hoàng Văn Thụ", CellKind.SCHOOL),
    ("Chi bộ Trường Mầm non Tuổi Thơ", CellKind.SCHOOL),
    ("Chi bộ Ban Quản lý chợ Thái", CellKind.AGENCY),
    ("Chi bộ Công ty TNHH Hoàng Phát", CellKind.ENTERPRISE),
    ("Chi bộ Hợp tác xã Dịch vụ Hoàng Văn Thụ", CellKind.ENTERPRISE),
    ("Chi bộ Ngân hàng Chính sách xã hội phường", CellKind.AGENCY),
)
# Beyond scale 1 the extra agency-type cells are numbered copies of these.
EXTRA_CELL_TEMPLATES: tuple[tuple[str, CellKind], ...] = (
    ("Chi bộ Trường Tiểu học số {n}", CellKind.SCHOOL),
    ("Chi bộ Công ty cổ phần số {n}", CellKind.ENTERPRISE),
    ("Chi bộ Cơ quan số {n}", CellKind.AGENCY),
    ("Chi bộ Trường Mầm non số {n}", CellKind.SCHOOL),
    ("Chi bộ Đơn vị số {n}", CellKind.UNIT),
)

# This year's laggards at scale 1: how many each has admitted so far (0 = none).
BEHIND_THIS_YEAR: dict[str, int] = {
    "Chi bộ tổ 4": 0,
    "Chi bộ tổ 9": 0,
    "Chi bộ tổ 13": 0,
    TO16: 0,
    "Chi bộ tổ 20": 0,
    "Chi bộ Trường Mầm non Tuổi Thơ": 1,
    "Chi bộ Công ty TNHH Hoàng Phát": 0,
}
SILENT_CELLS = ("Chi bộ tổ 7", "Chi bộ tổ 19", "Chi bộ Quân sự phường")  # no meeting since last month
UNVISITED_CELL = "Chi bộ tổ 15"  # its committee member has not attended for 4 months
# (cell, unexcused absences this calendar year) for the members the absence warning is about.
ABSENTEES: tuple[tuple[str, int], ...] = ((TO16, 3), (TO16, 2), ("Chi bộ tổ 3", 2))
# Admissions per year after 2023, as a share of the quota (a ward that keeps roughly on target).
YEAR_PACE: dict[int, float] = {2024: 1.05, 2025: 1.02}

# ── Demo users ────────────────────────────────────────────────────────────────────────────────

DEMO_CHANNEL = "telegram"
DEMO_ADMIN_ID = 700001
DEMO_COMMITTEE_ID = 700002
DEMO_SECRETARY_ID = 700003
SECRETARY_ID_BASE = 710000  # + the cell's 1-based position, for every cell but tổ 16
COMMITTEE_ID_BASE = 720000  # + 1, 2, … for the committee members in charge of the other cells
DEMO_USERS: dict[str, int] = {
    "admin": DEMO_ADMIN_ID,
    "committee": DEMO_COMMITTEE_ID,
    "secretary": DEMO_SECRETARY_ID,
}
DEMO_DISPLAY_NAMES: dict[int, str] = {
    DEMO_ADMIN_ID: "Văn phòng Đảng ủy",
    DEMO_COMMITTEE_ID: "Nguyễn Minh Đức",
    DEMO_SECRETARY_ID: "Trần Văn Bình",  # also a member of tổ 16, as a cell secretary is
}
DEMO_COMMITTEE_CELLS = (TO16, "Chi bộ tổ 15", "Chi bộ tổ 17", "Chi bộ Trạm Y tế phường")


def demo_display_name(who: str | int) -> str:
    """The display name of a fixed demo user, by role key ("admin") or Telegram id (700001)."""
    telegram_id = DEMO_USERS[who] if isinstance(who, str) else who
    return DEMO_DISPLAY_NAMES[telegram_id]


async def get_demo_display_name(
    session: AsyncSession, telegram_id: int, channel: str = DEMO_CHANNEL
) -> str | None:
    """The display name of any demo user (the generated secretaries too), or None if unknown."""
    return await session.scalar(
        select(User.display_name).where(
            User.channel == channel, User.external_id == sample_external_id(channel, telegram_id)
        )
    )


class DemoWardError(RuntimeError):
    """The demo ward cannot be written here (the database already holds a committee)."""


@dataclass(frozen=True)
class DemoSummary:
    """What `write_demo_ward` wrote; `admitted_by_year` counts admission decisions per year."""

    cells: int
    members: int
    candidates: int
    meetings: int
    users: int
    admitted_by_year: dict[int, int]
    events: int = 0
    absences: int = 0


# ── Names ─────────────────────────────────────────────────────────────────────────────────────

# Family names with rough national frequencies (%); Nông and Ma for Thái Nguyên's Tày families.
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 36), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4),
    ("Phan", 3), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3),
    ("Dương", 1), ("Lý", 0.5), ("Đinh", 1), ("Trịnh", 0.8), ("Đào", 0.8), ("Lương", 0.6),
    ("Mai", 0.5), ("Hà", 0.6), ("Nông", 0.8), ("Ma", 0.4), ("Triệu", 0.4), ("Lưu", 0.4),
)
MIDDLE_NAMES = {
    Gender.MALE: ("Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Mạnh", "Tiến", "Công", "Thanh",
             "Ngọc", "Đình", "Trọng", "Việt"),
    Gender.FEMALE: ("Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Kim", "Thúy", "Bích",
               "Mai", "Diệu"),
}
GIVEN_NAMES = {
    Gender.MALE: ("Hùng", "Dũng", "Tuấn", "Cường", "Hải", "Thắng", "Long", "Nam", "Sơn", "Trung",
             "Quân", "Hiếu", "Bình", "Tâm", "Phong", "Khánh", "Đạt", "Hưng", "Tùng", "Việt",
             "Thành", "Kiên", "Lâm", "Duy", "Tú", "Vinh", "An", "Chiến", "Lợi", "Toàn", "Huy",
             "Quyết", "Thịnh", "Nghĩa", "Hoàng", "Phúc", "Bảo", "Đông", "Khoa", "Thái"),
    Gender.FEMALE: ("Lan", "Hương", "Hoa", "Mai", "Hà", "Hằng", "Linh", "Trang", "Thảo", "Yến",
               "Nhung", "Huyền", "Phương", "Thủy", "Hạnh", "Loan", "Dung", "Oanh", "Vân",
               "Liên", "Nga", "Hiền", "Châu", "Anh", "Giang", "Quỳnh", "Nhàn", "Thoa", "Tuyết",
               "Ngân", "My", "Duyên"),
}
DROP_REASONS = (
    "Chuyển nơi cư trú khỏi địa bàn phường",
    "Xin rút vì hoàn cảnh gia đình",
    "Đi lao động ở nước ngoài",
    "Chưa đủ điều kiện sau thẩm tra lý lịch",
    "Vi phạm chính sách dân số, chi bộ dừng xem xét",
)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class _NameBook:
    """Draws Vietnamese full names, never the same one twice (the cell's unique constraint)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def reserve(self, name: str) -> str:
        name = _nfc(name)
        self.used.add(name)
        return name

    def draw(self, rng: random.Random, gender: Gender) -> str:
        while True:
            family = rng.choices([f for f, _ in FAMILY_NAMES], [w for _, w in FAMILY_NAMES])[0]
            middle = rng.choice(MIDDLE_NAMES[gender])
            given = rng.choice(GIVEN_NAMES[gender])
            if gender is Gender.FEMALE and rng.random() < 0.2:  # "Nguyễn Thị Thu Hà" is common
                middle = f"Thị {rng.choice(MIDDLE_NAMES[gender][1:])}"
            name = _nfc(f"{family} {middle} {given}")
            if given not in middle.split() and name not in self.used:
                self.used.add(name)
                return name


# ── Calendar ──────────────────────────────────────────────────────────────────────────────────

VN_TZ = timezone(timedelta(hours=7))  # Vietnam has kept UTC+7 without DST since 1975


def _stamp(d: date, hour: int = 9) -> datetime:
    """A deterministic UTC timestamp for something done on local day `d` at `hour`."""
    return datetime(d.year, d.month, d.day, hour, tzinfo=VN_TZ).astimezone(UTC)


class _WorkCalendar:
    """The domain's working days (bot.domain.workdays), the calendar the reminders count with,
    stepped both ways and memoised: the plan asks about the same few thousand days again and
    again."""

    def __init__(self) -> None:
        self.calendar = WorkCalendar()
        self.known: dict[date, bool] = {}

    def is_working(self, d: date) -> bool:
        working = self.known.get(d)
        if working is None:
            working = self.known[d] = self.calendar.is_working_day(d)
        return working

    def shift(self, d: date, days: int) -> date:
        """`days` working days after `d` (before it when negative)."""
        step = timedelta(days=1 if days >= 0 else -1)
        for _ in range(abs(days)):
            d += step
            while not self.is_working(d):
                d += step
        return d

    def on_or_after(self, d: date) -> date:
        while not self.is_working(d):
            d += timedelta(days=1)
        return d


# ── The plan (everything decided in memory before one bulk write) ─────────────────────────────

Timeline = dict[Stage, date]


@dataclass
class _CellPlan:
    name: str
    kind: CellKind
    quota: int  # the per-kind default (the row itself keeps quota NULL)
    secretary: int = -1  # index of the secretary's member plan
    meeting_day: int = 10


@dataclass
class _MemberPlan:
    cell: int
    full_name: str
    admitted_on: date
    status: MemberStatus = MemberStatus.FULL
    left_on: date | None = None


@dataclass
class _CandidatePlan:
    cell: int
    gender: Gender
    birth: date
    birth_year_only: bool
    background: Background
    events: Timeline  # pipeline order, none after `today`
    dropped_on: date | None = None
    dropped_reason: str = ""
    full_name: str = ""
    helper: int = -1  # member plan index
    introducers: list[int] = field(default_factory=list)
    details: dict[Stage, dict[str, Any]] = field(default_factory=dict)

    @property
    def stage(self) -> Stage:
        return next(reversed(self.events))


@dataclass
class _MeetingPlan:
    cell: int
    held_on: date
    kind: str
    expected: int
    absences: list[tuple[int, bool]]  # (member plan index, excused)
    committee_attended: bool


@dataclass
class _UserPlan:
    telegram_id: int
    display_name: str
    role: Role
    cell: int | None = None
    cells: list[int] = field(default_factory=list)


@dataclass
class _WardPlan:
    cells: list[_CellPlan]
    members: list[_MemberPlan]
    candidates: list[_CandidatePlan]
    meetings: list[_MeetingPlan]
    users: list[_UserPlan]
    year_quotas: dict[int, int]

    def admitted_by_year(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for c in self.candidates:
            decided = c.events.get(Stage.DECISION)
            if decided is not None:
                counts[decided.year] = counts.get(decided.year, 0) + 1
        return dict(sorted(counts.items()))


# ── Planning: cells ───────────────────────────────────────────────────────────────────────────


def _default_quota(kind: CellKind) -> int:
    return int(getattr(QuotaSettings(), kind.value))


def _plan_cells(scale: float) -> list[_CellPlan]:
    """Residential cells "Chi bộ tổ N" first (tổ 16 always among them), then the others."""
    n_res = max(1, round(BASE_RESIDENTIAL_CELLS * scale))
    numbers = list(range(1, n_res + 1))
    if 16 not in numbers:
        numbers[-1] = 16
    named = [(f"Chi bộ tổ {n}", CellKind.RESIDENTIAL) for n in numbers]
    n_other = max(1, round(len(OTHER_CELLS) * scale))
    others = list(OTHER_CELLS[:n_other])
    for k in range(n_other - len(others)):
        template, kind = EXTRA_CELL_TEMPLATES[k % len(EXTRA_CELL_TEMPLATES)]
        others.append((template.format(n=k // len(EXTRA_CELL_TEMPLATES) + 1), kind))
    return [_CellPlan(name, kind, _default_quota(kind)) for name, kind in named + others]


# ── Planning: candidate timelines ─────────────────────────────────────────────────────────────

StepBack = Callable[[random.Random, _WorkCalendar, date], date]

# How long before a stage its predecessor happened (step back from `stage` to the one before).
_STEP_BACK: dict[Stage, StepBack] = {
    Stage.COURSE: lambda rng, cal, d: d - timedelta(days=rng.randint(45, 300)),
    Stage.DOSSIER: lambda rng, cal, d: d - timedelta(days=rng.randint(20, 150)),
    Stage.INTRODUCED: lambda rng, cal, d: d - timedelta(days=rng.randint(20, 90)),
    Stage.CELL_VOTE: lambda rng, cal, d: d - timedelta(days=rng.randint(7, 40)),
    # Cell vote to decision stays within 20–55 working days: the 60-day clock is met.
    Stage.WARD_RESOLUTION: lambda rng, cal, d: cal.shift(d, -rng.randint(5, 20)),
    Stage.DECISION: lambda rng, cal, d: cal.shift(d, -rng.randint(15, 35)),
    Stage.CEREMONY: lambda rng, cal, d: cal.shift(d, -rng.randint(5, 25)),
    Stage.FULL_MEMBER: lambda rng, cal, d: add_months(cal.shift(d, -rng.randint(3, 25)), -12),
}


def _timeline_until(
    rng: random.Random, cal: _WorkCalendar, stage: Stage, last: date,
    fixed: dict[Stage, date] | None = None,
) -> Timeline:
    """Dates for every stage up to `stage` (on `last`), stepping back; `fixed` pins some dates."""
    fixed = fixed or {}
    dates = {stage: last}
    for i in range(stage_index(stage), 0, -1):
        here, before = PIPELINE[i], PIPELINE[i - 1]
        dates[before] = fixed.get(before) or _STEP_BACK[here](rng, cal, dates[here])
    return {s: dates[s] for s in PIPELINE if s in dates}


def _admission_timeline(
    rng: random.Random, cal: _WorkCalendar, decision: date, ceremony: date | None = None
) -> Timeline:
    """A whole admission around its decision date: ceremony within 30 working days, then
    recognition a few weeks after the 12 months of probation."""
    timeline = _timeline_until(rng, cal, Stage.DECISION, decision)
    ceremony = ceremony or cal.shift(decision, rng.randint(5, 25))
    timeline[Stage.CEREMONY] = ceremony
    timeline[Stage.FULL_MEMBER] = cal.shift(add_months(ceremony, 12), rng.randint(3, 25))
    return timeline


def _until(timeline: Timeline, today: date) -> Timeline:
    return {s: d for s, d in timeline.items() if d <= today}


def _random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _decision_day(rng: random.Random, cal: _WorkCalendar, first: date, last: date) -> date:
    """A working day in [first, last] (decisions are signed in office hours)."""
    d = cal.on_or_after(_random_day(rng, first, last))
    return d if d <= last else cal.shift(last + timedelta(days=1), -1)


def _allocate(rng: random.Random, quotas: Sequence[int], total: int,
              fixed: dict[int, int]) -> list[int]:
    """Split a ward's yearly admissions over its cells: under quota, random cells (none above
    its own quota); over quota, every cell its quota plus extras, then a few cells miss while
    others make up for them."""
    counts = [0] * len(quotas)
    for i, n in fixed.items():
        counts[i] = n
    free = [i for i in range(len(quotas)) if i not in fixed]
    remaining = max(0, total - sum(fixed.values()))
    pool = [i for i in free for _ in range(quotas[i])]
    if remaining <= len(pool):
        for i in rng.sample(pool, remaining):
            counts[i] += 1
        return counts
    for i in free:
        counts[i] = quotas[i]
    for i in rng.choices(free, [quotas[i] for i in free], k=remaining - len(pool)):
        counts[i] += 1
    for _ in range(len(free) // 6):
        src, dst = rng.sample(free, 2)
        if counts[src] > 0 and counts[dst] < quotas[dst] + 2:
            counts[src] -= 1
            counts[dst] += 1
    return counts


def _admissions_per_cell(
    rng: random.Random, cells: list[_CellPlan], today: date, scale: float
) -> dict[int, list[int]]:
    """year → admissions per cell (by decision date), the current year's being the plan for the
    whole year (decisions after `today` are still in the pipeline)."""
    quotas = [c.quota for c in cells]
    to16 = next(i for i, c in enumerate(cells) if c.name == TO16)
    plan = {
        2022: _allocate(rng, quotas, round(ADMITTED_2022 * scale), {to16: 0}),
        2023: _allocate(rng, quotas, round(ADMITTED_2023 * scale), {to16: TO16_ADMITTED_2023}),
    }
    for year in range(2024, today.year):
        plan[year] = _allocate(rng, quotas, round(sum(quotas) * YEAR_PACE.get(year, 1.0)), {})
    plan[today.year] = _this_year_targets(rng, cells)
    return plan


def _this_year_targets(rng: random.Random, cells: list[_CellPlan]) -> list[int]:
    targets = []
    for cell in cells:
        if cell.name in BEHIND_THIS_YEAR:
            targets.append(BEHIND_THIS_YEAR[cell.name])
        elif cell.name not in _BASE_CELL_NAMES and rng.random() < 0.2:
            targets.append(0 if cell.quota == 1 else rng.randint(0, cell.quota - 1))
        else:
            targets.append(cell.quota + (1 if rng.random() < 0.2 else 0))
    return targets


_BASE_CELL_NAMES = frozenset(
    [f"Chi bộ tổ {n}" for n in range(1, BASE_RESIDENTIAL_CELLS + 1)]
    + [name for name, _ in OTHER_CELLS]
)


def _new_candidate(rng: random.Random, cell: int, events: Timeline) -> _CandidatePlan:
    """A candidate aged 18–44 when spotted (so 18–60 at the cell vote, as the rules require);
    the young ones mostly come from the youth union, as DOMAIN.md says."""
    gender = Gender.FEMALE if rng.random() < 0.45 else Gender.MALE
    age = rng.randint(18 * 365 + 5, 44 * 365)
    birth = events[Stage.SPOTTED] - timedelta(days=age)
    if age < 23 * 365:
        background = Background.STUDENT if rng.random() < 0.5 else Background.YOUTH_UNION
    elif age < 30 * 365:
        background = Background.YOUTH_UNION if rng.random() < 0.7 else Background.WORKER
    else:
        background = Background.WORKER if rng.random() < 0.85 else Background.OTHER
    return _CandidatePlan(cell, gender, birth, rng.random() < 0.15, background, events)


def _plan_admissions(
    rng: random.Random, cal: _WorkCalendar, cells: list[_CellPlan], today: date, scale: float
) -> list[_CandidatePlan]:
    per_year = _admissions_per_cell(rng, cells, today, scale)
    plans = []
    for year, counts in per_year.items():
        for cell, n in enumerate(counts):
            for _ in range(n):
                decision = _admission_decision_day(rng, cal, year, cells[cell].name)
                events = _until(_admission_timeline(rng, cal, decision), today)
                if events:  # an admission planned late in this year may not have begun yet
                    plans.append(_new_candidate(rng, cell, events))
    return plans


def _admission_decision_day(rng: random.Random, cal: _WorkCalendar, year: int, cell: str) -> date:
    if cell == TO16 and year == 2023:
        # Both must have had their ceremony by 31 December to make 119 members at year end.
        return _decision_day(rng, cal, date(2023, 3, 1), date(2023, 10, 15))
    return _decision_day(rng, cal, date(year, 1, 8), date(year, 12, 22))


# ── Planning: the candidates the reminders are about ─────────────────────────────────────────


def _special_timelines(
    rng: random.Random, cal: _WorkCalendar, today: date
) -> list[tuple[str, Timeline]]:
    """(cell, timeline) for the candidates whose clocks are close to `today` (module docstring)."""
    year_ago = add_months(today, -12)
    probation_soon = year_ago + timedelta(days=18)
    specials = [
        (TO16, _timeline_until(rng, cal, Stage.SPOTTED, today - timedelta(days=40))),
        (TO16, _timeline_until(rng, cal, Stage.COURSE, today - timedelta(days=75))),
        (TO16, _timeline_until(rng, cal, Stage.DOSSIER, today - timedelta(days=120))),
        # The decision is due 60 working days after the ward resolution (domain.deadlines).
        (TO16, _timeline_until(rng, cal, Stage.WARD_RESOLUTION, cal.shift(today, -56))),
        ("Chi bộ tổ 9", _timeline_until(rng, cal, Stage.WARD_RESOLUTION, cal.shift(today, -63))),
        ("Chi bộ tổ 4", _timeline_until(
            rng, cal, Stage.INTRODUCED, today - timedelta(days=30),
            {Stage.DOSSIER: today - timedelta(days=210),
             Stage.COURSE: add_months(today, -57) - timedelta(days=5)})),
        ("Chi bộ tổ 11", _timeline_until(rng, cal, Stage.DOSSIER, add_months(today, -13))),
        ("Chi bộ tổ 2", _timeline_until(rng, cal, Stage.CELL_VOTE, cal.shift(today, -6))),
        ("Chi bộ Trường THCS Hoàng Văn Thụ",
         _timeline_until(rng, cal, Stage.DECISION, cal.shift(today, -18))),
        ("Chi bộ Công an phường",
         _probation_timeline(rng, cal, year_ago - timedelta(days=12))),
    ]
    probation = _probation_timeline(rng, cal, probation_soon)
    # Tổ 16 stays behind this year: its member in probation must come from an earlier year.
    owner = TO16 if probation[Stage.DECISION].year < today.year else "Chi bộ Trạm Y tế phường"
    specials.append((owner, probation))
    return specials


def _probation_timeline(rng: random.Random, cal: _WorkCalendar, ceremony: date) -> Timeline:
    """An admission whose ceremony was on `ceremony` and whose probation is not yet recognised."""
    decision = cal.shift(ceremony, -rng.randint(5, 20))
    timeline = _admission_timeline(rng, cal, decision, ceremony)
    del timeline[Stage.FULL_MEMBER]
    return timeline


def _plan_specials(
    rng: random.Random, cal: _WorkCalendar, cells: list[_CellPlan], today: date
) -> list[_CandidatePlan]:
    index = {c.name: i for i, c in enumerate(cells)}
    plans = []
    for cell_name, timeline in _special_timelines(rng, cal, today):
        decided = timeline.get(Stage.DECISION)
        # 2022 and 2023 are the seed's exact figures: a special never adds to them.
        if cell_name in index and (decided is None or decided.year > 2023):
            plans.append(_new_candidate(rng, index[cell_name], _until(timeline, today)))
    return plans


# What a candidate still in the pipeline did last, and how many days ago at most.
_OPEN_STAGES: tuple[tuple[Stage, int, int], ...] = (
    (Stage.SPOTTED, 4, 240),
    (Stage.COURSE, 3, 200),
    (Stage.DOSSIER, 3, 300),
    (Stage.INTRODUCED, 2, 45),
)


def _plan_pipeline(
    rng: random.Random, cal: _WorkCalendar, cells: list[_CellPlan], today: date
) -> list[_CandidatePlan]:
    """Next years' admissions: 0–3 candidates per cell at the early stages (tổ 16's are fixed)."""
    plans = []
    for i, cell in enumerate(cells):
        if cell.name == TO16:
            continue
        for _ in range(rng.choices((0, 1, 2, 3), (3, 4, 2, 1))[0]):
            stage, _, max_age = rng.choices(_OPEN_STAGES, [w for _, w, _ in _OPEN_STAGES])[0]
            last = today - timedelta(days=rng.randint(3, max_age))
            plans.append(_new_candidate(rng, i, _timeline_until(rng, cal, stage, last)))
    return plans


def _plan_dropouts(
    rng: random.Random, cal: _WorkCalendar, cells: list[_CellPlan], today: date, scale: float
) -> list[_CandidatePlan]:
    """People who left the pipeline: the stage they reached is kept, with a date and a reason."""
    plans = []
    for k in range(max(1, round(4 * scale))):
        cell = rng.choice([i for i, c in enumerate(cells) if c.name != TO16] or [0])
        stage = PIPELINE[k % 5]  # spotted … cell_vote: they left before the ward decided
        last = today - timedelta(days=rng.randint(120, 500))
        plan = _new_candidate(rng, cell, _timeline_until(rng, cal, stage, last))
        plan.dropped_on = min(last + timedelta(days=rng.randint(20, 100)), today - timedelta(1))
        plan.dropped_reason = DROP_REASONS[k % len(DROP_REASONS)]
        plans.append(plan)
    return plans


# ── Planning: members, helpers, introducers ──────────────────────────────────────────────────


def _legacy_counts(
    rng: random.Random, cells: list[_CellPlan], admitted: list[int], scale: float
) -> list[int]:
    """Members admitted before 2022 per cell, so the whole ward has ≈ 1,700 × scale rows.

    Residential cells are the big ones (retired members stay in their street's cell)."""
    to16 = next(i for i, c in enumerate(cells) if c.name == TO16)
    weights = [rng.uniform(45, 95) if c.kind is CellKind.RESIDENTIAL else rng.uniform(14, 45)
               for c in cells]
    weights[to16] = 0.0
    room = round(BASE_MEMBERS * scale) - TO16_MEMBERS_END_2022 - sum(admitted)
    total = sum(weights)
    counts = [max(8, round(room * w / total)) for w in weights]
    counts[to16] = TO16_MEMBERS_END_2022  # all of them admitted before 2022, none left by 2024
    return counts


def _plan_legacy_members(
    rng: random.Random, cells: list[_CellPlan], counts: list[int], books: list[_NameBook],
    today: date,
) -> list[_MemberPlan]:
    members: list[_MemberPlan] = []
    for i, cell in enumerate(cells):
        residential = cell.kind is CellKind.RESIDENTIAL
        first = date(1965, 1, 1) if residential else date(1992, 1, 1)
        # Tổ 16 must count 117 at the end of 2022 and 2023 alike (+2 admitted): its leavers
        # left from 2024 on; elsewhere people move away or die any time since 2022.
        leave_from = date(2024, 1, 10) if cell.name == TO16 else date(2022, 1, 10)
        cell.secretary = len(members)
        for k in range(counts[i]):
            gender = Gender.FEMALE if rng.random() < 0.5 else Gender.MALE
            if cell.name == TO16 and k == 0:
                name = books[i].reserve(DEMO_DISPLAY_NAMES[DEMO_SECRETARY_ID])
            else:
                name = books[i].draw(rng, gender)
            member = _MemberPlan(i, name, _random_day(rng, first, date(2021, 12, 31)))
            if k > 0 and rng.random() < 0.025 and leave_from < today - timedelta(days=1):
                member.left_on = _random_day(rng, leave_from, today - timedelta(days=1))
            members.append(member)
    return members


def _stays(member: _MemberPlan) -> bool:
    return member.left_on is None


def _plan_new_members(
    rng: random.Random, candidates: list[_CandidatePlan], books: list[_NameBook], today: date
) -> list[_MemberPlan]:
    """Name every candidate; the ones past their ceremony are members (probationary until
    recognised), admitted on the ceremony date."""
    members = []
    for c in candidates:
        c.full_name = books[c.cell].draw(rng, c.gender)
        ceremony = c.events.get(Stage.CEREMONY)
        if ceremony is not None:
            full = Stage.FULL_MEMBER in c.events
            status = MemberStatus.FULL if full else MemberStatus.PROBATIONARY
            members.append(_MemberPlan(c.cell, c.full_name, ceremony, status))
    return members


def _assign_helpers(
    rng: random.Random, candidates: list[_CandidatePlan], members: list[_MemberPlan]
) -> None:
    """A full member helps each candidate and introduces them, with a second member or, for a
    youth-union member, with the youth union's resolution (the details bot.domain.pipeline
    accepts); the cell votes with a two-thirds majority at least."""
    by_cell: dict[int, list[int]] = {}
    for i, m in enumerate(members):
        if m.admitted_on.year < FIRST_YEAR:
            by_cell.setdefault(m.cell, []).append(i)
    for c in candidates:
        pool = [i for i in by_cell[c.cell] if _stays(members[i])]
        c.helper, other = rng.sample(pool, 2)
        if Stage.INTRODUCED in c.events:
            youth = c.background is Background.YOUTH_UNION and rng.random() < 0.6
            c.introducers = [c.helper] if youth else [c.helper, other]
            c.details[Stage.INTRODUCED] = {
                "kind": "youth_union" if youth else "two_members",
                "introducers": [members[i].full_name for i in c.introducers],
            }
        voted = c.events.get(Stage.CELL_VOTE)
        if voted is not None:
            full = len(_active(members, by_cell[c.cell], voted))
            total = max(3, round(full * rng.uniform(0.8, 0.95)))  # the full members present
            c.details[Stage.CELL_VOTE] = {
                "votes_for": total - rng.randint(0, total // 12), "votes_total": total
            }


def _number_documents(rng: random.Random, candidates: list[_CandidatePlan]) -> None:
    """Decision numbers "123-QĐ/TU" and ward resolution numbers "45-NQ/ĐU", rising in a year."""
    for stage, suffix, start, step in (
        (Stage.DECISION, "QĐ/TU", (60, 140), (3, 25)),
        (Stage.WARD_RESOLUTION, "NQ/ĐU", (5, 20), (1, 4)),
    ):
        dated = sorted((c.events[stage], k) for k, c in enumerate(candidates) if stage in c.events)
        number, year = 0, 0
        for day, k in dated:
            if day.year != year:
                number, year = rng.randint(*start), day.year
            number += rng.randint(*step)
            candidates[k].details[stage] = {"number": f"{number}-{suffix}"}


# ── Planning: meetings ────────────────────────────────────────────────────────────────────────


def _meeting_months(today: date) -> list[date]:
    """First days of the 12 months before `today`'s month, and of `today`'s month."""
    this_month = today.replace(day=1)
    return [add_months(this_month, -k) for k in range(12, -1, -1)]


def _meeting_days(rng: random.Random, cell: _CellPlan, today: date) -> list[tuple[date, str]]:
    """(date, kind) of a cell's meetings: monthly, thematic in each quarter's middle month —
    usually one meeting that is both, sometimes a separate thematic one a week later."""
    days = []
    for month in _meeting_months(today):
        last = add_months(month, 1) - timedelta(days=1)
        held = month.replace(day=min(last.day, max(1, cell.meeting_day + rng.randint(-2, 2))))
        thematic = month.month % 3 == 2
        separate = held + timedelta(days=rng.randint(6, 9))
        if thematic and rng.random() < 0.3 and separate <= last and separate < today:
            days += [(held, "regular"), (separate, "thematic")]
        else:
            days.append((held, "both" if thematic else "regular"))
    return [(d, kind) for d, kind in days if d < today]


@dataclass
class _AbsenceLedger:
    """Keeps unexcused absences exact: a designated absentee misses exactly the meetings chosen
    for them; anyone else misses at most one meeting without reason in the whole year shown."""

    designated: dict[int, set[date]] = field(default_factory=dict)
    already_missed: set[int] = field(default_factory=set)


def _plan_meetings(
    rng: random.Random, cells: list[_CellPlan], members: list[_MemberPlan], today: date
) -> list[_MeetingPlan]:
    by_cell: dict[int, list[int]] = {}
    for i, m in enumerate(members):
        by_cell.setdefault(m.cell, []).append(i)
    names = {c.name: i for i, c in enumerate(cells)}
    silent = {names[n] for n in SILENT_CELLS if n in names}
    silent |= {i for i, c in enumerate(cells) if c.name not in _BASE_CELL_NAMES
               and rng.random() < 0.08}
    unvisited_since = add_months(today.replace(day=1), -4)
    silent_since = add_months(today.replace(day=1), -1)
    days_by_cell = {i: _meeting_days(rng, c, today) for i, c in enumerate(cells)}
    ledger = _designate_absentees(rng, cells, members, by_cell, days_by_cell, today, silent)
    meetings = []
    for i, cell in enumerate(cells):
        for held_on, kind in days_by_cell[i]:
            if i in silent and held_on >= silent_since:
                continue
            attended = rng.random() < 0.85
            if cell.name == UNVISITED_CELL and held_on >= unvisited_since:
                attended = False
            meetings.append(_meeting(rng, cell, i, held_on, kind, members, by_cell[i], ledger,
                                     attended))
    return meetings


def _active(members: list[_MemberPlan], indices: Iterable[int], day: date) -> list[int]:
    return [i for i in indices if members[i].admitted_on <= day
            and (members[i].left_on is None or members[i].left_on > day)]


def _designate_absentees(
    rng: random.Random, cells: list[_CellPlan], members: list[_MemberPlan],
    by_cell: dict[int, list[int]], days_by_cell: dict[int, list[tuple[date, str]]],
    today: date, silent: set[int],
) -> _AbsenceLedger:
    ledger = _AbsenceLedger()
    names = {c.name: i for i, c in enumerate(cells)}
    for cell_name, misses in ABSENTEES:
        cell = names.get(cell_name)
        if cell is None or cell in silent:
            continue
        pool = [i for i in by_cell[cell] if i != cells[cell].secretary and _stays(members[i])
                and members[i].admitted_on.year < FIRST_YEAR and i not in ledger.designated]
        # One regular meeting per month this calendar year (the rule counts months).
        months: dict[int, date] = {}
        for held_on, _kind in days_by_cell[cell]:
            if held_on.year == today.year:
                months.setdefault(held_on.month, held_on)
        chosen = rng.sample(sorted(months.values()), min(misses, len(months)))
        ledger.designated[rng.choice(pool)] = set(chosen)
    return ledger


def _meeting(
    rng: random.Random, cell: _CellPlan, cell_index: int, held_on: date, kind: str,
    members: list[_MemberPlan], cell_members: list[int], ledger: _AbsenceLedger, attended: bool,
) -> _MeetingPlan:
    active = _active(members, cell_members, held_on)
    unexcused = [i for i in active if held_on in ledger.designated.get(i, ())]
    pool = [i for i in active if i != cell.secretary and i not in ledger.designated]
    fresh = [i for i in pool if i not in ledger.already_missed]
    if fresh and rng.random() < 0.35:
        missed = rng.choice(fresh)
        ledger.already_missed.add(missed)
        unexcused.append(missed)
    rate = rng.uniform(0.04, 0.12) if cell.kind is CellKind.RESIDENTIAL else rng.uniform(0.02, 0.08)
    candidates = [i for i in pool if i not in unexcused]
    excused = rng.sample(candidates, min(len(candidates), round(len(active) * rate)))
    absences = [(i, True) for i in excused] + [(i, False) for i in unexcused]
    return _MeetingPlan(cell_index, held_on, kind, len(active), absences, attended)


# ── Planning: users ───────────────────────────────────────────────────────────────────────────


def _plan_users(
    rng: random.Random, cells: list[_CellPlan], members: list[_MemberPlan]
) -> list[_UserPlan]:
    names = {c.name: i for i, c in enumerate(cells)}
    to16 = names[TO16]
    mine = [names[n] for n in DEMO_COMMITTEE_CELLS if n in names]
    users = [
        _UserPlan(DEMO_ADMIN_ID, DEMO_DISPLAY_NAMES[DEMO_ADMIN_ID], Role.ADMIN),
        _UserPlan(DEMO_COMMITTEE_ID, DEMO_DISPLAY_NAMES[DEMO_COMMITTEE_ID], Role.COMMITTEE,
                  cells=mine),
        _UserPlan(DEMO_SECRETARY_ID, DEMO_DISPLAY_NAMES[DEMO_SECRETARY_ID], Role.SECRETARY,
                  cell=to16),
    ]
    for i, cell in enumerate(cells):
        if i != to16:
            users.append(_UserPlan(SECRETARY_ID_BASE + i + 1, members[cell.secretary].full_name,
                                   Role.SECRETARY, cell=i))
    # One committee member in charge of each remaining cell, four or five cells each.
    rest = [i for i in range(len(cells)) if i not in mine]
    book = _NameBook()
    book.reserve(DEMO_DISPLAY_NAMES[DEMO_COMMITTEE_ID])
    groups = max(1, round(len(rest) / 4.5))
    bounds = [round(k * len(rest) / groups) for k in range(groups + 1)]
    for k in range(groups):
        group = rest[bounds[k]:bounds[k + 1]]
        gender = Gender.FEMALE if rng.random() < 0.4 else Gender.MALE
        users.append(_UserPlan(COMMITTEE_ID_BASE + k + 1, book.draw(rng, gender), Role.COMMITTEE,
                               cells=group))
    return users


# ── The whole plan ────────────────────────────────────────────────────────────────────────────


def _plan_ward(today: date, scale: float, seed: int) -> _WardPlan:
    rng = random.Random(seed)
    cal = _WorkCalendar()
    cells = _plan_cells(scale)
    for cell in cells:
        residential = cell.kind is CellKind.RESIDENTIAL
        cell.meeting_day = rng.randint(3, 20) if residential else rng.randint(5, 25)
    candidates = (
        _plan_admissions(rng, cal, cells, today, scale)
        + _plan_specials(rng, cal, cells, today)
        + _plan_pipeline(rng, cal, cells, today)
        + _plan_dropouts(rng, cal, cells, today, scale)
    )
    books = [_NameBook() for _ in cells]
    admitted = [0] * len(cells)
    for c in candidates:
        admitted[c.cell] += Stage.CEREMONY in c.events
    legacy = _plan_legacy_members(rng, cells, _legacy_counts(rng, cells, admitted, scale), books,
                                  today)
    members = legacy + _plan_new_members(rng, candidates, books, today)
    _assign_helpers(rng, candidates, members)
    _number_documents(rng, candidates)
    users = _plan_users(rng, cells, members)
    meetings = _plan_meetings(rng, cells, members, today)
    ward_quota = sum(c.quota for c in cells)
    quotas = dict.fromkeys(range(FIRST_YEAR, today.year + 1), ward_quota)
    return _WardPlan(cells, members, candidates, meetings, users, quotas)


# ── Writing ───────────────────────────────────────────────────────────────────────────────────


async def _insert(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> None:
    """One executemany per table: both drivers batch it, no round trip per row."""
    if rows:
        await session.execute(insert(model), rows)


async def _insert_ids(
    session: AsyncSession, model: Any, rows: list[dict[str, Any]], key: tuple[str, ...]
) -> list[int]:
    """Insert `rows`, then read their ids back by a natural key unique among them.

    Not INSERT … RETURNING: keeping RETURNING rows in parameter order makes SQLAlchemy fall back
    to one statement per row on SQLite, 20 times slower at scale 10.
    """
    await _insert(session, model, rows)
    columns = [getattr(model, k) for k in key]
    found = {tuple(r[1:]): r[0] for r in await session.execute(select(model.id, *columns))}
    return [found[tuple(row[k] for k in key)] for row in rows]


async def _write_plan(session: AsyncSession, plan: _WardPlan, today: date, channel: str) -> None:
    created = _stamp(date(FIRST_YEAR - 1, 12, 1), 8)
    committee_id = (await _insert_ids(session, Committee, [
        {"name": WARD_NAME, "superior_name": SUPERIOR_NAME, "created_at": created}
    ], ("name",)))[0]
    cell_ids = await _insert_ids(session, Cell, [
        {"committee_id": committee_id, "name": c.name, "kind": c.kind.value, "quota": None,
         "active": True, "created_at": created} for c in plan.cells
    ], ("committee_id", "name"))
    await _insert(session, YearQuota, [
        {"committee_id": committee_id, "year": y, "quota": q} for y, q in plan.year_quotas.items()
    ])
    user_ids = await _write_users(session, plan, cell_ids, today, channel)
    secretary_of = {u.cell: user_ids[k] for k, u in enumerate(plan.users)
                    if u.role is Role.SECRETARY}
    member_ids = await _insert_ids(session, Member, [
        {"cell_id": cell_ids[m.cell], "full_name": m.full_name, "status": m.status.value,
         "admitted_on": m.admitted_on, "left_on": m.left_on, "active": m.left_on is None}
        for m in plan.members
    ], ("cell_id", "full_name"))
    await _write_candidates(session, plan, cell_ids, member_ids, secretary_of)
    await _write_meetings(session, plan, cell_ids, member_ids, secretary_of)
    session.add(AuditLog(at=_stamp(today, 8), actor_label="chibo demo", action="demo.generate",
                         entity="committee", entity_id=committee_id,
                         after={"cells": len(plan.cells), "members": len(plan.members)}))


async def _write_users(
    session: AsyncSession, plan: _WardPlan, cell_ids: list[int], today: date, channel: str
) -> list[int]:
    joined = _stamp(today - timedelta(days=30), 10)
    user_ids = await _insert_ids(session, User, [
        {"channel": channel, "external_id": sample_external_id(channel, u.telegram_id),
         "chat_id": sample_external_id(channel, u.telegram_id),
         "display_name": u.display_name, "role": u.role.value,
         "cell_id": cell_ids[u.cell] if u.cell is not None else None, "active": True,
         "unreachable_since": None, "created_at": joined}
        for u in plan.users
    ], ("channel", "external_id"))
    await _insert(session, CommitteeAssignment, [
        {"user_id": user_ids[k], "cell_id": cell_ids[cell]}
        for k, u in enumerate(plan.users) for cell in u.cells
    ])
    return user_ids


async def _write_candidates(
    session: AsyncSession, plan: _WardPlan, cell_ids: list[int], member_ids: list[int],
    secretary_of: dict[int | None, int],
) -> None:
    rows = []
    for c in plan.candidates:
        last = max([*c.events.values(), c.dropped_on or date.min])
        rows.append({
            "cell_id": cell_ids[c.cell], "full_name": c.full_name, "birth_year": c.birth.year,
            "birth_month": None if c.birth_year_only else c.birth.month,
            "birth_day": None if c.birth_year_only else c.birth.day,
            "gender": c.gender.value, "background": c.background.value,
            "helper_member_id": member_ids[c.helper],
            "helper_name": plan.members[c.helper].full_name,
            "stage": c.stage.value, "dropped_on": c.dropped_on,
            "dropped_reason": c.dropped_reason,
            "created_at": _stamp(c.events[Stage.SPOTTED], 20), "updated_at": _stamp(last, 20),
        })
    # Candidates' names are unique in their cell too (drawn from the cell's name book).
    candidate_ids = await _insert_ids(session, Candidate, rows, ("cell_id", "full_name"))
    await _insert(session, CandidateEvent, [
        {"candidate_id": candidate_ids[k], "stage": stage.value, "happened_on": day,
         "details": c.details.get(stage, {}), "recorded_by": secretary_of[c.cell],
         "recorded_at": _stamp(day, 20)}
        for k, c in enumerate(plan.candidates) for stage, day in c.events.items()
    ])


async def _write_meetings(
    session: AsyncSession, plan: _WardPlan, cell_ids: list[int], member_ids: list[int],
    secretary_of: dict[int | None, int],
) -> None:
    meeting_ids = await _insert_ids(session, Meeting, [
        {"cell_id": cell_ids[m.cell], "held_on": m.held_on, "kind": m.kind,
         "expected": m.expected, "present": m.expected - len(m.absences),
         "absent_excused": sum(excused for _, excused in m.absences),
         "absent_unexcused": sum(not excused for _, excused in m.absences),
         "committee_member_attended": m.committee_attended,
         "reported_by": secretary_of[m.cell], "created_at": _stamp(m.held_on, 21)}
        for m in plan.meetings
    ], ("cell_id", "held_on"))
    await _insert(session, MeetingAbsence, [
        {"meeting_id": meeting_ids[k], "member_id": member_ids[i], "excused": excused}
        for k, m in enumerate(plan.meetings) for i, excused in m.absences
    ])


# ── Public API ────────────────────────────────────────────────────────────────────────────────


async def write_demo_ward(
    db: Database, *, today: date, scale: float = 1.0, seed: int = 2024, channel: str = DEMO_CHANNEL,
) -> DemoSummary:
    """Fill an empty, migrated database with the demo ward as it stands on `today`.

    The demo users are registered on `channel` (Telegram by default; "zalo" for `chibo try
    --channel zalo` and the Zalo end-to-end tests).

    `scale` multiplies the cells and members (10 → ≈320 cells, ≈17,000 members) for benchmarks;
    Chi bộ tổ 16 stays exactly as the seed describes it. Raises DemoWardError when the database
    already has a committee, ValueError for a scale ≤ 0 or a `today` before 2024 (the 2023
    figures must be complete).
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    if today < date(2024, 1, 1):
        raise ValueError(
            f"today must be in 2024 or later (the 2023 figures are complete), got {today}"
        )
    plan = _plan_ward(today, scale, seed)
    async with db.write() as session:
        existing = await session.scalar(select(Committee.name).limit(1))
        if existing is not None:
            raise DemoWardError(
                f"the database already holds a committee ({existing!r}); "
                "the demo ward is written only into an empty database"
            )
        await _write_plan(session, plan, today, channel)
    return DemoSummary(
        cells=len(plan.cells),
        members=len(plan.members),
        candidates=len(plan.candidates),
        meetings=len(plan.meetings),
        users=len(plan.users),
        admitted_by_year=plan.admitted_by_year(),
        events=sum(len(c.events) for c in plan.candidates),
        absences=sum(len(m.absences) for m in plan.meetings),
    )


__all__ = [
    "DEMO_ADMIN_ID",
    "DEMO_CHANNEL",
    "DEMO_COMMITTEE_ID",
    "DEMO_DISPLAY_NAMES",
    "DEMO_SECRETARY_ID",
    "DEMO_USERS",
    "SUPERIOR_NAME",
    "TO16",
    "WARD_NAME",
    "DemoSummary",
    "DemoWardError",
    "demo_display_name",
    "get_demo_display_name",
    "write_demo_ward",
]
