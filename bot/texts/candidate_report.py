"""/ungvien: the questions, refusals, summary and confirmation of reporting a new candidate."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from bot.domain.candidates import CandidateInfo
from bot.domain.dates import LooseDate
from bot.domain.roles import Role
from bot.domain.stages import Stage
from bot.texts import t
from bot.texts.fields import LABELS, edit_question, line
from bot.texts.formatting import format_age, format_date

MESSAGES: dict[str, dict[str, str]] = {
    "flow.name.ungvien": {"vi": "báo cáo quần chúng ưu tú mới", "en": "reporting a new candidate"},
    "uv.only_secretary": {
        "vi": "Chỉ bí thư chi bộ mới báo cáo quần chúng ưu tú mới (/ungvien), vì việc này ghi vào "
              "danh sách của một chi bộ. Đồng chí đang dùng bot với vai trò {role}: đồng chí có thể "
              "theo dõi tình hình bằng {commands}. Không có gì được bắt đầu.",
        "en": "Only a cell secretary reports a new candidate (/ungvien), because it goes into one "
              "cell's list. You use the bot as {role}: you can follow progress with {commands}. "
              "Nothing was started.",
    },
    # ── the questions ──────────────────────────────────────────────────────────────────────
    "uv.ask.name": {
        "vi": "📝 Báo cáo quần chúng ưu tú mới — {cell}.\n\n"
              "Bước 1/6. Họ và tên của quần chúng? (ví dụ: Nguyễn Thị Mai)",
        "en": "📝 New candidate — {cell}.\n\nStep 1/6. The person's full name? (e.g. Nguyễn Thị Mai)",
    },
    "uv.ask.birth": {
        "vi": "Bước 2/6. Ngày sinh của {name}? Gõ ngày/tháng/năm, hoặc chỉ năm sinh nếu chỉ biết năm "
              "(ví dụ: 12/3/1998 hoặc 1998).",
        "en": "Step 2/6. {name}'s birth date? Type day/month/year, or just the year if that is all "
              "you know (e.g. 12/3/1998 or 1998).",
    },
    "uv.ask.gender": {"vi": "Bước 3/6. Giới tính của {name}?", "en": "Step 3/6. {name}'s gender?"},
    "uv.ask.background": {
        "vi": "Bước 4/6. {name} hiện là:",
        "en": "Step 4/6. {name} is currently:",
    },
    "uv.ask.spotted": {
        "vi": "Bước 5/6. Chi bộ phát hiện, bồi dưỡng {name} từ ngày nào? Bấm «Hôm nay» hoặc gõ "
              "ngày/tháng/năm (ví dụ: 15/10/2026).",
        "en": "Step 5/6. Since when has the cell been following {name}? Press «Today» or type "
              "day/month/year (e.g. 15/10/2026).",
    },
    "uv.ask.helper": {
        "vi": "Bước 6/6. Đảng viên nào được phân công giúp đỡ {name}? Bấm tên trong danh sách "
              "(trang {page}/{pages}), hoặc gõ một phần họ tên để tìm (ví dụ: Bình). "
              "Chưa phân công thì bấm «Bỏ qua».",
        "en": "Step 6/6. Which member is assigned to help {name}? Press a name in the list "
              "(page {page}/{pages}), or type part of a name to search (e.g. Bình). "
              "Not assigned yet: press «Skip».",
    },
    "uv.ask.helper_search": {
        "vi": "Bước 6/6. Đảng viên nào được phân công giúp đỡ {name}? Chi bộ có {count} đảng viên: "
              "gõ một phần họ tên để tìm (ví dụ: Bình), hoặc bấm «Xem cả danh sách». "
              "Chưa phân công thì bấm «Bỏ qua».",
        "en": "Step 6/6. Which member is assigned to help {name}? The cell has {count} members: "
              "type part of a name to search (e.g. Bình), or press «Browse the whole list». "
              "Not assigned yet: press «Skip».",
    },
    "uv.ask.helper_found": {
        "vi": "Bước 6/6. Có {count} đảng viên khớp với «{query}» (trang {page}/{pages}). Bấm đúng "
              "người, gõ tên khác để tìm lại, hoặc ghi đúng tên như đã gõ.",
        "en": "Step 6/6. {count} members match «{query}» (page {page}/{pages}). Press the right one, "
              "type another name to search again, or record the name as typed.",
    },
    "uv.ask.helper_typed": {
        "vi": "Bước 6/6. Họ tên đảng viên được phân công giúp đỡ {name}? (ví dụ: Trần Văn Bình). "
              "Chưa phân công thì bấm «Bỏ qua».",
        "en": "Step 6/6. Full name of the member assigned to help {name}? (e.g. Trần Văn Bình). "
              "Not assigned yet: press «Skip».",
    },
    "uv.ask.field": {
        "vi": "Đồng chí muốn sửa mục nào?",
        "en": "Which item do you want to change?",
    },
    # ── correcting one item from the summary: "✏️ Sửa <label> (đang ghi «…»). <how>" ────────
    "uv.edit_how.name": {"vi": "Gõ họ và tên đúng, ví dụ: Nguyễn Thị Mai.",
                         "en": "Type the correct full name, e.g. Nguyễn Thị Mai."},
    "uv.edit_how.birth": {
        "vi": "Gõ ngày/tháng/năm, hoặc chỉ năm sinh nếu chỉ biết năm (ví dụ: 12/3/1998 hoặc 1998).",
        "en": "Type day/month/year, or just the year if that is all you know (e.g. 12/3/1998 or 1998).",
    },
    "uv.edit_how.gender": {"vi": "Chọn giới tính đúng:", "en": "Choose the correct one:"},
    "uv.edit_how.background": {"vi": "Chọn đúng đối tượng:", "en": "Choose the correct one:"},
    "uv.edit_how.spotted": {"vi": "Bấm «Hôm nay» hoặc gõ ngày/tháng/năm (ví dụ: 15/10/2026).",
                            "en": "Press «Today» or type day/month/year (e.g. 15/10/2026)."},
    "uv.edit_how.helper": {
        "vi": "Bấm tên trong danh sách (trang {page}/{pages}), hoặc gõ một phần họ tên để tìm "
              "(ví dụ: Bình). Chưa phân công thì bấm «Bỏ qua».",
        "en": "Press a name in the list (page {page}/{pages}), or type part of a name to search "
              "(e.g. Bình). Not assigned yet: press «Skip».",
    },
    "uv.edit_how.helper_search": {
        "vi": "Chi bộ có {count} đảng viên: gõ một phần họ tên để tìm (ví dụ: Bình), hoặc bấm «Xem cả "
              "danh sách». Chưa phân công thì bấm «Bỏ qua».",
        "en": "The cell has {count} members: type part of a name to search (e.g. Bình), or press "
              "«Browse the whole list». Not assigned yet: press «Skip».",
    },
    "uv.edit_how.helper_typed": {
        "vi": "Gõ họ và tên đảng viên giúp đỡ (ví dụ: Trần Văn Bình). Chưa phân công thì bấm «Bỏ qua».",
        "en": "Type the helping member's full name (e.g. Trần Văn Bình). Not assigned yet: press «Skip».",
    },
    "uv.button.use_typed": {"vi": "Ghi tên «{name}» như đã gõ", "en": "Record «{name}» as typed"},
    "uv.button.show_all": {"vi": "Xem cả danh sách", "en": "Show the whole list"},
    # ── the summary and the confirmation ────────────────────────────────────────────────────
    "uv.summary": {
        "vi": "Kiểm tra lại trước khi lưu:\n\n{details}{warnings}\n\n"
              "Đúng thì bấm «✅ Lưu»; cần chỉnh thì bấm «✏️ Sửa».",
        "en": "Check before saving:\n\n{details}{warnings}\n\nIf it is right press «✅ Save»; "
              "to change something press «✏️ Edit».",
    },
    "uv.saved": {
        "vi": "✅ Đã lưu quần chúng ưu tú mới của {cell}:\n\n{details}{warnings}\n\n"
              "Khi quần chúng học lớp nhận thức về Đảng, hãy ghi lại bằng /capnhat.",
        "en": "✅ Saved the new candidate of {cell}:\n\n{details}{warnings}\n\n"
              "When the person attends the awareness course, record it with /capnhat.",
    },
    "uv.line.name": line("full_name"),
    "uv.line.birth_date": line("birth"),
    "uv.line.birth_year": line("birth_year"),
    "uv.line.gender": line("gender"),
    "uv.line.background": line("background"),
    "uv.line.spotted": line("spotted"),
    "uv.line.helper": line("helper"),
    "uv.helper_none": {"vi": "chưa phân công", "en": "not assigned yet"},
    "uv.helper_typed_mark": {"vi": "{name} (ghi theo tên đã gõ)", "en": "{name} (as typed)"},
    "uv.warning.age": {
        "vi": "⚠️ Lưu ý về tuổi: tính đến hôm nay {name} mới {age}{year_only}. "
              "Người được kết nạp phải đủ {min_years} tuổi đến đủ {max_years} tuổi, tính theo tháng, "
              "vào ngày chi bộ xét. Vẫn lưu được để chi bộ theo dõi, bồi dưỡng.",
        "en": "⚠️ Age: as of today {name} is {age}{year_only}. A person admitted "
              "must be from a full {min_years} to a full {max_years} years old, counted in months, on "
              "the day the cell votes. You can still save, so the cell can follow the person.",
    },
    "uv.warning.age_over": {
        "vi": "⚠️ Lưu ý về tuổi: tính đến hôm nay {name} đã {age}{year_only}. "
              "Người được kết nạp phải đủ {min_years} tuổi đến đủ {max_years} tuổi, tính theo tháng, "
              "vào ngày chi bộ xét. Vẫn lưu được để chi bộ theo dõi, bồi dưỡng.",
        "en": "⚠️ Age: as of today {name} is {age}{year_only}. A person admitted "
              "must be from a full {min_years} to a full {max_years} years old, counted in months, on "
              "the day the cell votes. You can still save, so the cell can follow the person.",
    },
    "uv.warning.year_only": {
        "vi": ", tính từ 1/1 vì chỉ biết năm sinh",
        "en": ", counted from 1 January as only the year is known",
    },
    # ── field names for "✏️ Sửa" ────────────────────────────────────────────────────────────
    # (the labels themselves are bot.texts.fields'; /ungvien's steps are named as its questions)
    "uv.field.name": LABELS["full_name"],
    "uv.field.birth": LABELS["birth"],
    "uv.field.gender": LABELS["gender"],
    "uv.field.background": LABELS["background"],
    "uv.field.spotted": LABELS["spotted"],
    "uv.field.helper": LABELS["helper"],
    # ── refusals: what was expected, with an example (the question follows) ────────────────
    "uv.name.error.empty": {
        "vi": "Chưa có họ tên. Xin gõ đầy đủ họ và tên, ví dụ: Nguyễn Thị Mai.",
        "en": "No name was given. Please type the full name, e.g. Nguyễn Thị Mai.",
    },
    "uv.name.error.not_a_name": {
        "vi": "«{shown}» không giống một họ tên. Xin gõ họ và tên bằng chữ, ví dụ: Nguyễn Thị Mai.",
        "en": "«{shown}» does not look like a name. Please type the full name in letters, "
              "e.g. Nguyễn Thị Mai.",
    },
    "uv.name.error.too_long": {
        "vi": "Họ tên quá dài ({length} ký tự, tối đa {limit}). Xin gõ lại, ví dụ: Nguyễn Thị Mai.",
        "en": "The name is too long ({length} characters, at most {limit}). Please type it again, "
              "e.g. Nguyễn Thị Mai.",
    },
    "uv.birth.error.format": {
        "vi": "«{value}» không phải là ngày sinh. Xin gõ ngày/tháng/năm hoặc chỉ năm sinh, "
              "ví dụ: 12/3/1998 hoặc 1998.",
        "en": "«{value}» is not a birth date. Please type day/month/year or just the year, "
              "e.g. 12/3/1998 or 1998.",
    },
    "uv.birth.error.impossible": {
        "vi": "Ngày «{value}» không có trên lịch (ví dụ tháng 2 không có ngày 31). Xin gõ lại, "
              "ví dụ: 12/3/1998 hoặc 1998.",
        "en": "There is no such date as «{value}» (February has no 31st, for instance). Please type "
              "it again, e.g. 12/3/1998 or 1998.",
    },
    "uv.birth.error.year_range": {
        "vi": "Năm sinh «{value}» không hợp lệ: phải là năm đã qua, từ 1900 trở đi. Ví dụ: 1998.",
        "en": "Birth year «{value}» is not valid: it must be a past year, from 1900 on. E.g. 1998.",
    },
    "uv.birth.error.birth_range": {
        "vi": "Ngày sinh «{value}» không hợp lệ: không thể là ngày trong tương lai, hay quá 100 năm "
              "trước. Xin gõ lại, ví dụ: 12/3/1998 hoặc 1998.",
        "en": "Birth date «{value}» is not valid: it cannot be in the future or more than 100 years "
              "ago. Please type it again, e.g. 12/3/1998 or 1998.",
    },
    "uv.spotted.error.format": {
        "vi": "«{value}» không phải là một ngày. Xin bấm «Hôm nay» hoặc gõ ngày/tháng/năm, "
              "ví dụ: {example}.",
        "en": "«{value}» is not a date. Please press «Today» or type day/month/year, e.g. {example}.",
    },
    "uv.spotted.error.impossible": {
        "vi": "Ngày «{value}» không có trên lịch (ví dụ tháng 2 không có ngày 31). Xin gõ lại, "
              "ví dụ: {example}.",
        "en": "There is no such date as «{value}». Please type it again, e.g. {example}.",
    },
    "uv.spotted.error.future": {
        "vi": "Ngày phát hiện không thể sau hôm nay ({today}). Xin bấm «Hôm nay» hoặc gõ một ngày "
              "đã qua, ví dụ: {example}.",
        "en": "The date spotted cannot be after today ({today}). Press «Today» or type a past date, "
              "e.g. {example}.",
    },
    "uv.spotted.error.before_birth": {
        "vi": "Ngày phát hiện không thể trước ngày sinh ({birth}). Xin gõ lại, ví dụ: {example}.",
        "en": "The date spotted cannot be before the birth date ({birth}). Please type it again, "
              "e.g. {example}.",
    },
    "uv.error.duplicate_candidate": {
        "vi": "Chi bộ đã có quần chúng {name} (sinh năm {year}) trong danh sách, nên lần này chưa lưu. "
              "Nếu là người khác trùng tên, xin ghi thêm để phân biệt (ví dụ: {name} (thôn 2)); "
              "nếu là cùng một người, bấm «Hủy».",
        "en": "The cell already has candidate {name} (born {year}) on its list, so this was not saved. "
              "If it is a different person with the same name, add something to tell them apart "
              "(e.g. {name} (hamlet 2)); if it is the same person, press «Cancel».",
    },
    "uv.error.before_birth": {
        "vi": "Ngày phát hiện trước ngày sinh. Chưa có gì được lưu; xin sửa lại ngày.",
        "en": "The date spotted is before the birth date. Nothing was saved; please correct it.",
    },
    "uv.helper.error.empty": {
        "vi": "Chưa có họ tên. Xin gõ họ tên đảng viên giúp đỡ (ví dụ: Trần Văn Bình) hoặc bấm «Bỏ qua».",
        "en": "No name was given. Type the helping member's name (e.g. Trần Văn Bình) or press «Skip».",
    },
    "uv.helper.error.not_a_name": {
        "vi": "«{shown}» không giống một họ tên. Xin gõ họ tên đảng viên giúp đỡ, ví dụ: Trần Văn Bình, "
              "hoặc bấm «Bỏ qua».",
        "en": "«{shown}» does not look like a name. Type the helping member's name, e.g. Trần Văn "
              "Bình, or press «Skip».",
    },
    "uv.helper.error.too_long": {
        "vi": "Họ tên quá dài ({length} ký tự, tối đa {limit}). Xin gõ lại, ví dụ: Trần Văn Bình.",
        "en": "The name is too long ({length} characters, at most {limit}). Type it again, "
              "e.g. Trần Văn Bình.",
    },
    "uv.error.unknown_member": {
        "vi": "Đảng viên đã chọn không còn trong danh sách của chi bộ. Xin chọn lại người giúp đỡ. "
              "Chưa có gì được lưu.",
        "en": "The member you picked is no longer on the cell's list. Please pick the helper again. "
              "Nothing was saved.",
    },
}


def birth_line(birth: LooseDate, lang: str) -> str:
    if birth.is_year_only:
        return t("uv.line.birth_year", lang, value=birth.year)
    return t("uv.line.birth_date", lang, value=format_date(birth.as_date(), lang))


# /ungvien's steps by the field each one fills (bot.texts.fields names them)
STEP_FIELDS = {"name": "full_name", "birth": "birth", "gender": "gender", "background": "background",
               "spotted": "spotted", "helper": "helper"}


def edit_text(step: str, d: dict[str, Any], lang: str, how_key: str = "", **how_values: Any) -> str:
    """The question correcting one item from the summary: "✏️ Sửa họ và tên (đang ghi «…»). …"."""
    if step == "birth":
        year, month, day = d["birth"]
        birth = LooseDate(year, month, day)
        old = str(birth.year) if birth.is_year_only else format_date(birth.as_date(), lang)
    elif step in ("gender", "background"):
        old = t(f"{step}.{d[step]}", lang)
    elif step == "spotted":
        old = format_date(date.fromisoformat(d["spotted"]), lang)
    elif step == "helper":
        old = helper_text(d.get("helper_name", ""), bool(d.get("helper_off_list")), lang)
    else:
        old = str(d[step])
    field = "birth_year" if step == "birth" and old.isdigit() else STEP_FIELDS[step]
    return edit_question(field, old, t(how_key or f"uv.edit_how.{step}", lang, **how_values), lang)


def helper_text(helper_name: str, off_list: bool, lang: str) -> str:
    """The helper as the summary shows it; a name typed although the cell has a list is marked so."""
    if not helper_name:
        return t("uv.helper_none", lang)
    return t("uv.helper_typed_mark", lang, name=helper_name) if off_list else helper_name


def candidate_details(name: str, birth: LooseDate, gender: str, background: str, spotted: date,
                      helper: str, lang: str) -> str:
    """The candidate's details, one line each, as the summary and the confirmation show them."""
    return "\n".join([
        t("uv.line.name", lang, value=name),
        birth_line(birth, lang),
        t("uv.line.gender", lang, value=t(f"gender.{gender}", lang)),
        t("uv.line.background", lang, value=t(f"background.{background}", lang)),
        t("uv.line.spotted", lang, value=format_date(spotted, lang)),
        t("uv.line.helper", lang, value=helper),
    ])


