"""Reading a ward's cells and members from a CSV file that a person exported from a spreadsheet.

Pure: bytes (`decode_csv`) or text in, validated rows out — or `ImportRejected` carrying EVERY
problem found, each with the file's 1-based line number, a reason code and the offending value, so the
ward office can fix the whole file in one pass instead of one error per attempt.

What the files look like (the header row is required; extra columns such as "STT" are ignored):

    cells:    name, kind, [quota]                     tên chi bộ; loại; chỉ tiêu
    members:  cell, full_name, status, [admitted_on], [joined_on], [left_on], [left_reason]
              chi bộ; họ và tên; trạng thái; ngày kết nạp; ngày chuyển đến; ngày ra; lý do ra
              (joined_on: transferred in on that day; left_reason: chuyển đi, từ trần, xóa tên,
              khai trừ — blank: not recorded)
    quotas:   cell, year, quota, [set_by]             chi bộ; năm; chỉ tiêu; đơn vị giao
              (cell "Đảng bộ": the ward's own quota, as the superior committee set it)

Headers are compared folded (no accents, no case), so "Tên chi bộ" and "ten chi bo" both work.
The delimiter is guessed from the header: a comma, or the semicolon that Excel writes in a
Vietnamese locale (a tab, as pasted from a spreadsheet, is accepted too). A UTF-8 BOM is dropped.

Normalisation: names are stored in Unicode NFC with single spaces, because a name typed on a Mac
(NFD) and the same name typed on Windows (NFC) must be one cell, not two. Rows whose fields are all
blank are skipped (spreadsheets export trailing `;;` lines); trailing empty fields past the header's
width are ignored for the same reason.

Problem codes (texts: `import.problem.<code>`), and what `expected` / `first_line` mean for each:

    empty_file        nothing but blank lines (or lines of bare delimiters)
    no_rows           a header but no data rows
    missing_column    value: the canonical column id ("kind")
    duplicate_column  value: the header cell that repeats a column
    field_count       value: fields found; expected: fields in the header
    empty_name, empty_full_name, empty_cell
    name_too_long     value: the name; expected: the longest allowed
    bad_character     value: the name, control characters shown as U+FFFD
    unknown_kind, unknown_status
    bad_quota         value: as typed; expected: the largest quota accepted
    duplicate_cell, duplicate_member   first_line: where the name first appeared
    unknown_cell      value: the cell name as typed (no active cell matches it)
    bad_date          value: as typed (unreadable, impossible, or before the Party was founded)
    future_date       value: as typed
    unknown_reason    value: the leaving reason as typed
    reason_without_date  a leaving reason but no date it happened
    bad_year          value: as typed; expected: the latest year accepted
    duplicate_quota   value: the cell; first_line: where its quota for that year first appeared
    bad_csv           the csv module gave up (a field of over 128 KiB, typically a broken quote)
    not_utf8          by decode_csv; value: the first bad byte ("0xE0"), line: the line it is on
    file_too_large    by decode_csv; value: the size in bytes; expected: the largest accepted
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain.cells import CellKind, fold_name, parse_cell_kind, resolve_cell
from bot.domain.dates import parse_date
from bot.domain.errors import DomainError, InvalidInput
from bot.domain.members import MemberStatus, parse_member_status
from bot.domain.membership import LeaveKind, parse_leave_kind
from bot.domain.text import tidy

# The column sizes in bot/store/models.py: longer names would fail on PostgreSQL mid-import.
MAX_CELL_NAME = 200
MAX_FULL_NAME = 120
# Far above any real cell (the whole ward's yearly quota is ~45), and safely inside a 32-bit int.
MAX_QUOTA = 999
# The Communist Party of Vietnam was founded on 3 February 1930: nobody was admitted before.
EARLIEST_ADMISSION = date(1930, 2, 3)

# A ward's roster is ~2,000 lines, well under 1 MiB; anything far bigger is the wrong file.
MAX_FILE_BYTES = 5 * 1024 * 1024

_DELIMITERS = (",", ";", "\t")
_BOM = "\ufeff"
_WHOLE_NUMBER = re.compile(r"[0-9]+")

# Canonical column id → folded header spellings people use. Folding also turns "_" into " ".
CELL_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "cell", "cell name", "ten", "ten chi bo", "chi bo"),
    "kind": ("kind", "type", "loai", "loai chi bo"),
    "quota": ("quota", "chi tieu", "chi tieu ket nap"),
}
CELL_REQUIRED = ("name", "kind")

MEMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "cell": ("cell", "cell name", "chi bo", "ten chi bo"),
    "full_name": ("full name", "name", "ho va ten", "ho ten", "ten dang vien"),
    "status": ("status", "trang thai", "loai dang vien"),
    "admitted_on": ("admitted on", "admitted", "ngay ket nap"),
    "joined_on": ("joined on", "transferred in on", "ngay chuyen den", "ngay chuyen sinh hoat den"),
    "left_on": ("left on", "ngay ra", "ngay chuyen di", "ngay ra khoi danh sach"),
    "left_reason": ("left reason", "reason", "ly do", "ly do ra"),
}
MEMBER_REQUIRED = ("cell", "full_name", "status")

QUOTA_COLUMNS: dict[str, tuple[str, ...]] = {
    "cell": ("cell", "cell name", "chi bo", "ten chi bo"),
    "year": ("year", "nam"),
    "quota": ("quota", "chi tieu", "chi tieu ket nap"),
    "set_by": ("set by", "don vi giao", "cap giao", "giao"),
}
QUOTA_REQUIRED = ("cell", "year", "quota")
# What names the ward itself in a quotas file (folded), for its own quota from the superior.
WARD_NAMES = ("dang bo", "toan dang bo", "ward")
MAX_SET_BY = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file. `code` picks the text; the other fields fill it in."""

    line: int
    code: str
    value: str = ""
    expected: int | None = None
    first_line: int | None = None


