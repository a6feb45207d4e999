"""The province's /tonghop: every ward in one message, wards behind first, and how to open one."""

from __future__ import annotations

from bot.services.province import ProvinceYear, WardRow
from bot.texts import t
from bot.texts.formatting import format_date, format_percent
from bot.texts.report import format_int

# One message at any province size: the wards furthest behind by name, the rest counted.
MAX_WARDS_SHOWN = 30

MESSAGES: dict[str, dict[str, str]] = {
    "province.header": {"vi": "🏛 {province} — tổng hợp {wards} đảng bộ, năm {year}",
                        "en": "🏛 {province} — {wards} ward committees, {year}"},
    "province.when.running": {"vi": "(từ đầu năm đến ngày {date})", "en": "(1 January to {date})"},
    "province.total": {"vi": "Toàn tỉnh: kết nạp {admitted}/{quota} đảng viên, đạt {percent}; "
                             "cùng kỳ năm {last_year}: {last}.",
                       "en": "Whole province: {admitted}/{quota} admitted, {percent}; "
                             "same period {last_year}: {last}."},
    "province.behind_first": {"vi": "Các đảng bộ (chậm nhất trước):",
                              "en": "Ward committees (furthest behind first):"},
    "province.ward": {"vi": "{n}. {name}: {admitted}/{quota} — đạt {percent}; {members} đảng viên",
                      "en": "{n}. {name}: {admitted}/{quota} — {percent}; {members} members"},
    "province.ward_no_quota": {"vi": "{n}. {name}: {admitted} (chưa giao chỉ tiêu); {members} đảng viên",
                               "en": "{n}. {name}: {admitted} (no quota); {members} members"},
    "province.more": {"vi": "… và {count} đảng bộ khác (đạt chỉ tiêu cao hơn).",
                      "en": "… and {count} more wards (further along)."},
    "province.no_wards": {"vi": "Chưa có đảng bộ nào thuộc {province}.",
                          "en": "No ward committee belongs to {province} yet."},
    "province.drill": {"vi": "Xem một đảng bộ: bấm nút bên dưới, hoặc gõ /tonghop <tên đảng bộ>.",
                       "en": "Open one ward: press a button below, or send /tonghop <ward name>."},
    "province.use_tonghop": {"vi": "Cấp tỉnh xem từng đảng bộ bằng lệnh /tonghop <tên đảng bộ>.",
                             "en": "The province opens each ward with /tonghop <ward name>."},
    "error.province_only": {"vi": "Chức năng này dành cho Ban Tổ chức cấp tỉnh.",
                            "en": "This is for the province's organisation department."},
    "error.ward_unknown": {
        "vi": "Không tìm thấy đảng bộ \"{value}\". Các đảng bộ: {names}.",
        "en": "No ward committee is called \"{value}\". The wards: {names}.",
    },
}


def _pct(admitted: int, quota: int, lang: str) -> str:
    return format_percent(admitted * 100 / quota, lang=lang) if quota else "—"


def _ward_line(n: int, row: WardRow, lang: str) -> str:
    key = "province.ward" if row.quota.value else "province.ward_no_quota"
    percent = row.progress.percent
    return t(key, lang, n=n, name=row.ward.name, admitted=row.admitted, quota=row.quota.value,
             percent=format_percent(percent, lang=lang) if percent is not None else "—",
             members=format_int(row.members_end, lang))


def province_lines(p: ProvinceYear, lang: str) -> list[str]:
    """The province's /tonghop as one message."""
    header = t("province.header", lang, province=p.province_name, wards=len(p.wards), year=p.period.year)
    if p.period.running:
        header += " " + t("province.when.running", lang, date=format_date(p.period.end, lang))
    if not p.wards:
        return [header, t("province.no_wards", lang, province=p.province_name)]
    lines = [header, t("province.total", lang, admitted=p.admitted, quota=p.quota,
                       percent=_pct(p.admitted, p.quota, lang), last_year=p.period.year - 1,
                       last=p.last_year_admitted),
             "", t("province.behind_first", lang)]
    lines += [_ward_line(n, row, lang) for n, row in enumerate(p.wards[:MAX_WARDS_SHOWN], start=1)]
    if len(p.wards) > MAX_WARDS_SHOWN:
        lines.append(t("province.more", lang, count=len(p.wards) - MAX_WARDS_SHOWN))
    lines += ["", t("province.drill", lang)]
    return lines