def age_warning_text(name: str, birth: LooseDate, warning: dict[str, Any], min_months: int, lang: str) -> str:
    key = "uv.warning.age" if warning["months"] < min_months else "uv.warning.age_over"
    year_only = t("uv.warning.year_only", lang) if birth.is_year_only else ""
    return t(key, lang, name=name, year_only=year_only, age=format_age(warning["months"], lang), **warning)


def summary_text(name: str, birth: LooseDate, gender: str, background: str, spotted: date, helper: str,
                 warning: dict[str, Any] | None, min_months: int, lang: str) -> str:
    """/ungvien's summary before saving, with the age warning if there is one."""
    age = "\n\n" + age_warning_text(name, birth, warning, min_months, lang) if warning else ""
    return t("uv.summary", lang, warnings=age,
             details=candidate_details(name, birth, gender, background, spotted, helper, lang))


def saved_text(c: CandidateInfo, warnings: Iterable[dict[str, Any]], cell_name: str, off_list: bool,
               min_months: int, lang: str) -> str:
    """What /ungvien repeats after saving: the candidate's details and any age warning."""
    age = "".join(
        "\n\n" + age_warning_text(c.full_name, c.birth, {k: v for k, v in w.items() if k != "code"},
                                    min_months, lang)
        for w in warnings if w.get("code") == "age")
    return t("uv.saved", lang, cell=cell_name, warnings=age, details=candidate_details(
        c.full_name, c.birth, c.gender, c.background, c.steps[Stage.SPOTTED].on,
        helper_text(c.helper_name, off_list, lang), lang))


def only_secretary(role: Role, lang: str) -> str:
    """/ungvien asked by someone who is not a cell secretary: what they can follow instead."""
    commands = "/tiendo, /tonghop" if role is Role.COMMITTEE else "/tonghop"
    return t("uv.only_secretary", lang, role=t(f"role.{role.value}", lang), commands=commands)