class ImportRejected(DomainError):
    """The file has problems; nothing was imported. `problems` is every one, in line order."""

    code = "import.rejected"

    def __init__(self, problems: Sequence[Problem]) -> None:
        ordered = sorted(problems, key=lambda p: p.line)
        super().__init__(count=len(ordered))
        self.problems: list[Problem] = ordered


@dataclass(frozen=True)
class CellRow:
    """A valid line of a cells file."""

    line: int
    name: str
    kind: CellKind
    quota: int | None  # None: the per-kind default from config
    # False when the file has no quota column at all: keep whatever quota is stored, rather than
    # silently resetting overrides set in the bot when someone imports a names-and-kinds list.
    quota_given: bool = True


@dataclass(frozen=True)
class MemberRow:
    """A valid line of a members file; `cell` is the stored name of the cell it resolved to."""

    line: int
    cell: str
    full_name: str
    status: MemberStatus
    admitted_on: date | None  # None: not given — an import never erases a known date
    joined_on: date | None = None  # transferred in on that day (None: not given)
    left_on: date | None = None  # left the cell on that day (None: still a member)
    left_how: LeaveKind = LeaveKind.UNKNOWN


@dataclass(frozen=True)
class QuotaRow:
    """A valid line of a quotas file; `cell` is the stored cell name, or None for the ward."""

    line: int
    cell: str | None
    year: int
    quota: int
    set_by: str


@dataclass(frozen=True)
class _Record:
    """A data line of the file, fields keyed by canonical column id."""

    line: int
    fields: dict[str, str]


# ---------------------------------------------------------------------------------------------
# Bytes to text


