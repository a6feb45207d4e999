"""The demo ward's fixed facts, as the seed describes them, and its demo users."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.cells import CellKind

# ── The ward, as the seed describes it ────────────────────────────────────────────────────────

WARD_NAME = "Đảng bộ phường Hoàng Văn Thụ"
SUPERIOR_NAME = "Thành ủy Thái Nguyên"
TO16 = "Chi bộ tổ 16"

BASE_MEMBERS = 1700  # "trên 1.700 đảng viên" at the end of 2023
MEMBERS_END_2023 = 1712  # what the demo ward counts then (its leavers are random: ≈ this)
BASE_RESIDENTIAL_CELLS = 21
FIRST_YEAR = 2022  # the first year with admissions
FIRST_PLAN_YEAR = 2023  # the first year with a plan (quotas per cell, the ward's from the city)
WARD_QUOTA_SET_BY = "Thành ủy giao"  # as the seed's report names the city's quota
CELL_QUOTA_SET_BY = "Đảng ủy giao"
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
# A province demo (`chibo demo --wards 3`): the seed's ward first, then these, under the city.
# Ward k's users (k = 1, 2, …) are the first ward's ids + k × WARD_ID_STEP.
OTHER_WARD_NAMES = ("Đảng bộ phường Phan Đình Phùng", "Đảng bộ phường Gia Sàng",
                    "Đảng bộ phường Quang Trung", "Đảng bộ phường Túc Duyên")
WARD_ID_STEP = 1_000_000
DEMO_PROVINCE_ID = 700009  # Ban Tổ chức Thành ủy, in a province demo

DEMO_DISPLAY_NAMES: dict[int, str] = {
    DEMO_ADMIN_ID: "Văn phòng Đảng ủy",
    DEMO_COMMITTEE_ID: "Nguyễn Minh Đức",
    DEMO_SECRETARY_ID: "Trần Văn Bình",  # also a member of tổ 16, as a cell secretary is
    DEMO_PROVINCE_ID: "Ban Tổ chức Thành ủy",
}
DEMO_COMMITTEE_CELLS = (TO16, "Chi bộ tổ 15", "Chi bộ tổ 17", "Chi bộ Trạm Y tế phường")


def demo_display_name(who: str | int) -> str:
    """The display name of a fixed demo user, by role key ("admin") or Telegram id (700001)."""
    telegram_id = DEMO_USERS[who] if isinstance(who, str) else who
    return DEMO_DISPLAY_NAMES[telegram_id]


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
