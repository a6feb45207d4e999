"""Texts for importing cells and members from CSV: one per problem code, the rejection, the report.

Problem texts are keyed `import.problem.<code>` (codes: bot.domain.csv_import) and take `line`,
`value`, `expected`, `first_line`; `describe_problem` fills them in from a Problem. A missing
committee is the shared `error.committee_missing` (bot/texts/common.py). Column names in
`import.column.<id>` are the header words a person would write in that language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from bot.texts import t

if TYPE_CHECKING:
    from bot.domain.csv_import import Problem

MAX_VALUE_SHOWN = 60  # a whole 500-character "name" would drown the other problems
MAX_PROBLEMS_SHOWN = 20  # a file in the wrong format has a problem on every line

_KINDS_VI = "tổ dân phố, cơ quan, trường học, đơn vị, doanh nghiệp"
_KINDS_EN = "residential, agency, school, unit, enterprise (or the Vietnamese words)"

MESSAGES: dict[str, dict[str, str]] = {
    "import.rejected": {
        "vi": "Chưa nhập gì: tệp có {count} lỗi. Sửa hết rồi nhập lại cả tệp.",
        "en": "Nothing was imported: the file has {count} problem(s). Fix them and import the "
        "whole file again.",
    },
    "import.more": {
        "vi": "… và {count} lỗi khác.",
        "en": "… and {count} more.",
    },
    "import.report.cells": {
        "vi": "Đã nhập {total} chi bộ: {created} thêm mới, {updated} cập nhật, "
        "{unchanged} không đổi.",
        "en": "Imported {total} cells: {created} new, {updated} updated, {unchanged} unchanged.",
    },
    "import.report.members": {
        "vi": "Đã nhập {total} đảng viên: {created} thêm mới, {updated} cập nhật, "
        "{unchanged} không đổi.",
        "en": "Imported {total} members: {created} new, {updated} updated, "
        "{unchanged} unchanged.",
    },
    "import.report.quotas": {
        "vi": "Đã nhập {total} chỉ tiêu: {created} thêm mới, {updated} cập nhật, "
        "{unchanged} không đổi.",
        "en": "Imported {total} quotas: {created} new, {updated} updated, {unchanged} unchanged.",
    },
    "import.column.year": {"vi": "năm", "en": "year"},
    "import.problem.unknown_reason": {
        "vi": "Dòng {line}: lý do ra «{value}» không hợp lệ (dùng: chuyển đi, từ trần, xóa tên, "
        "khai trừ; để trống nếu không rõ).",
        "en": "Line {line}: unknown leaving reason “{value}” (use: transferred_out, died, struck_off, "
        "expelled; leave it empty if not known).",
    },
    "import.problem.reason_without_date": {
        "vi": "Dòng {line}: có lý do ra «{value}» nhưng thiếu ngày ra.",
        "en": "Line {line}: a leaving reason “{value}” without the date.",
    },
    "import.problem.bad_year": {
        "vi": "Dòng {line}: năm «{value}» không hợp lệ (từ 2000 đến {expected}).",
        "en": "Line {line}: the year “{value}” is not valid (2000 to {expected}).",
    },
    "import.problem.duplicate_quota": {
        "vi": "Dòng {line}: chỉ tiêu năm này của «{value}» đã có ở dòng {first_line}.",
        "en": "Line {line}: this year's quota of “{value}” is already on line {first_line}.",
    },
    # Header words, for "missing column" (what the person should add to the header row).
    "import.column.name": {"vi": "tên chi bộ", "en": "name"},
    "import.column.kind": {"vi": "loại", "en": "kind"},
    "import.column.quota": {"vi": "chỉ tiêu", "en": "quota"},
    "import.column.cell": {"vi": "chi bộ", "en": "cell"},
    "import.column.full_name": {"vi": "họ và tên", "en": "full_name"},
    "import.column.status": {"vi": "trạng thái", "en": "status"},
    "import.column.admitted_on": {"vi": "ngày kết nạp", "en": "admitted_on"},
    # One per problem code.
    "import.problem.empty_file": {
        "vi": "Tệp trống: không có dòng tiêu đề nào.",
        "en": "The file is empty: there is no header row.",
    },
    "import.problem.no_rows": {
        "vi": "Dòng {line}: tệp chỉ có dòng tiêu đề, không có dữ liệu.",
        "en": "Line {line}: the file has a header row but no data.",
    },
    "import.problem.missing_column": {
        "vi": "Dòng {line}: dòng tiêu đề thiếu cột «{column}».",
        "en": "Line {line}: the header row lacks the column “{column}”.",
    },
    "import.problem.duplicate_column": {
        "vi": "Dòng {line}: cột «{value}» bị lặp trong dòng tiêu đề.",
        "en": "Line {line}: the column “{value}” appears twice in the header row.",
    },
    "import.problem.field_count": {
        "vi": "Dòng {line}: có {value} cột, nhưng dòng tiêu đề có {expected} cột.",
        "en": "Line {line}: {value} fields, but the header row has {expected}.",
    },
    "import.problem.empty_name": {
        "vi": "Dòng {line}: thiếu tên chi bộ.",
        "en": "Line {line}: the cell name is empty.",
    },
    "import.problem.empty_full_name": {
        "vi": "Dòng {line}: thiếu họ và tên đảng viên.",
        "en": "Line {line}: the member's full name is empty.",
    },
    "import.problem.empty_cell": {
        "vi": "Dòng {line}: thiếu tên chi bộ của đảng viên.",
        "en": "Line {line}: the member's cell is empty.",
    },
    "import.problem.name_too_long": {
        "vi": "Dòng {line}: tên «{value}» dài quá {expected} ký tự.",
        "en": "Line {line}: the name “{value}” is longer than {expected} characters.",
    },
    "import.problem.bad_character": {
        "vi": "Dòng {line}: tên «{value}» chứa ký tự điều khiển không hợp lệ.",
        "en": "Line {line}: the name “{value}” contains control characters.",
    },
    "import.problem.unknown_kind": {
        "vi": f"Dòng {{line}}: loại chi bộ «{{value}}» không hợp lệ (dùng: {_KINDS_VI}).",
        "en": f"Line {{line}}: unknown cell kind “{{value}}” (use: {_KINDS_EN}).",
    },
    "import.problem.unknown_status": {
        "vi": "Dòng {line}: trạng thái «{value}» không hợp lệ (dùng: chính thức, dự bị).",
        "en": "Line {line}: unknown status “{value}” (use: full, probationary — "
        "or chính thức, dự bị).",
    },
    "import.problem.bad_quota": {
        "vi": "Dòng {line}: chỉ tiêu «{value}» phải là số nguyên từ 0 đến {expected} "
        "(để trống: theo mặc định của loại chi bộ).",
        "en": "Line {line}: the quota “{value}” must be a whole number from 0 to {expected} "
        "(leave it empty for the kind's default).",
    },
    "import.problem.duplicate_cell": {
        "vi": "Dòng {line}: chi bộ «{value}» đã có ở dòng {first_line}.",
        "en": "Line {line}: the cell “{value}” is already on line {first_line}.",
    },
    "import.problem.duplicate_member": {
        "vi": "Dòng {line}: đảng viên «{value}» của chi bộ này đã có ở dòng {first_line}.",
        "en": "Line {line}: the member “{value}” of this cell is already on line {first_line}.",
    },
    "import.problem.unknown_cell": {
        "vi": "Dòng {line}: chưa có chi bộ «{value}». Hãy nhập danh sách chi bộ trước.",
        "en": "Line {line}: there is no cell “{value}”. Import the cells file first.",
    },
    "import.problem.bad_date": {
        "vi": "Dòng {line}: ngày kết nạp «{value}» không hợp lệ "
        "(viết ngày/tháng/năm, ví dụ 19/05/1990).",
        "en": "Line {line}: the admission date “{value}” is not valid "
        "(write day/month/year, e.g. 19/05/1990).",
    },
    "import.problem.future_date": {
        "vi": "Dòng {line}: ngày kết nạp «{value}» chưa tới.",
        "en": "Line {line}: the admission date “{value}” is in the future.",
    },
    "import.problem.bad_csv": {
        "vi": "Dòng {line}: không đọc được tệp CSV từ đây (có thể thiếu dấu ngoặc kép đóng).",
        "en": "Line {line}: the CSV cannot be read from here on (a closing quote may be missing).",
    },
    "import.problem.not_utf8": {
        "vi": "Dòng {line}: tệp không phải mã UTF-8 (byte {value}). "
        "Trong Excel, hãy lưu bằng «Save As» → «CSV UTF-8».",
        "en": "Line {line}: the file is not UTF-8 (byte {value}). "
        "In Excel, use Save As → “CSV UTF-8”.",
    },
    "import.problem.file_too_large": {
        "vi": "Tệp quá lớn ({value} byte, tối đa {expected} byte): có phải đúng tệp không?",
        "en": "The file is too large ({value} bytes, at most {expected}): is it the right file?",
    },
}


class _Report(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def created(self) -> int: ...

    @property
    def updated(self) -> int: ...

    @property
    def unchanged(self) -> int: ...

    @property
    def total(self) -> int: ...


def _shorten(value: str) -> str:
    return value if len(value) <= MAX_VALUE_SHOWN else value[: MAX_VALUE_SHOWN - 1] + "…"


def describe_problem(problem: Problem, lang: str = "vi") -> str:
    """One problem as a sentence: "Dòng 4: loại chi bộ «xyz» không hợp lệ (…)"."""
    column = t(f"import.column.{problem.value}", lang) if problem.code == "missing_column" else ""
    return t(
        f"import.problem.{problem.code}",
        lang,
        line=problem.line,
        value=_shorten(problem.value),
        expected=problem.expected,
        first_line=problem.first_line,
        column=column,
    )


def describe_rejection(
    problems: Sequence[Problem], lang: str = "vi", limit: int = MAX_PROBLEMS_SHOWN
) -> str:
    """The summary line, then one line per problem (the first `limit` of them)."""
    lines = [t("import.rejected", lang, count=len(problems))]
    lines += [describe_problem(p, lang) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(t("import.more", lang, count=len(problems) - limit))
    return "\n".join(lines)


def describe_report(report: _Report, lang: str = "vi") -> str:
    """ "Đã nhập 4 chi bộ: 4 thêm mới, 0 cập nhật, 0 không đổi." """
    return t(
        f"import.report.{report.kind}",
        lang,
        total=report.total,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
    )
