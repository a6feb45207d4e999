"""Reading cells and members CSV files: every problem is found, with its line, and nothing else."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.cells import CellKind, fold_name, resolve_cell
from bot.domain.csv_import import (
    MAX_CELL_NAME,
    MAX_FILE_BYTES,
    MAX_FULL_NAME,
    MAX_QUOTA,
    CellRow,
    ImportRejected,
    MemberRow,
    Problem,
    choose_spelling,
    clean_name,
    decode_csv,
    parse_cells_csv,
    parse_members_csv,
)
from bot.domain.errors import DomainError
from bot.domain.members import MemberStatus
from bot.texts import has_text, t
from bot.texts.importing import describe_problem, describe_rejection, describe_report

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TODAY = date(2025, 6, 1)
KNOWN = {"Chi bộ tổ 16", "Chi bộ tổ 7", "Chi bộ Trường THCS Hoàng Văn Thụ"}


def cells_problems(text: str) -> list[Problem]:
    with pytest.raises(ImportRejected) as caught:
        parse_cells_csv(text)
    return caught.value.problems


def members_problems(text: str, known: set[str] = KNOWN) -> list[Problem]:
    with pytest.raises(ImportRejected) as caught:
        parse_members_csv(text, known_cells=known, today=TODAY)
    return caught.value.problems


def members(text: str, known: set[str] = KNOWN) -> list[MemberRow]:
    return parse_members_csv(text, known_cells=known, today=TODAY)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


# ---------------------------------------------------------------------------------------------
# Cells files: accepted shapes


def test_english_header_with_commas_gives_cells_in_file_order() -> None:
    rows = parse_cells_csv("name,kind,quota\nChi bộ tổ 16,residential,\nChi bộ A,school,2\n")
    assert rows == [
        CellRow(2, "Chi bộ tổ 16", CellKind.RESIDENTIAL, None),
        CellRow(3, "Chi bộ A", CellKind.SCHOOL, 2),
    ]


def test_vietnamese_header_semicolons_and_bom_as_excel_writes_them() -> None:
    text = "\ufeffTên chi bộ;Loại;Chỉ tiêu\r\nChi bộ tổ 16;Tổ dân phố;1\r\nChi bộ B;cơ quan;\r\n"
    assert parse_cells_csv(text) == [
        CellRow(2, "Chi bộ tổ 16", CellKind.RESIDENTIAL, 1),
        CellRow(3, "Chi bộ B", CellKind.AGENCY, None),
    ]


@pytest.mark.parametrize(
    "header",
    [
        "ten chi bo,loai,chi tieu",
        "TÊN CHI BỘ,LOẠI,CHỈ TIÊU",
        " name , Kind , QUOTA ",
        "chi bộ,loại,chỉ tiêu",
    ],
)
def test_headers_match_without_accents_case_or_padding(header: str) -> None:
    assert parse_cells_csv(f"{header}\nChi bộ tổ 16,tổ dân phố,1\n")[0].quota == 1


def test_tab_separated_text_pasted_from_a_spreadsheet_is_read() -> None:
    rows = parse_cells_csv("tên chi bộ\tloại\nChi bộ tổ 16, khu 2\ttổ dân phố\n")
    assert rows[0].name == "Chi bộ tổ 16, khu 2"


def test_columns_may_come_in_any_order_and_extra_columns_are_ignored() -> None:
    text = "STT;Loại;Ghi chú;Tên chi bộ\n1;trường học;mới lập;Chi bộ Trường Mầm non\n"
    assert parse_cells_csv(text) == [
        CellRow(2, "Chi bộ Trường Mầm non", CellKind.SCHOOL, None, quota_given=False)
    ]


def test_without_a_quota_column_the_rows_say_the_quota_was_not_given() -> None:
    (row,) = parse_cells_csv("name,kind\nChi bộ tổ 16,residential\n")
    assert (row.quota, row.quota_given) == (None, False)


def test_blank_lines_and_trailing_empty_fields_are_skipped_but_lines_still_count() -> None:
    text = (
        "\n\nname;kind;quota\n;;\n"  # lines 1-4
        "Chi bộ tổ 16;residential;1;;\n\n   \n"  # lines 5-7
        "Chi bộ tổ 7;residential;\n"  # line 8
    )
    rows = parse_cells_csv(text)
    assert [(r.line, r.name) for r in rows] == [(5, "Chi bộ tổ 16"), (8, "Chi bộ tổ 7")]


def test_a_quoted_field_spanning_lines_keeps_later_line_numbers_true() -> None:
    text = 'name,kind\n"Chi bộ\ntổ 16",residential\nChi bộ tổ 7,xyz\n'
    problem = only(cells_problems(text))
    assert (problem.line, problem.code) == (4, "unknown_kind")


def test_names_are_stored_in_nfc_with_single_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Chi bộ   tổ 16 ")
    (row,) = parse_cells_csv(f"name,kind\n{decomposed},residential\n")
    assert row.name == "Chi bộ tổ 16"
    assert unicodedata.is_normalized("NFC", row.name)


def test_the_example_cells_file_is_valid() -> None:
    rows = parse_cells_csv(decode_csv((EXAMPLES / "cells.csv").read_bytes()))
    assert len(rows) == 4
    assert CellRow(4, "Chi bộ Trường THCS Hoàng Văn Thụ", CellKind.SCHOOL, 2) in rows


# ---------------------------------------------------------------------------------------------
# Cells files: each problem on its own


def test_an_empty_file_is_one_problem() -> None:
    assert only(cells_problems("")) == Problem(1, "empty_file")


def test_a_file_of_blank_lines_and_bare_delimiters_is_empty() -> None:
    assert only(cells_problems("\ufeff\n  \n;;;\n")).code == "empty_file"


def test_a_header_without_rows_is_a_problem_on_the_line_after_it() -> None:
    assert only(cells_problems("\nname,kind\n\n")) == Problem(3, "no_rows")


def test_every_missing_required_column_is_named() -> None:
    problems = cells_problems("STT,quota\n1,2\n")
    assert problems == [Problem(1, "missing_column", "name"), Problem(1, "missing_column", "kind")]


def test_a_column_given_twice_is_a_header_problem() -> None:
    problem = only(cells_problems("name,kind,Loại\nA,school,school\n"))
    assert (problem.line, problem.code, problem.value) == (1, "duplicate_column", "Loại")


def test_a_line_with_the_wrong_number_of_fields_is_reported_with_both_counts() -> None:
    problem = only(cells_problems("name,kind,quota\nChi bộ tổ 16,residential\n"))
    assert problem == Problem(2, "field_count", "2", expected=3)


def test_a_line_with_too_many_non_empty_fields_is_reported() -> None:
    problem = only(cells_problems("name,kind\nChi bộ tổ 16,residential,1\n"))
    assert problem == Problem(2, "field_count", "3", expected=2)


def test_an_unknown_kind_is_reported_with_the_value_typed() -> None:
    problem = only(cells_problems("name,kind\nChi bộ tổ 16,xyz\n"))
    assert problem == Problem(2, "unknown_kind", "xyz")


def test_an_empty_kind_is_an_unknown_kind() -> None:
    assert only(cells_problems("name,kind\nChi bộ tổ 16, \n")) == Problem(2, "unknown_kind", "")


def test_an_empty_cell_name_is_reported() -> None:
    assert only(cells_problems("name,kind\n  ,residential\n")) == Problem(2, "empty_name")


def test_a_cell_name_longer_than_the_column_is_reported() -> None:
    name = "Chi bộ " + "x" * MAX_CELL_NAME
    problem = only(cells_problems(f"name,kind\n{name},residential\n"))
    assert (problem.code, problem.value, problem.expected) == ("name_too_long", name, MAX_CELL_NAME)


def test_a_control_character_in_a_name_is_reported() -> None:
    problem = only(cells_problems("name,kind\nChi bộ\x00tổ 16,residential\n"))
    assert (problem.code, problem.value) == ("bad_character", "Chi bộ\ufffdtổ 16")


@pytest.mark.parametrize("quota", ["-1", "1.5", "hai", "1e3", str(MAX_QUOTA + 1), "99999999999"])
def test_a_quota_that_is_not_a_whole_number_in_range_is_reported(quota: str) -> None:
    problem = only(cells_problems(f"name,kind,quota\nChi bộ tổ 16,residential,{quota}\n"))
    assert problem == Problem(2, "bad_quota", quota, expected=MAX_QUOTA)


def test_zero_is_a_valid_quota() -> None:
    assert parse_cells_csv("name,kind,quota\nChi bộ tổ 16,residential,0\n")[0].quota == 0


def test_the_same_cell_twice_is_reported_at_the_second_line_naming_the_first() -> None:
    text = (
        "name,kind\nChi bộ tổ 16,residential\nChi bộ tổ 7,residential\n"
        "CHI BO TO 16,residential\n"
    )
    problem = only(cells_problems(text))
    assert problem == Problem(4, "duplicate_cell", "CHI BO TO 16", first_line=2)


def test_every_problem_of_a_bad_file_is_reported_with_its_line() -> None:
    text = (
        "tên chi bộ;loại;chỉ tiêu\n"  # 1
        "Chi bộ tổ 16;tổ dân phố;1\n"  # 2 fine
        ";cơ quan;\n"  # 3 empty name
        "Chi bộ tổ 7;xyz;abc\n"  # 4 unknown kind AND bad quota
        "Chi bộ tổ 16;trường học;2\n"  # 5 duplicate of line 2
        "Chi bộ tổ 9;cơ quan\n"  # 6 wrong field count
        "\n"  # 7 blank: skipped
        "Chi bộ tổ 10;đơn vị;-3\n"  # 8 bad quota
    )
    problems = cells_problems(text)
    assert [(p.line, p.code) for p in problems] == [
        (3, "empty_name"),
        (4, "unknown_kind"),
        (4, "bad_quota"),
        (5, "duplicate_cell"),
        (6, "field_count"),
        (8, "bad_quota"),
    ]


# ---------------------------------------------------------------------------------------------
# Members files


def test_members_resolve_to_the_stored_cell_name_even_when_written_short() -> None:
    text = (
        "chi bộ;họ và tên;trạng thái;ngày kết nạp\n"
        "Tổ 16;Nguyễn Văn Hùng;chính thức;19/05/1975\n"
        "chi bo to 7;Phạm Thị Lan;du bi;\n"
    )
    assert members(text) == [
        MemberRow(2, "Chi bộ tổ 16", "Nguyễn Văn Hùng", MemberStatus.FULL, date(1975, 5, 19)),
        MemberRow(3, "Chi bộ tổ 7", "Phạm Thị Lan", MemberStatus.PROBATIONARY, None),
    ]


def test_english_member_header_and_iso_dates_are_accepted() -> None:
    text = "cell,full_name,status,admitted_on\nChi bộ tổ 16,Lê Văn Tám,full,2001-09-02\n"
    assert members(text)[0].admitted_on == date(2001, 9, 2)


def test_the_admission_date_column_is_optional() -> None:
    assert members("cell,full_name,status\nTổ 16,Lê Văn Tám,full\n")[0].admitted_on is None


def test_the_example_members_file_is_valid_against_the_example_cells() -> None:
    cells = parse_cells_csv(decode_csv((EXAMPLES / "cells.csv").read_bytes()))
    text = decode_csv((EXAMPLES / "members.csv").read_bytes())
    rows = members(text, known={c.name for c in cells})
    assert len(rows) == 8
    assert {r.cell for r in rows} == {c.name for c in cells}


def test_members_header_missing_columns_are_each_named() -> None:
    problems = members_problems("họ và tên,ngày kết nạp\nA,1/1/2000\n")
    assert [p.value for p in problems] == ["cell", "status"]
    assert {p.code for p in problems} == {"missing_column"}


def test_a_cell_not_in_the_database_is_unknown() -> None:
    problem = only(members_problems("cell,full_name,status\nChi bộ tổ 99,Lê Văn Tám,full\n"))
    assert problem == Problem(2, "unknown_cell", "Chi bộ tổ 99")


def test_a_cell_name_matching_two_stored_cells_is_unknown_rather_than_guessed() -> None:
    known = {"Chi bộ tổ 16", "Chi bộ Tổ 16"}  # stored twice, spelt differently: which one?
    problems = members_problems("cell,full_name,status\nTổ 16,A,full\nchi bo to 16,B,full\n", known)
    assert [(p.line, p.code) for p in problems] == [(2, "unknown_cell"), (3, "unknown_cell")]
    assert members("cell,full_name,status\nChi bộ Tổ 16,A,full\n", known)[0].cell == "Chi bộ Tổ 16"


def test_a_short_cell_name_needs_the_chi_bo_prefix_to_be_the_only_difference() -> None:
    known = {"Chi bộ tổ 16", "Chi bộ tổ 1"}
    assert resolve_cell("Tổ 1", known) == "Chi bộ tổ 1"
    assert resolve_cell("tổ 16", known) == "Chi bộ tổ 16"
    assert resolve_cell("16", known) is None


def test_an_empty_cell_is_reported() -> None:
    assert only(members_problems("cell,full_name,status\n ,Lê Văn Tám,full\n")) == Problem(
        2, "empty_cell"
    )


def test_an_empty_full_name_is_reported() -> None:
    problem = only(members_problems("cell,full_name,status\nTổ 16,,full\n"))
    assert problem == Problem(2, "empty_full_name")


def test_a_full_name_longer_than_120_characters_is_reported() -> None:
    name = "Nguyễn " + "Văn " * 30 + "An"
    assert len(name) > MAX_FULL_NAME == 120
    problem = only(members_problems(f"cell,full_name,status\nTổ 16,{name},full\n"))
    assert (problem.code, problem.expected) == ("name_too_long", 120)


def test_a_full_name_of_exactly_120_characters_is_accepted() -> None:
    name = "A" * MAX_FULL_NAME
    assert members(f"cell,full_name,status\nTổ 16,{name},full\n")[0].full_name == name


def test_an_unknown_status_is_reported_with_the_value_typed() -> None:
    problem = only(members_problems("cell,full_name,status\nTổ 16,Lê Văn Tám,quần chúng\n"))
    assert problem == Problem(2, "unknown_status", "quần chúng")


@pytest.mark.parametrize("typed", ["31/02/2000", "hôm qua", "2000", "12/13/2001", "1/1/1925"])
def test_an_unreadable_impossible_or_pre_1930_date_is_a_bad_date(typed: str) -> None:
    problem = only(members_problems(f"cell,full_name,status,admitted_on\nTổ 16,A,full,{typed}\n"))
    assert problem == Problem(2, "bad_date", typed)


def test_an_admission_date_after_today_is_reported() -> None:
    problem = only(members_problems("cell,full_name,status,admitted_on\nTổ 16,A,full,02/06/2025\n"))
    assert problem == Problem(2, "future_date", "02/06/2025")


def test_an_admission_date_of_today_is_accepted() -> None:
    rows = members("cell,full_name,status,admitted_on\nTổ 16,A,dự bị,01/06/2025\n")
    assert rows[0].admitted_on == TODAY


def test_the_same_member_twice_in_a_cell_is_a_duplicate_naming_the_first_line() -> None:
    text = (
        "cell,full_name,status\n"
        "Chi bộ tổ 16,Nguyễn Văn An,full\n"
        "Chi bộ tổ 7,Nguyễn Văn An,full\n"  # same name, another cell: a different person
        "Tổ 16,nguyen van an,probationary\n"
    )
    problem = only(members_problems(text))
    assert problem == Problem(4, "duplicate_member", "nguyen van an", first_line=2)


def test_a_members_file_with_several_problems_reports_every_line() -> None:
    text = (
        "chi bộ;họ và tên;trạng thái;ngày kết nạp\n"  # 1
        "Tổ 16;Nguyễn Văn Hùng;chính thức;19/05/1975\n"  # 2 fine
        "Tổ 99;Trần Văn B;chính thức;\n"  # 3 unknown cell
        "Tổ 16;;dự bị;31/02/2020\n"  # 4 empty name AND bad date
        "Tổ 7;Lê C;đảng viên;01/01/2030\n"  # 5 unknown status AND future date
        "Tổ 16;nguyễn văn hùng;dự bị;\n"  # 6 duplicate of line 2
        "Tổ 7;Lê D\n"  # 7 wrong field count
    )
    problems = members_problems(text)
    assert [(p.line, p.code) for p in problems] == [
        (3, "unknown_cell"),
        (4, "empty_full_name"),
        (4, "bad_date"),
        (5, "unknown_status"),
        (5, "future_date"),
        (6, "duplicate_member"),
        (7, "field_count"),
    ]


# ---------------------------------------------------------------------------------------------
# Bytes, spelling, texts


def test_utf8_with_or_without_bom_decodes_to_the_same_text() -> None:
    text = "tên chi bộ,loại\n"
    assert decode_csv(text.encode()) == decode_csv(b"\xef\xbb\xbf" + text.encode()) == text


def test_bytes_that_are_not_utf8_are_rejected_at_the_line_of_the_first_bad_byte() -> None:
    data = "name,kind\nChi bộ tổ 16,residential\n".encode() + "Đà,x\n".encode("cp1258")
    with pytest.raises(ImportRejected) as caught:
        decode_csv(data)
    problem = only(caught.value.problems)
    assert (problem.line, problem.code) == (3, "not_utf8")


def test_a_file_too_large_is_rejected_before_decoding() -> None:
    with pytest.raises(ImportRejected) as caught:
        decode_csv(b"a" * (MAX_FILE_BYTES + 1))
    assert only(caught.value.problems).code == "file_too_large"


def test_import_rejected_is_a_domain_error_with_a_code_and_a_count() -> None:
    error = ImportRejected([Problem(5, "empty_name"), Problem(2, "empty_name")])
    assert isinstance(error, DomainError)
    assert (error.code, error.data) == ("import.rejected", {"count": 2})
    assert [p.line for p in error.problems] == [2, 5]


def test_an_unaccented_spelling_never_replaces_an_accented_one() -> None:
    assert choose_spelling("Chi bộ tổ 16", "Chi bo to 16") == "Chi bộ tổ 16"
    assert choose_spelling("Chi bộ tô 16", "Chi bộ tổ 16") == "Chi bộ tổ 16"  # a typo fixed
    assert choose_spelling("Chi bo to 16", "Chi bộ tổ 16") == "Chi bộ tổ 16"
    assert choose_spelling("chi bộ tổ 16", "Chi bộ tổ 16") == "Chi bộ tổ 16"


PROBLEM_CODES = [
    "empty_file", "no_rows", "missing_column", "duplicate_column", "field_count", "empty_name",
    "empty_full_name", "empty_cell", "name_too_long", "bad_character", "unknown_kind",
    "unknown_status", "bad_quota", "duplicate_cell", "duplicate_member", "unknown_cell",
    "bad_date", "future_date", "bad_csv", "not_utf8", "file_too_large",
]


@pytest.mark.parametrize("code", PROBLEM_CODES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_problem_code_has_a_text_that_renders(code: str, lang: str) -> None:
    assert has_text(f"import.problem.{code}")
    value = "name" if code == "missing_column" else "x"
    rendered = describe_problem(Problem(4, code, value, expected=3, first_line=2), lang)
    assert "{" not in rendered


def test_the_unknown_kind_text_names_the_line_the_value_and_the_kinds() -> None:
    rendered = describe_problem(Problem(4, "unknown_kind", "xyz"))
    assert rendered == t("import.problem.unknown_kind", "vi", line=4, value="xyz")
    assert "4" in rendered and "xyz" in rendered


def test_a_missing_column_is_named_in_the_reader_s_language() -> None:
    problem = Problem(1, "missing_column", "full_name")
    assert t("import.column.full_name", "vi") in describe_problem(problem, "vi")
    assert t("import.column.full_name", "en") in describe_problem(problem, "en")


def test_a_long_rejection_lists_the_first_problems_and_counts_the_rest() -> None:
    problems = [Problem(n, "empty_name") for n in range(2, 32)]
    lines = describe_rejection(problems, "vi", limit=20).splitlines()
    assert lines[0] == t("import.rejected", "vi", count=30)
    assert lines[1] == t("import.problem.empty_name", "vi", line=2)
    assert lines[-1] == t("import.more", "vi", count=10)
    assert len(lines) == 22


def test_the_report_text_gives_the_counts() -> None:
    class Report:
        kind, created, updated, unchanged, total = "members", 5, 2, 1, 8

    expected = t("import.report.members", "vi", total=8, created=5, updated=2, unchanged=1)
    assert describe_report(Report()) == expected


# ---------------------------------------------------------------------------------------------
# Properties

_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạấầẩẫậếềểễệốồổỗộớờởỡợứừửữựíìỉĩị"
_name_chars = st.sampled_from(_LETTERS + "0123456789 ,;\"'-–()\n")
_names = st.text(_name_chars, min_size=1, max_size=40).filter(lambda s: any(c.isalnum() for c in s))
_kind_spellings = st.sampled_from(
    ["residential", "Tổ dân phố", "to dan pho", "cơ quan", "agency", "Trường học", "school",
     "đơn vị", "unit", "DOANH NGHIỆP", "enterprise"]
)
_quotas = st.one_of(st.none(), st.integers(0, MAX_QUOTA))
_headers = st.sampled_from([("name", "kind", "quota"), ("Tên chi bộ", "Loại", "Chỉ tiêu")])


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(st.tuples(_names, _kind_spellings, _quotas), min_size=1, max_size=12,
                   unique_by=lambda c: fold_name(c[0])),
    header=_headers,
    delimiter=st.sampled_from([",", ";"]),
    bom=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_any_valid_cells_file_round_trips(
    cells: list[tuple[str, str, int | None]],
    header: tuple[str, str, str],
    delimiter: str,
    bom: bool,
    newline: str,
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows([(name, kind, "" if quota is None else quota) for name, kind, quota in cells])
    text = ("\ufeff" if bom else "") + out.getvalue()
    rows = parse_cells_csv(decode_csv(text.encode()))
    assert [(r.name, r.quota) for r in rows] == [(clean_name(n), q) for n, _, q in cells]
    assert all(r.quota_given for r in rows)
    assert [r.line for r in rows] == [
        2 + i + sum(n.count("\n") for n, _, _ in cells[:i]) for i in range(len(cells))
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(_LETTERS + ",;\"\n\r\t 0123456789\x00\ufeff"), max_size=200))
def test_any_text_gives_rows_or_a_rejection_never_a_crash(text: str) -> None:
    for parse in (parse_cells_csv,
                  lambda s: parse_members_csv(s, known_cells=KNOWN, today=TODAY)):
        try:
            parse(text)
        except ImportRejected as rejected:
            assert rejected.problems
            assert all(p.line >= 1 for p in rejected.problems)
            assert [p.line for p in rejected.problems] == sorted(p.line for p in rejected.problems)
