"""Words of /sinhhoat: reporting (or correcting) a cell meeting with its attendance."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.meetings import MeetingDraft
from bot.domain.roles import Role
from bot.texts import t
from bot.texts.formatting import format_date
from bot.texts.picker import near_text, search_first_text

MESSAGES: dict[str, dict[str, str]] = {
    "flow.name.sinhhoat": {"vi": "báo cáo sinh hoạt chi bộ", "en": "reporting a cell meeting"},
    # ── Who may use it ────────────────────────────────────────────────────────────────────────
    "meeting.not_for_admin": {
        "vi": "Lệnh /sinhhoat dành cho bí thư chi bộ báo cáo buổi sinh hoạt của chi bộ mình.\n"
              "Văn phòng Đảng ủy xem các chi bộ chưa báo cáo bằng /tonghop. Muốn sửa báo cáo của "
              "một chi bộ, xin nhờ bí thư chi bộ đó gõ /sinhhoat và chọn ngày cần sửa.",
        "en": "/sinhhoat is for cell secretaries to report their own cell's meetings.\n"
              "The ward office sees which cells have not reported with /tonghop. To fix a cell's "
              "report, ask that cell's secretary to send /sinhhoat and pick the date to correct.",
    },
    "meeting.not_for_committee": {
        "vi": "Lệnh /sinhhoat dành cho bí thư chi bộ báo cáo buổi sinh hoạt của chi bộ mình.\n"
              "Đồng chí là cấp ủy viên phụ trách: xem buổi sinh hoạt gần nhất của các chi bộ "
              "bằng /tiendo, và các chi bộ chưa báo cáo bằng /tonghop.",
        "en": "/sinhhoat is for cell secretaries to report their own cell's meetings.\n"
              "As a committee member in charge, see your cells' last meetings with /tiendo and "
              "the cells that have not reported with /tonghop.",
    },
    # ── Questions ─────────────────────────────────────────────────────────────────────────────
    "meeting.ask_date": {
        "vi": "Báo cáo sinh hoạt — {cell}.\nBuổi sinh hoạt họp ngày nào? Bấm «Hôm nay», hoặc gõ "
              "ngày/tháng/năm, ví dụ: {example}.",
        "en": "Meeting report — {cell}.\nOn what date was the meeting held? Press «Today», or type "
              "day/month/year, for example: {example}.",
    },
    "meeting.already_reported": {
        "vi": "Chi bộ đã báo cáo buổi sinh hoạt ngày {date}:\n\n{report}\n\n"
              "Mỗi ngày chỉ có một báo cáo. Nếu báo cáo trên có chỗ sai, bấm «✏️ Sửa báo cáo này» "
              "(bản cũ vẫn được lưu lại trong nhật ký); nếu không, bấm «Hủy».",
        "en": "The cell has already reported the meeting of {date}:\n\n{report}\n\n"
              "There is one report per date. If something above is wrong, press «✏️ Correct this "
              "report» (the old version stays in the log); otherwise press «Cancel».",
    },
    "meeting.button.correct": {"vi": "✏️ Sửa báo cáo này", "en": "✏️ Correct this report"},
    "meeting.correcting": {
        "vi": "Sửa báo cáo ngày {date}. Đồng chí trả lời lại các câu hỏi; báo cáo cũ chỉ được "
              "thay khi bấm «✅ Lưu».",
        "en": "Correcting the report of {date}. Answer the questions again; the old report is "
              "replaced only when you press «✅ Save».",
    },
    "meeting.ask_kind": {
        "vi": "Buổi sinh hoạt ngày {date} là sinh hoạt gì?",
        "en": "What kind of meeting was held on {date}?",
    },
    "meeting.ask_expected": {
        "vi": "Số đảng viên phải dự là bao nhiêu? Nếu là {default} (số đảng viên của chi bộ), "
              "bấm nút; nếu khác, gõ số, ví dụ: {default}.",
        "en": "How many members were expected? If {default} (the cell's members), press the "
              "button; otherwise type the number, for example: {default}.",
    },
    "meeting.ask_expected_typed": {
        "vi": "Số đảng viên phải dự là bao nhiêu? Gõ số, ví dụ: 25.",
        "en": "How many members were expected? Type the number, for example: 25.",
    },
    "meeting.button.expected": {"vi": "{count} đảng viên", "en": "{count} members"},
    "meeting.ask_present": {
        "vi": "Có mặt bao nhiêu đồng chí (phải dự {expected})? Gõ số, ví dụ: {example}.",
        "en": "How many were present ({expected} expected)? Type the number, for example: {example}.",
    },
    "meeting.pick_excused": {
        "vi": "Vắng {absent} đồng chí. Bấm tên những đồng chí vắng CÓ LÝ DO (bấm lại để bỏ chọn). "
              "Gõ một phần tên để tìm nhanh, ví dụ: Hùng. Chọn xong bấm «Xong».",
        "en": "{absent} absent. Press the names of those absent WITH a valid reason (press again "
              "to unselect). Type part of a name to search, for example: Hùng. Then press «Done».",
    },
    "meeting.pick_unexcused": {
        "vi": "Vắng {absent} đồng chí, đã chọn {excused} vắng có lý do. Bấm tên {left} đồng chí vắng "
              "KHÔNG LÝ DO. Gõ một phần tên để tìm nhanh. Chọn xong bấm «Xong».",
        "en": "{absent} absent, {excused} with a reason chosen. Press the names of the {left} absent "
              "WITHOUT a reason. Type part of a name to search. Then press «Done».",
    },
    "meeting.picked": {"vi": "Đã chọn {count}: {names}", "en": "Chosen {count}: {names}"},
    "meeting.picked_none": {"vi": "Chưa chọn ai.", "en": "Nobody chosen yet."},
    "meeting.filtered": {
        "vi": "Đang tìm «{query}» ({count} người). Bấm «Hiện cả danh sách» để xem lại tất cả.",
        "en": "Searching «{query}» ({count} people). Press «Show the whole list» to see everyone.",
    },
    "meeting.page": {"vi": "Trang {page}/{pages}.", "en": "Page {page}/{pages}."},
    "meeting.button.show_all": {"vi": "Hiện cả danh sách", "en": "Show the whole list"},
    "meeting.no_match": {
        "vi": "Không có đồng chí nào trong danh sách có tên chứa «{query}». Gõ một phần tên khác, "
              "ví dụ: Lan, hoặc bấm tên trong danh sách.",
        "en": "Nobody on the list has a name containing «{query}». Type another part of a name, "
              "for example: Lan, or press a name on the list.",
    },
    "meeting.too_many_excused": {
        "vi": "Đã chọn {chosen} đồng chí vắng có lý do, nhiều hơn số vắng ({absent}). "
              "Bấm tên để bỏ bớt {extra} người.",
        "en": "{chosen} chosen as absent with a reason, more than the {absent} absent. "
              "Press names to unselect {extra}.",
    },
    "meeting.still_missing": {
        "vi": "Chưa đủ: phải dự {expected}, có mặt {present}, nên vắng {absent} đồng chí; mới chọn "
              "{chosen}, còn thiếu {missing} người. Bấm thêm tên, hoặc bấm nút “« Quay lại” để sửa.",
        "en": "Not yet: {expected} expected, {present} present, so {absent} absent; {chosen} chosen, "
              "{missing} still missing. Press more names, or “« Back” to change something.",
    },
    "meeting.too_many_absent": {
        "vi": "Thừa người: phải dự {expected}, có mặt {present}, nên chỉ vắng {absent} đồng chí; đã "
              "chọn {chosen}, thừa {extra} người. Bấm tên để bỏ bớt.",
        "en": "Too many: {expected} expected, {present} present, so {absent} absent; {chosen} chosen, "
              "{extra} too many. Press names to unselect.",
    },
    "meeting.ask_excused_count": {
        "vi": "Vắng {absent} đồng chí. Bao nhiêu đồng chí vắng CÓ LÝ DO? Gõ số từ 0 đến {absent}, "
              "ví dụ: {example}. Số còn lại tính là vắng không lý do.",
        "en": "{absent} absent. How many had a valid reason? Type a number from 0 to {absent}, "
              "for example: {example}. The rest count as absent without a reason.",
    },
    "meeting.excused_count_range": {
        "vi": "Số vắng có lý do phải từ 0 đến {absent} (tổng số vắng). Ví dụ: {example}.",
        "en": "Absent with a reason must be from 0 to {absent} (all absent). For example: {example}.",
    },
    "meeting.ask_committee": {
        "vi": "Cấp ủy viên phụ trách chi bộ có dự buổi sinh hoạt này không?",
        "en": "Did the committee member in charge of the cell attend this meeting?",
    },
    "meeting.summary": {
        "vi": "Đồng chí kiểm tra lại báo cáo:\n\n{report}\n\nĐúng thì bấm «✅ Lưu».",
        "en": "Please check the report:\n\n{report}\n\nIf it is right, press «✅ Save».",
    },
    "meeting.summary_correction": {
        "vi": "Đồng chí kiểm tra lại báo cáo (sẽ THAY báo cáo cũ cùng ngày):\n\n{report}\n\n"
              "Đúng thì bấm «✅ Lưu».",
        "en": "Please check the report (it REPLACES the earlier one of that date):\n\n{report}\n\n"
              "If it is right, press «✅ Save».",
    },
    # ── A report, as shown before and after saving ────────────────────────────────────────────
    "meeting.report": {
        "vi": "Chi bộ: {cell}\nNgày họp: {date}\nHình thức: {kind}\nPhải dự: {expected}\n"
              "Có mặt: {present}\nVắng có lý do: {excused}\nVắng không lý do: {unexcused}\n"
              "Cấp ủy viên phụ trách dự: {committee}",
        "en": "Cell: {cell}\nDate: {date}\nKind: {kind}\nExpected: {expected}\nPresent: {present}\n"
              "Absent with a reason: {excused}\nAbsent without a reason: {unexcused}\n"
              "Committee member in charge attended: {committee}",
    },
    "meeting.count_names": {"vi": "{count} ({names})", "en": "{count} ({names})"},
    "meeting.saved": {
        "vi": "✅ Đã lưu báo cáo sinh hoạt:\n\n{report}",
        "en": "✅ Meeting report saved:\n\n{report}",
    },
    "meeting.corrected": {
        "vi": "✅ Đã sửa báo cáo sinh hoạt (bản cũ vẫn được lưu trong nhật ký):\n\n{report}",
        "en": "✅ Meeting report corrected (the old version stays in the log):\n\n{report}",
    },
    "meeting.exists_now": {
        "vi": "Trong lúc này ngày {date} đã có báo cáo khác nên chưa lưu gì. Gõ /sinhhoat và "
              "chọn ngày {date} để xem và sửa báo cáo đó.",
        "en": "Meanwhile a report for {date} was saved, so nothing was saved now. Send /sinhhoat "
              "and pick {date} to see and correct it.",
    },
    "meeting.not_a_number": {
        "vi": "Vui lòng gõ một con số bằng chữ số, ví dụ: {example}.",
        "en": "Please type a number in digits, for example: {example}.",
    },
    # ── Refusals (InvalidInput reasons; prefixed so no other flow's words are picked) ─────────
    "meeting.error.format": {
        "vi": "Trợ lý chưa đọc được ngày «{value}». Vui lòng gõ ngày/tháng/năm, ví dụ: {example}.",
        "en": "I could not read the date «{value}». Please type day/month/year, for example: {example}.",
    },
    "meeting.error.impossible": {
        "vi": "Ngày «{value}» không có trên lịch. Vui lòng kiểm tra lại, ví dụ: {example}.",
        "en": "There is no such date as «{value}». Please check it, for example: {example}.",
    },
    "meeting.error.future": {
        "vi": "Ngày {date} chưa tới nên chưa báo cáo được. Vui lòng gõ ngày đã họp, ví dụ: {example}.",
        "en": "{date} has not come yet, so it cannot be reported. Type the date the meeting was "
              "held, for example: {example}.",
    },
    "meeting.error.too_old": {
        "vi": "Chỉ báo cáo được buổi sinh hoạt trong {days} ngày gần đây (từ {earliest} trở đi). "
              "Buổi cũ hơn xin báo Văn phòng Đảng ủy. Vui lòng gõ ngày khác, ví dụ: {example}.",
        "en": "Only meetings of the last {days} days can be reported (from {earliest}). For an "
              "older one, contact the ward office. Type another date, for example: {example}.",
    },
    "meeting.error.count_range": {
        "vi": "Số đảng viên phải dự phải từ 1 đến {limit}. Ví dụ: 25.",
        "en": "Members expected must be from 1 to {limit}. For example: 25.",
    },
    "meeting.error.present_exceeds_expected": {
        "vi": "Số có mặt ({present}) không thể nhiều hơn số phải dự ({expected}). "
              "Vui lòng gõ một số từ 0 đến {expected}, ví dụ: {expected}.",
        "en": "Present ({present}) cannot be more than expected ({expected}). "
              "Please type a number from 0 to {expected}, for example: {expected}.",
    },
    "meeting.error.negative": {
        "vi": "Các con số không được âm. Ví dụ: 0.",
        "en": "Numbers cannot be negative. For example: 0.",
    },
    "meeting.error.counts_do_not_add_up": {
        "vi": "Số có mặt ({present}) cộng số vắng ({absent}) phải bằng số phải dự ({expected}). "
              "Bấm nút “« Quay lại” để sửa.",
        "en": "Present ({present}) plus absent ({absent}) must equal expected ({expected}). "
              "Press “« Back” to fix it.",
    },
    "meeting.error.absent_twice": {
        "vi": "Một đồng chí không thể vừa vắng có lý do vừa vắng không lý do. Bấm nút “« Quay lại” "
              "để chọn lại.",
        "en": "Nobody can be absent both with and without a reason. Press “« Back” to choose again.",
    },
    "meeting.error.names_do_not_match_counts": {
        "vi": "Số người được chọn không khớp với số vắng. Bấm nút “« Quay lại” để chọn lại.",
        "en": "The names chosen do not match the numbers absent. Press “« Back” to choose again.",
    },
    "meeting.error.unknown_member": {
        "vi": "Có tên không thuộc danh sách đảng viên hiện nay của chi bộ, nên chưa lưu gì. "
              "Bấm nút “« Quay lại” để chọn lại từ danh sách.",
        "en": "A name is not on the cell's current member list, so nothing was saved. "
              "Press “« Back” to choose again from the list.",
    },
}


def _count_with_names(count: int, ids: Sequence[int], names: dict[int, str], lang: str) -> str:
    known = [names[i] for i in ids if i in names]
    if not known:
        return str(count)
    if len(known) < count:  # someone since removed from the list
        known.append("…")
    return t("meeting.count_names", lang, count=count, names=", ".join(known))


def meeting_report(m: MeetingDraft, cell: str, names: dict[int, str], lang: str) -> str:
    """A meeting report as the secretary reads it back: every value, dates as dd/mm/yyyy."""
    return t(
        "meeting.report", lang, cell=cell, date=format_date(m.held_on, lang),
        kind=t(f"meeting_kind.{m.kind.value}", lang), expected=m.expected, present=m.present,
        excused=_count_with_names(m.absent_excused, m.excused_member_ids, names, lang),
        unexcused=_count_with_names(m.absent_unexcused, m.unexcused_member_ids, names, lang),
        committee=t("button.yes" if m.committee_member_attended else "button.no", lang),
    )


def picker_text(*, excused: int | None, absent: int, picked: Sequence[str], query: str, found: int,
                page: int, pages: int, lang: str, near: Sequence[str] = (), listed: int = 0) -> str:
    """The absentee-picking question: with a reason (`excused` None) or without (`excused` already
    picked with one), who is picked so far, the name search (`near`: it found only these names,
    differing in tone marks) and the page; `listed` > 0: a long list, asking part of a name first."""
    if excused is None:
        lines = [t("meeting.pick_excused", lang, absent=absent)]
    else:
        lines = [t("meeting.pick_unexcused", lang, absent=absent, excused=excused, left=absent - excused)]
    lines.append(t("meeting.picked", lang, count=len(picked), names=", ".join(picked)) if picked
                 else t("meeting.picked_none", lang))
    if listed:
        lines.append(search_first_text(listed, "Hùng", lang))
        return "\n".join(lines)
    if near:
        lines.append(near_text(query, near, lang))
    elif query:
        lines.append(t("meeting.filtered", lang, query=query, count=found))
    if pages > 1:
        lines.append(t("meeting.page", lang, page=page + 1, pages=pages))
    return "\n".join(lines)


def not_for_role(role: Role, lang: str) -> str:
    """/sinhhoat asked by someone who is not a cell secretary: where their own view of meetings is."""
    return t("meeting.not_for_admin" if role is Role.ADMIN else "meeting.not_for_committee", lang)


def present_example(expected: int) -> int:
    """A plausible head count for the question's example: nine in ten came."""
    return expected - expected // 10


def split_example(absent: int) -> int:
    """A plausible number absent with a reason, for the question's example: half."""
    return absent // 2