def decode_csv(data: bytes) -> str:
    """The file's text: UTF-8, with or without a BOM. Raises ImportRejected with one problem.

    Not guessing other encodings on purpose: a Windows-1258 or UTF-16 file decoded wrongly would
    import mangled names, and Excel offers "CSV UTF-8" in every Vietnamese version people use.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected([Problem(1, "file_too_large", str(len(data)), MAX_FILE_BYTES)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected([Problem(line, "not_utf8", f"0x{data[exc.start]:02X}")]) from None


# ---------------------------------------------------------------------------------------------
# Small rules shared with the store


def clean_name(text: str) -> str:
    """The form names are stored in, the same as names typed in chat (see bot.domain.text)."""
    return tidy(text)


def has_diacritics(text: str) -> bool:
    """Does `text` carry Vietnamese marks (or đ)? Case is not a diacritic."""
    decomposed = unicodedata.normalize("NFD", text)
    return "đ" in text.lower() or any(unicodedata.combining(c) for c in decomposed)


def choose_spelling(stored: str, incoming: str) -> str:
    """The spelling to keep when a file names a stored row with different accents or case.

    The file wins (it is how a typo in the stored name gets fixed), except that an unaccented
    file never strips the accents from a name: exports typed without a Vietnamese keyboard exist.
    """
    if has_diacritics(stored) and not has_diacritics(incoming):
        return stored
    return incoming


# ---------------------------------------------------------------------------------------------
# Reading the file: delimiter, header, records


def _fold_header(text: str) -> str:
    return fold_name(text.replace("_", " "))


def _guess_delimiter(header_line: str) -> str:
    """The delimiter used most in the header line; a comma when it names one column only."""
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header_line(text: str) -> str:
    """The first line with a letter or digit in it: the header, whatever blank lines precede it."""
    return next((line for line in text.splitlines() if any(c.isalnum() for c in line)), "")


def _map_header(
    cells: list[str], line: int, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[dict[str, int], list[Problem]]:
    """Column id → position, and the problems with the header (missing or repeated columns)."""
    alias_to_id = {alias: cid for cid, aliases in columns.items() for alias in aliases}
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for position, cell in enumerate(cells):
        cid = alias_to_id.get(_fold_header(cell))
        if cid is None:
            continue  # an extra column ("STT", "ghi chú"): not ours to judge
        if cid in positions:
            problems.append(Problem(line, "duplicate_column", clean_name(cell)))
        else:
            positions[cid] = position
    problems += [Problem(line, "missing_column", cid) for cid in required if cid not in positions]
    return positions, problems


def _read_records(
    text: str, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[list[_Record], list[Problem]]:
    """Split the file into header-mapped records; structural problems stop before field checks."""
    text = text.removeprefix(_BOM)
    header_text = _header_line(text)
    if not header_text:  # blank lines, or only the delimiters a spreadsheet leaves behind
        return [], [Problem(1, "empty_file")]
    delimiter = _guess_delimiter(header_text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    previous_end = 0
    try:
        for fields in reader:
            # line_num is where a record ENDS (quoted fields may span lines); people need its start.
            rows.append((previous_end + 1, fields))
            previous_end = reader.line_num
    except csv.Error:
        # Only a field beyond the csv module's size limit gets here: the rest cannot be trusted.
        return [], [Problem(previous_end + 1, "bad_csv")]
    rows = [(line, fields) for line, fields in rows if any(f.strip() for f in fields)]
    if not rows:
        return [], [Problem(1, "empty_file")]
    (header_line, header), data = rows[0], rows[1:]
    positions, problems = _map_header(header, header_line, columns, required)
    if problems:
        return [], problems
    if not data:
        return [], [Problem(header_line + 1, "no_rows")]
    records: list[_Record] = []
    width = len(header)
    for line, fields in data:
        fields = _trim_trailing_empty(fields, width)
        if len(fields) != width:
            problems.append(Problem(line, "field_count", str(len(fields)), expected=width))
            continue
        records.append(_Record(line, {cid: fields[pos] for cid, pos in positions.items()}))
    return records, problems


def _trim_trailing_empty(fields: list[str], width: int) -> list[str]:
    """Drop empty fields past the header's width (a spreadsheet's stray `;;`), nothing else."""
    while len(fields) > width and not fields[-1].strip():
        fields = fields[:-1]
    return fields


# ---------------------------------------------------------------------------------------------
# Field checks


def _check_name(
    raw: str, line: int, *, empty_code: str, limit: int, problems: list[Problem]
) -> str | None:
    """The cleaned name, or None after recording why it cannot be used."""
    name = clean_name(raw)
    if not name:
        problems.append(Problem(line, empty_code))
        return None
    if any(unicodedata.category(c) == "Cc" for c in name):
        shown = "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in name)
        problems.append(Problem(line, "bad_character", shown))
        return None
    if len(name) > limit:
        problems.append(Problem(line, "name_too_long", name, expected=limit))
        return None
    return name


def _check_quota(raw: str, line: int, problems: list[Problem]) -> int | None:
    """The quota, or None when blank (the kind's default) or after recording why it is bad."""
    text = raw.strip()
    if not text:
        return None
    if not _WHOLE_NUMBER.fullmatch(text) or int(text) > MAX_QUOTA:
        problems.append(Problem(line, "bad_quota", text, expected=MAX_QUOTA))
        return None
    return int(text)


def _check_date(raw: str, line: int, today: date, problems: list[Problem]) -> date | None:
    """The date, or None when blank ("not given") or after recording why it is bad."""
    text = raw.strip()
    if not text:
        return None
    try:
        value = parse_date(text, today)
    except InvalidInput:
        problems.append(Problem(line, "bad_date", text))
        return None
    if value > today:
        problems.append(Problem(line, "future_date", text))
        return None
    if value < EARLIEST_ADMISSION:
        problems.append(Problem(line, "bad_date", text))
        return None
    return value


# ---------------------------------------------------------------------------------------------
# The two files


def parse_cells_csv(text: str) -> list[CellRow]:
    """The cells in a cells file, in file order. Raises ImportRejected with every problem."""
    records, problems = _read_records(text, CELL_COLUMNS, CELL_REQUIRED)
    if problems and not records:
        raise ImportRejected(problems)
    rows: list[CellRow] = []
    seen: dict[str, int] = {}  # folded name → line it first appeared on
    for rec in records:
        before = len(problems)
        name = _check_name(
            rec.fields["name"], rec.line, empty_code="empty_name", limit=MAX_CELL_NAME,
            problems=problems,
        )
        kind = parse_cell_kind(rec.fields["kind"])
        if kind is None:
            problems.append(Problem(rec.line, "unknown_kind", rec.fields["kind"].strip()))
        quota_given = "quota" in rec.fields
        quota = _check_quota(rec.fields.get("quota", ""), rec.line, problems)
        if name is not None:
            key = fold_name(name)
            if key in seen:
                problems.append(Problem(rec.line, "duplicate_cell", name, first_line=seen[key]))
            else:
                seen[key] = rec.line
        if len(problems) == before and name is not None and kind is not None:
            rows.append(CellRow(rec.line, name, kind, quota, quota_given))
    if problems:
        raise ImportRejected(problems)
    return rows


def parse_members_csv(text: str, *, known_cells: Iterable[str], today: date) -> list[MemberRow]:
    """The members in a members file, in file order. Raises ImportRejected with every problem.

    `known_cells`: the names of the ward's active cells as stored (a set, or a dict's keys).
    A members file cannot create cells: import the cells file first.
    """
    cells = list(known_cells)
    records, problems = _read_records(text, MEMBER_COLUMNS, MEMBER_REQUIRED)
    if problems and not records:
        raise ImportRejected(problems)
    rows: list[MemberRow] = []
    seen: dict[tuple[str, str], int] = {}  # (cell, folded full name) → first line
    resolved: dict[str, str | None] = {}  # typed cell name → stored one: resolved once, not per row
    for rec in records:
        before = len(problems)
        cell = _check_cell(rec.fields["cell"], rec.line, cells, problems, resolved)
        full_name = _check_name(
            rec.fields["full_name"], rec.line, empty_code="empty_full_name", limit=MAX_FULL_NAME,
            problems=problems,
        )
        status = parse_member_status(rec.fields["status"])
        if status is None:
            problems.append(Problem(rec.line, "unknown_status", rec.fields["status"].strip()))
        admitted_on = _check_date(rec.fields.get("admitted_on", ""), rec.line, today, problems)
        joined_on = _check_date(rec.fields.get("joined_on", ""), rec.line, today, problems)
        left_on = _check_date(rec.fields.get("left_on", ""), rec.line, today, problems)
        left_how = _check_reason(rec.fields.get("left_reason", ""), left_on, rec.line, problems)
        if cell is not None and full_name is not None:
            key = (cell, fold_name(full_name))
            if key in seen:
                problems.append(
                    Problem(rec.line, "duplicate_member", full_name, first_line=seen[key])
                )
            else:
                seen[key] = rec.line
        if len(problems) == before and cell and full_name and status is not None:
            rows.append(MemberRow(rec.line, cell, full_name, status, admitted_on, joined_on, left_on,
                                  left_how or LeaveKind.UNKNOWN))
    if problems:
        raise ImportRejected(problems)
    return rows


def _check_cell(
    raw: str, line: int, known: list[str], problems: list[Problem], resolved: dict[str, str | None]
) -> str | None:
    name = clean_name(raw)
    if not name:
        problems.append(Problem(line, "empty_cell"))
        return None
    if name not in resolved:  # resolve_cell scans every cell: 100k rows × 1,000 cells otherwise
        resolved[name] = resolve_cell(name, known)
    stored = resolved[name]
    if stored is None:
        problems.append(Problem(line, "unknown_cell", name))
    return stored


def _check_reason(raw: str, left_on: date | None, line: int, problems: list[Problem]) -> LeaveKind | None:
    """Why the member left (blank: not recorded); a reason needs the date it happened."""
    text = raw.strip()
    if not text:
        return None
    kind = parse_leave_kind(text)
    if kind is None:
        problems.append(Problem(line, "unknown_reason", text))
        return None
    if left_on is None:
        problems.append(Problem(line, "reason_without_date", text))
    return kind


def parse_quotas_csv(text: str, *, known_cells: Iterable[str], today: date) -> list[QuotaRow]:
    """The quotas in a quotas file (the plan: each cell's quota for a year, who set it), in file
    order. A cell named "Đảng bộ" sets the ward's own quota. Years from 2000 to next year."""
    cells = list(known_cells)
    records, problems = _read_records(text, QUOTA_COLUMNS, QUOTA_REQUIRED)
    if problems and not records:
        raise ImportRejected(problems)
    rows: list[QuotaRow] = []
    seen: dict[tuple[str | None, int], int] = {}
    resolved: dict[str, str | None] = {}
    last_year = today.year + 1  # next year's plan comes in December
    for rec in records:
        before = len(problems)
        typed = clean_name(rec.fields["cell"])
        ward = fold_name(typed) in WARD_NAMES
        cell = None if ward else _check_cell(rec.fields["cell"], rec.line, cells, problems, resolved)
        year_text = rec.fields["year"].strip()
        year = int(year_text) if _WHOLE_NUMBER.fullmatch(year_text) else None
        if year is None or not 2000 <= year <= last_year:
            problems.append(Problem(rec.line, "bad_year", year_text, expected=last_year))
            year = None
        quota = _check_quota(rec.fields["quota"], rec.line, problems)
        if quota is None and len(problems) == before:  # blank: a quota file must give one
            problems.append(Problem(rec.line, "bad_quota", "", expected=MAX_QUOTA))
        raw_set_by = rec.fields.get("set_by", "")
        set_by = (_check_name(raw_set_by, rec.line, empty_code="empty_name", limit=MAX_SET_BY,
                              problems=problems) if clean_name(raw_set_by) else "")
        if (cell is not None or ward) and year is not None:
            key = (cell, year)
            if key in seen:
                problems.append(Problem(rec.line, "duplicate_quota", typed, first_line=seen[key]))
            else:
                seen[key] = rec.line
        if len(problems) == before and year is not None and quota is not None and set_by is not None:
            rows.append(QuotaRow(rec.line, cell, year, quota, set_by))
    if problems:
        raise ImportRejected(problems)
    return rows
