"""Words of /capnhat (record a step, drop out, correct) and /ketnap (the admission shortcut).

Keys start with "cn." (/capnhat, and the refusals both flows share) or "kn." (/ketnap).
Refusal texts are "cn.error.<reason or code>", found by bot.handlers.common.error_text with the
prefix "cn."; their values arrive already worded: dates as dd/mm/yyyy, steps by their names.
Below the catalogue: the candidate's card and the summaries both flows show before and after saving.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.domain.candidates import CandidateInfo
from bot.domain.dates import LooseDate
from bot.domain.stages import PIPELINE, Stage, next_stage
from bot.domain.status import is_probationary
from bot.texts import t
from bot.texts.formatting import format_date

CHOICE_FIELDS = ("gender", "background")  # corrected with buttons, shown by their words

MESSAGES: dict[str, dict[str, str]] = {
    "cn.error.probation_not_over": {
        "vi": "Chưa thể công nhận đảng viên chính thức: thời gian dự bị 12 tháng chưa hết "
              "(hết ngày {ends}).",
        "en": "Full membership cannot be recognised yet: probation has not ended (it ends on {ends}).",
    },
    "cn.error.age_at_vote": {
        "vi": "Chi bộ chỉ xét kết nạp người từ đủ {min_years} đến đủ {max_years} tuổi (tính theo tháng); "
              "vào ngày này quần chúng mới {years} tuổi theo ngày sinh đã ghi. Nếu ngày sinh ghi sai, "
              "hãy sửa ngày sinh trước.",
        "en": "The cell may only vote on people aged {min_years} to {max_years} (counted in months); "
              "on that date the candidate is {years} by the recorded birth date. If the birth date is "
              "wrong, correct it first.",
    },
    "cn.error.not_a_choice": {
        "vi": "Giá trị «{value}» không có trong các lựa chọn. Xin bấm một nút.",
        "en": "«{value}» is not one of the choices. Please press a button.",
    },
    "flow.name.capnhat": {"vi": "cập nhật quần chúng", "en": "updating a candidate"},
    "flow.name.ketnap": {"vi": "ghi kết nạp đảng viên", "en": "recording an admission"},
    # ── /capnhat: choosing the candidate and what to do ──────────────────────────────────────
    "cn.secretary_only": {
        "vi": "Chỉ bí thư chi bộ mới cập nhật được quần chúng của chi bộ mình.",
        "en": "Only a cell secretary can update their cell's candidates.",
    },
    "cn.no_candidates": {
        "vi": "Chi bộ hiện chưa có quần chúng nào đang được bồi dưỡng. "
              "Dùng /ungvien để báo cáo quần chúng mới.",
        "en": "The cell has no candidates in progress. Use /ungvien to report a new one.",
    },
    "cn.choose_candidate": {
        "vi": "Chọn quần chúng cần cập nhật ({count} người, trang {page}/{pages}):",
        "en": "Choose the candidate to update ({count} people, page {page}/{pages}):",
    },
    "cn.candidate_button": {"vi": "{name} — {stage}", "en": "{name} — {stage}"},
    "cn.card": {
        "vi": "👤 {name} (sinh {birth}, {gender})\nHiện nay: {stage}\nCác bước đã ghi:\n{steps}",
        "en": "👤 {name} (born {birth}, {gender})\nNow: {stage}\nSteps recorded:\n{steps}",
    },
    "cn.card_step": {"vi": "• {step}: {date}", "en": "• {step}: {date}"},
    "cn.card_dropped": {
        "vi": "⛔ Đã ra khỏi danh sách ngày {date}. Lý do: {reason}",
        "en": "⛔ Left the list on {date}. Reason: {reason}",
    },
    "cn.choose_action": {"vi": "Đồng chí muốn làm gì?", "en": "What would you like to do?"},
    "cn.button.next_step": {"vi": "➕ Ghi bước: {step}", "en": "➕ Record: {step}"},
    "cn.button.drop": {"vi": "🚪 Ra khỏi danh sách (ghi lý do)", "en": "🚪 Drop out (with a reason)"},
    "cn.button.drop.probationary": {"vi": "🚫 Không công nhận chính thức / xóa tên (ghi lý do)",
                                    "en": "🚫 Not recognised as a full member / removed (with a reason)"},
    "cn.card_dropped.probationary": {
        "vi": "⛔ Không được công nhận đảng viên chính thức / xóa tên ngày {date}. Lý do: {reason}",
        "en": "⛔ Not recognised as a full member / removed on {date}. Reason: {reason}",
    },
    "cn.button.fix": {"vi": "✏️ Sửa thông tin hoặc ngày đã ghi", "en": "✏️ Correct a detail or a date"},
    # ── recording a step ─────────────────────────────────────────────────────────────────────
    "cn.date_hint": {
        "vi": "Gõ ngày/tháng/năm, ví dụ {today}, hoặc bấm «Hôm nay».",
        "en": "Type day/month/year, e.g. {today}, or press «Today».",
    },
    "cn.ask_date.course": {
        "vi": "{name} được cấp giấy chứng nhận học lớp nhận thức về Đảng ngày nào?",
        "en": "On what date did {name} receive the awareness-course certificate?",
    },
    "cn.ask_date.dossier": {
        "vi": "Hồ sơ của {name} (đơn, lý lịch, thẩm tra) hoàn thiện ngày nào?",
        "en": "On what date was {name}'s dossier (application, history, verification) complete?",
    },
    "cn.ask_date.introduced": {
        "vi": "Ngày có giấy giới thiệu {name} vào Đảng?",
        "en": "On what date was {name} introduced to the Party?",
    },
    "cn.ask_date.cell_vote": {
        "vi": "Chi bộ họp xét đề nghị kết nạp {name} ngày nào?",
        "en": "On what date did the cell vote on admitting {name}?",
    },
    "cn.ask_date.ward_resolution": {
        "vi": "Đảng ủy phường ra nghị quyết xét kết nạp {name} ngày nào?",
        "en": "On what date did the ward committee pass its resolution on {name}?",
    },
    "cn.ask_date.decision": {
        "vi": "Quyết định kết nạp {name} ký ngày nào?",
        "en": "On what date was {name}'s admission decision signed?",
    },
    "cn.ask_date.ceremony": {
        "vi": "Lễ kết nạp {name} tổ chức ngày nào?",
        "en": "On what date was {name}'s admission ceremony held?",
    },
    "cn.ask_date.full_member": {
        "vi": "{name} được công nhận đảng viên chính thức ngày nào?",
        "en": "On what date was {name} recognised as a full member?",
    },
    "cn.ask_introducer_kind": {
        "vi": "Ai giới thiệu {name}?",
        "en": "Who introduced {name}?",
    },
    "cn.button.two_members": {"vi": "Hai đảng viên chính thức", "en": "Two full members"},
    "cn.button.youth_union": {"vi": "Nghị quyết Đoàn + một đảng viên",
                              "en": "Youth-union resolution + one member"},
    "cn.ask_introducer.1": {
        "vi": "Họ tên đảng viên giới thiệu thứ nhất? Ví dụ: Nguyễn Văn An",
        "en": "Full name of the first introducing member? E.g. Nguyễn Văn An",
    },
    "cn.ask_introducer.2": {
        "vi": "Họ tên đảng viên giới thiệu thứ hai? Ví dụ: Lê Thị Hoa",
        "en": "Full name of the second introducing member? E.g. Lê Thị Hoa",
    },
    "cn.ask_introducer.youth": {
        "vi": "Họ tên đảng viên chính thức cùng giới thiệu (với nghị quyết của Đoàn)? "
              "Ví dụ: Nguyễn Văn An",
        "en": "Full name of the full member introducing alongside the youth-union resolution? "
              "E.g. Nguyễn Văn An",
    },
    "cn.ask_votes_for": {
        "vi": "Bao nhiêu đảng viên chính thức tán thành kết nạp {name}? Gõ một số, ví dụ 15. "
              "Không ghi số phiếu thì bấm «Bỏ qua».",
        "en": "How many full members voted for admitting {name}? Type a number, e.g. 15. "
              "Press «Skip» to leave the votes out.",
    },
    "cn.ask_votes_total": {
        "vi": "Chi bộ có tổng số bao nhiêu đảng viên chính thức? Gõ một số, ví dụ 18.",
        "en": "How many full members does the cell have in total? Type a number, e.g. 18.",
    },
    "cn.not_a_number": {
        "vi": "Ở đây cần một con số (chỉ gồm chữ số), ví dụ: 15.",
        "en": "A number is needed here (digits only), e.g. 15.",
    },
    "cn.ask_decision_number": {
        "vi": "Số của quyết định kết nạp {name}? Ví dụ: 123-QĐ/TU",
        "en": "Number of {name}'s admission decision? E.g. 123-QĐ/TU",
    },
    "cn.ask_received": {
        "vi": "Chi bộ nhận được quyết định kết nạp {name} ngày nào? Hạn tổ chức lễ kết nạp tính từ "
              "ngày nhận. Nếu nhận ngay ngày ký ({signed}), bấm «Cùng ngày ký»; nếu khác, gõ "
              "ngày/tháng/năm, ví dụ {today}.",
        "en": "On what date did the cell receive {name}'s admission decision? The ceremony is due "
              "counting from that day. If it arrived the day it was signed ({signed}), press «Same "
              "day as signed»; otherwise type day/month/year, e.g. {today}.",
    },
    "cn.button.same_as_signed": {"vi": "Cùng ngày ký ({date})", "en": "Same day as signed ({date})"},
    "cn.summary.received": {"vi": "• Ngày chi bộ nhận quyết định: {date}",
                            "en": "• Decision received by the cell: {date}"},
    "cn.error.received_before_signed": {
        "vi": "Ngày nhận quyết định ({value}) không thể sớm hơn ngày ký quyết định ({signed}). "
              "Vui lòng gõ ngày từ {signed} trở về sau, hoặc bấm «Cùng ngày ký».",
        "en": "The decision cannot be received ({value}) before it was signed ({signed}). Please type "
              "{signed} or later, or press «Same day as signed».",
    },
    "cn.error.before_received": {
        "vi": "Lễ kết nạp không thể tổ chức trước ngày chi bộ nhận quyết định ({received}). "
              "Vui lòng nhập ngày từ {received} trở về sau.",
        "en": "The ceremony cannot be held before the cell received the decision ({received}). "
              "Please enter {received} or later.",
    },
    # ── dropping out ─────────────────────────────────────────────────────────────────────────
    "cn.ask_reason": {
        "vi": "Vì sao {name} ra khỏi danh sách phát triển đảng viên? Gõ lý do, "
              "ví dụ: Chuyển đi nơi khác sinh sống.",
        "en": "Why does {name} leave the list? Type the reason, e.g. Moved away.",
    },
    "cn.ask_reason.probationary": {
        "vi": "Vì sao đảng viên dự bị {name} không được công nhận chính thức / bị xóa tên? Gõ lý do, "
              "ví dụ: Không đủ điều kiện công nhận đảng viên chính thức.",
        "en": "Why is probationary member {name} not recognised as a full member / removed? Type the "
              "reason, e.g. Does not meet the conditions for full membership.",
    },
    # ── corrections ──────────────────────────────────────────────────────────────────────────
    "cn.choose_field": {"vi": "Sửa thông tin nào của {name}?", "en": "Which detail of {name} to correct?"},
    "cn.field.full_name": {"vi": "Họ tên", "en": "Full name"},
    "cn.field.birth": {"vi": "Ngày sinh", "en": "Birth date"},
    "cn.field.gender": {"vi": "Giới tính", "en": "Gender"},
    "cn.field.background": {"vi": "Thành phần", "en": "Background"},
    "cn.field.helper_name": {"vi": "Đảng viên giúp đỡ", "en": "Helping member"},
    "cn.field.step_date": {"vi": "Ngày của một bước đã ghi", "en": "Date of a recorded step"},
    "cn.ask_value.full_name": {
        "vi": "Họ tên đang ghi: «{old}». Gõ họ tên đúng, ví dụ: Trần Thị Mai.",
        "en": "Name on record: «{old}». Type the correct full name, e.g. Trần Thị Mai.",
    },
    "cn.ask_value.birth": {
        "vi": "Ngày sinh đang ghi: {old}. Gõ ngày sinh đúng (ngày/tháng/năm, hoặc chỉ năm), "
              "ví dụ: 15/08/1998 hoặc 1998.",
        "en": "Birth date on record: {old}. Type the correct one (day/month/year, or the year only), "
              "e.g. 15/08/1998 or 1998.",
    },
    "cn.ask_value.helper_name": {
        "vi": "Đảng viên giúp đỡ đang ghi: «{old}». Gõ họ tên đúng, ví dụ: Nguyễn Văn An, "
              "hoặc bấm «Không có».",
        "en": "Helping member on record: «{old}». Type the correct name, e.g. Nguyễn Văn An, "
              "or press «None».",
    },
    "cn.ask_value.gender": {"vi": "Giới tính đang ghi: {old}. Chọn giới tính đúng:",
                            "en": "Gender on record: {old}. Choose the correct one:"},
    "cn.ask_value.background": {"vi": "Thành phần đang ghi: {old}. Chọn thành phần đúng:",
                                "en": "Background on record: {old}. Choose the correct one:"},
    "cn.button.no_helper": {"vi": "Không có", "en": "None"},
    "cn.nobody": {"vi": "(không có)", "en": "(none)"},
    "cn.choose_step_to_fix": {
        "vi": "Sửa ngày của bước nào?",
        "en": "Correct the date of which step?",
    },
    "cn.received_step": {"vi": "Ngày chi bộ nhận quyết định", "en": "Decision received by the cell"},
    "cn.error.signed_after_received": {
        "vi": "Ngày ký {value} muộn hơn ngày chi bộ nhận quyết định ({received}). Nếu ngày nhận cũng "
              "ghi sai, đồng chí sửa «Ngày chi bộ nhận quyết định» trước.",
        "en": "The signing date {value} is after the day the cell received the decision ({received}). "
              "If that date is wrong too, correct «Decision received by the cell» first.",
    },
    "cn.step_button": {"vi": "{step}: {date}", "en": "{step}: {date}"},
    "cn.ask_fixed_date": {
        "vi": "Bước «{step}» đang ghi ngày {old}. Ngày đúng là ngày nào?",
        "en": "Step «{step}» is recorded on {old}. What is the right date?",
    },
    # ── summary, saving ──────────────────────────────────────────────────────────────────────
    "cn.summary.step": {
        "vi": "Ghi bước mới cho {name}:\n• Bước: {step}\n• Ngày: {date}",
        "en": "New step for {name}:\n• Step: {step}\n• Date: {date}",
    },
    "cn.summary.certificate": {"vi": "• Ngày cấp giấy chứng nhận: {date}",
                               "en": "• Certificate date: {date}"},
    "cn.summary.two_members": {"vi": "• Người giới thiệu: hai đảng viên chính thức — {names}",
                               "en": "• Introducers: two full members — {names}"},
    "cn.summary.youth_union": {"vi": "• Người giới thiệu: nghị quyết của Đoàn và đảng viên {names}",
                               "en": "• Introducers: youth-union resolution and member {names}"},
    "cn.summary.votes": {"vi": "• Phiếu tán thành: {votes_for}/{votes_total}",
                         "en": "• Votes for: {votes_for}/{votes_total}"},
    "cn.summary.no_votes": {"vi": "• Phiếu tán thành: không ghi", "en": "• Votes: not recorded"},
    "cn.summary.decision_number": {"vi": "• Số quyết định: {number}", "en": "• Decision number: {number}"},
    "cn.summary.drop": {
        "vi": "Ghi {name} ra khỏi danh sách phát triển đảng viên:\n• Lý do: {reason}\n• Ngày: {date}",
        "en": "Drop {name} from the list:\n• Reason: {reason}\n• Date: {date}",
    },
    "cn.summary.drop.probationary": {
        "vi": "Ghi đảng viên dự bị {name} không được công nhận chính thức / xóa tên:\n• Lý do: {reason}\n"
              "• Ngày: {date}",
        "en": "Record that probationary member {name} is not recognised / removed:\n• Reason: {reason}\n"
              "• Date: {date}",
    },
    "cn.summary.fix": {
        "vi": "Sửa {field} của {name}:\n• Đang ghi: {old}\n• Sửa thành: {new}",
        "en": "Correct {name}'s {field}:\n• On record: {old}\n• Correct value: {new}",
    },
    "cn.summary.fix_date": {
        "vi": "Sửa ngày bước «{step}» của {name}:\n• Đang ghi: {old}\n• Sửa thành: {new}",
        "en": "Correct the date of «{step}» for {name}:\n• On record: {old}\n• Correct date: {new}",
    },
    "cn.confirm_question": {"vi": "Bấm «✅ Lưu» để lưu, hoặc «Hủy».",
                            "en": "Press «✅ Save» to save, or «Cancel»."},
    "cn.saved": {"vi": "✅ Đã lưu.\n{body}", "en": "✅ Saved.\n{body}"},
    "cn.saved_stage": {"vi": "Giai đoạn hiện nay của {name}: {stage}.",
                       "en": "{name} is now at: {stage}."},
    "cn.saved_dropped": {"vi": "{name} đã được ghi ra khỏi danh sách (hồ sơ vẫn được lưu giữ).",
                         "en": "{name} is marked as dropped (the record is kept)."},
    "cn.saved_dropped.probationary": {
        "vi": "Đã ghi {name} không được công nhận đảng viên chính thức / xóa tên khỏi danh sách đảng viên "
              "(hồ sơ vẫn được lưu giữ).",
        "en": "{name} is recorded as not recognised / removed from the member list (the record is kept).",
    },
    "cn.error.unchanged": {
        "vi": "Không có gì thay đổi: thông tin đang ghi đã đúng như vậy, nên chưa lưu gì. Nếu cần sửa, "
              "đồng chí gõ (hoặc chọn) giá trị khác; nếu không, bấm «Hủy».",
        "en": "Nothing changes: that is already what is on record, so nothing was saved. To correct it, "
              "type (or choose) another value; otherwise press «Cancel».",
    },
    "cn.not_saved": {"vi": "{problem}\nChưa có gì được lưu.", "en": "{problem}\nNothing was saved."},
    # ── refusals (values arrive worded: dates dd/mm/yyyy, steps by name) ─────────────────────
    "cn.error.step_out_of_order": {
        "vi": "Chưa thể ghi «{step}» vì chưa có bước «{missing}». Các bước phải ghi lần lượt theo "
              "thứ tự; hãy ghi bước «{missing}» trước.",
        "en": "Cannot record «{step}» yet: the step «{missing}» is missing. Steps go in order; "
              "record «{missing}» first.",
    },
    "cn.error.step_already_recorded": {
        "vi": "Bước «{step}» đã được ghi rồi. Nếu ngày đã ghi bị sai, hãy chọn «Sửa thông tin hoặc "
              "ngày đã ghi».",
        "en": "The step «{step}» is already recorded. If its date is wrong, choose «Correct a detail "
              "or a date».",
    },
    "cn.error.candidate_dropped": {
        "vi": "Quần chúng này đã ra khỏi danh sách phát triển đảng viên nên không ghi thêm bước được.",
        "en": "This candidate has left the list, so no more steps can be recorded.",
    },
    "cn.error.pipeline_complete": {
        "vi": "Quần chúng này đã đi hết các bước (đã là đảng viên chính thức).",
        "en": "This candidate has completed every step (already a full member).",
    },
    "cn.error.future": {
        "vi": "Ngày {value} chưa tới. Vui lòng nhập một ngày đã qua hoặc hôm nay, ví dụ: {today}.",
        "en": "{value} is in the future. Please enter a past date or today, e.g. {today}.",
    },
    "cn.error.before_previous_step": {
        "vi": "Ngày này sớm hơn bước «{step}» ({previous}). Vui lòng nhập ngày từ {previous} "
              "trở về sau, ví dụ: {today}.",
        "en": "That date is before the step «{step}» ({previous}). Please enter {previous} or later, "
              "e.g. {today}.",
    },
    "cn.error.after_next_step": {
        "vi": "Ngày này muộn hơn bước «{step}» đã ghi ({next}). Vui lòng nhập ngày không muộn hơn {next}.",
        "en": "That date is after the recorded step «{step}» ({next}). Please enter {next} or earlier.",
    },
    "cn.error.format": {
        "vi": "Tôi chưa đọc được ngày «{value}». Vui lòng gõ ngày/tháng/năm, ví dụ: {today}.",
        "en": "I could not read the date «{value}». Please type day/month/year, e.g. {today}.",
    },
    "cn.error.impossible": {
        "vi": "Ngày «{value}» không có trên lịch. Vui lòng kiểm tra lại ngày và tháng, ví dụ: {today}.",
        "en": "«{value}» is not a calendar date. Please check the day and month, e.g. {today}.",
    },
    "cn.error.year_range": {
        "vi": "Năm «{value}» không hợp lý. Vui lòng gõ năm sinh có 4 chữ số, ví dụ: 1998.",
        "en": "The year «{value}» is not plausible. Please type a four-digit year, e.g. 1998.",
    },
    "cn.error.birth_range": {
        "vi": "Ngày sinh này không hợp lý (trong tương lai hoặc quá 100 năm trước). "
              "Ví dụ: 15/08/1998 hoặc 1998.",
        "en": "That birth date is not plausible (in the future or over 100 years ago). "
              "E.g. 15/08/1998 or 1998.",
    },
    "cn.error.empty": {
        "vi": "Câu trả lời đang để trống. Vui lòng gõ lại, ví dụ: {example}",
        "en": "The answer is empty. Please type it, e.g. {example}",
    },
    "cn.error.too_long": {
        "vi": "Câu trả lời quá dài ({length} ký tự, tối đa {limit}). Vui lòng gõ ngắn gọn hơn, "
              "ví dụ: {example}",
        "en": "The answer is too long ({length} characters, at most {limit}). Please shorten it, "
              "e.g. {example}",
    },
    "cn.error.not_a_name": {
        "vi": "Đây chưa giống một họ tên. Vui lòng gõ đủ họ và tên, ví dụ: {example}",
        "en": "That does not look like a name. Please type the full name, e.g. {example}",
    },
    "cn.error.introducers_invalid": {
        "vi": "Hai người giới thiệu phải là hai đảng viên khác nhau. Vui lòng gõ họ tên người thứ hai, "
              "ví dụ: Lê Thị Hoa.",
        "en": "The two introducers must be two different members. Please type the second name, "
              "e.g. Lê Thị Hoa.",
    },
    "cn.error.votes_invalid": {
        "vi": "Số phiếu chưa hợp lý: số tán thành phải từ 0 đến tổng số, và tổng số phải lớn hơn 0. "
              "Ví dụ: tán thành 15, tổng số 18.",
        "en": "The votes do not add up: votes for must be between 0 and the total, and the total above 0. "
              "E.g. 15 for, 18 in total.",
    },
    "cn.error.votes_below_two_thirds": {
        "vi": "Chỉ có {votes_for}/{votes_total} đảng viên chính thức tán thành, chưa đủ hai phần ba (2/3) "
              "nên chi bộ chưa thể đề nghị kết nạp. Vui lòng kiểm tra lại số phiếu "
              "(bấm «Quay lại» để sửa số tán thành).",
        "en": "Only {votes_for} of {votes_total} full members voted for: less than two thirds, so the "
              "cell cannot propose the admission. Please check the votes (press «Back» to fix the "
              "votes for).",
    },
    "cn.error.already_dropped": {
        "vi": "Quần chúng này đã được ghi ra khỏi danh sách từ trước.",
        "en": "This candidate was already dropped.",
    },
    "cn.error.already_member": {
        "vi": "Người này đã là đảng viên chính thức, không ghi ra khỏi danh sách quần chúng được.",
        "en": "This person is already a full member and cannot be dropped from the candidate list.",
    },
    "cn.error.step_not_recorded": {
        "vi": "Bước «{step}» chưa được ghi nên chưa có ngày để sửa.",
        "en": "The step «{step}» is not recorded, so there is no date to correct.",
    },
    # ── /ketnap ──────────────────────────────────────────────────────────────────────────────
    "kn.none_waiting": {
        "vi": "Chi bộ chưa có quần chúng nào chờ quyết định kết nạp. Chỉ ghi được quyết định khi đã có "
              "bước «{missing}». Dùng /capnhat để ghi các bước còn thiếu.",
        "en": "No candidate of the cell is awaiting an admission decision. A decision can be recorded "
              "only after the step «{missing}». Use /capnhat to record the missing steps.",
    },
    "kn.current_list": {"vi": "Quần chúng hiện có:\n{lines}", "en": "Current candidates:\n{lines}"},
    "kn.current_line": {"vi": "• {name} — {stage} (bước tiếp theo: {next})",
                        "en": "• {name} — {stage} (next step: {next})"},
    "kn.choose_candidate": {
        "vi": "Ghi quyết định kết nạp cho ai? ({count} người chờ quyết định, trang {page}/{pages})",
        "en": "Record the admission of whom? ({count} awaiting a decision, page {page}/{pages})",
    },
    "kn.ask_number": {
        "vi": "Số quyết định kết nạp {name}? Ví dụ: 123-QĐ/TU",
        "en": "Number of {name}'s admission decision? E.g. 123-QĐ/TU",
    },
    "kn.ask_decision_date": {
        "vi": "Quyết định số {number} ký ngày nào?",
        "en": "On what date was decision {number} signed?",
    },
    "kn.ask_ceremony_date": {
        "vi": "Lễ kết nạp {name} tổ chức ngày nào? Gõ ngày/tháng/năm, ví dụ {today}, "
              "hoặc bấm «Chưa tổ chức».",
        "en": "On what date was {name}'s admission ceremony? Type day/month/year, e.g. {today}, "
              "or press «Not held yet».",
    },
    "kn.button.not_yet": {"vi": "Chưa tổ chức", "en": "Not held yet"},
    "kn.summary": {
        "vi": "Kết nạp đảng viên:\n• Họ tên: {name}\n• Quyết định số: {number}\n"
              "• Ngày quyết định: {decision}\n{received}• Lễ kết nạp: {ceremony}\n{quota}",
        "en": "Admission:\n• Name: {name}\n• Decision number: {number}\n• Decision date: {decision}\n"
              "{received}• Ceremony: {ceremony}\n{quota}",
    },
    "kn.ceremony_not_yet": {"vi": "chưa tổ chức", "en": "not held yet"},
    "kn.quota_year.decision": {
        "vi": "📊 Tính vào chỉ tiêu năm {year} (theo ngày ký quyết định).",
        "en": "📊 Counts toward the {year} quota (by the decision date).",
    },
    "kn.quota_year.ceremony": {
        "vi": "📊 Tính vào chỉ tiêu năm {year} (theo ngày lễ kết nạp).",
        "en": "📊 Counts toward the {year} quota (by the ceremony date).",
    },
    "kn.quota_pending": {
        "vi": "📊 Sẽ tính vào chỉ tiêu của năm tổ chức lễ kết nạp.",
        "en": "📊 Will count toward the quota of the year the ceremony is held.",
    },
    "kn.saved_ceremony": {
        "vi": "{name} đã là đảng viên dự bị từ {date}.",
        "en": "{name} is a probationary member since {date}.",
    },
    "kn.saved_no_ceremony": {
        "vi": "Khi tổ chức lễ kết nạp, dùng /capnhat để ghi ngày lễ.",
        "en": "When the ceremony is held, use /capnhat to record its date.",
    },
}


def birth_text(birth: LooseDate, lang: str) -> str:
    if birth.is_year_only:
        return str(birth.year)
    if birth.day is None:
        return f"{birth.month:02d}/{birth.year}"
    return format_date(birth.as_date(), lang)


def candidate_card(c: CandidateInfo, lang: str) -> str:
    """The candidate as /capnhat shows them before asking what to do: details and dated steps."""
    lines = [t("cn.card_step", lang, step=t(f"step.{s}", lang), date=format_date(c.steps[s].on, lang))
             for s in PIPELINE if s in c.steps]
    if c.decision_received_on is not None:  # right after the decision: the ceremony clock's start
        received = t("cn.card_step", lang, step=t("cn.received_step", lang),
                     date=format_date(c.decision_received_on, lang))
        lines.insert(PIPELINE.index(Stage.DECISION) + 1, received)
    steps = "\n".join(lines)
    text = t("cn.card", lang, name=c.full_name, birth=birth_text(c.birth, lang),
             gender=t(f"gender.{c.gender}", lang), stage=t(f"stage.{c.stage}", lang), steps=steps)
    if c.dropped_on is not None:
        text += "\n" + t(drop_key("cn.card_dropped", c), lang, date=format_date(c.dropped_on, lang),
                         reason=c.dropped_reason)
    return text


def fixed_step_name(which: str, lang: str) -> str:
    """A step's name, or the decision's receipt ("received"), as the date correction names it."""
    return t("cn.received_step", lang) if which == "received" else t(f"step.{which}", lang)


def fixed_step_date(c: CandidateInfo, which: str) -> date:
    """The date on record for a step, or for the decision's receipt (the signing day by default)."""
    if which == "received":
        return c.decision_received_on or c.steps[Stage.DECISION].on
    return c.steps[Stage(which)].on


def drop_key(key: str, c: CandidateInfo) -> str:
    """The words for ending a path: a quần chúng leaves the list of candidates, a đảng viên dự bị
    is not recognised as a full member / removed (xóa tên)."""
    return f"{key}.probationary" if is_probationary(c.stage) else key


def field_value(c: CandidateInfo, field: str, lang: str) -> str:
    """A detail of the candidate as the secretary reads it."""
    if field == "birth":
        return birth_text(c.birth, lang)
    if field in CHOICE_FIELDS:
        return t(f"{field}.{getattr(c, field)}", lang)
    return str(getattr(c, field)) or t("cn.nobody", lang)


def _new_value_text(field: str, new: Any, lang: str) -> str:
    if field == "birth":
        return birth_text(LooseDate(*new), lang)
    if field in CHOICE_FIELDS:
        return t(f"{field}.{new}", lang)
    return str(new) or t("cn.nobody", lang)


def quota_line(counted: Stage, decision_on: date | None, ceremony_on: date | None, lang: str) -> str:
    """Which year's quota the admission counts toward, by the counted date (decision or ceremony)."""
    if counted is Stage.CEREMONY:
        if ceremony_on is None:
            return t("kn.quota_pending", lang)
        return t("kn.quota_year.ceremony", lang, year=ceremony_on.year)
    if decision_on is None:
        return ""
    return t("kn.quota_year.decision", lang, year=decision_on.year)


def _step_summary(d: Mapping[str, Any], counted: Stage, lang: str) -> str:
    step, on = Stage(d["step"]), date.fromisoformat(d["on"])
    lines = [t("cn.summary.step", lang, name=d["name"], step=t(f"step.{step}", lang),
               date=format_date(on, lang))]
    if step is Stage.COURSE:
        lines.append(t("cn.summary.certificate", lang, date=format_date(on, lang)))
    elif step is Stage.INTRODUCED:
        lines.append(t(f"cn.summary.{d['kind']}", lang, names=", ".join(d["introducers"])))
    elif step is Stage.CELL_VOTE:
        lines.append(t("cn.summary.votes", lang, votes_for=d["votes_for"], votes_total=d["votes_total"])
                     if d.get("votes_for") is not None else t("cn.summary.no_votes", lang))
    elif step is Stage.DECISION:
        received = date.fromisoformat(d.get("received") or d["on"])
        lines += [t("cn.summary.decision_number", lang, number=d["number"]),
                  t("cn.summary.received", lang, date=format_date(received, lang)),
                  quota_line(counted, on, None, lang)]
    elif step is Stage.CEREMONY and counted is Stage.CEREMONY:
        lines.append(quota_line(counted, None, on, lang))
    return "\n".join(line for line in lines if line)


def update_summary(d: Mapping[str, Any], c: CandidateInfo, *, counted: Stage, today: date, lang: str) -> str:
    """What /capnhat's "✅ Lưu" will save (or saved), in full, from the flow's draft."""
    if d["action"] == "step":
        return _step_summary(d, counted, lang)
    if d["action"] == "drop":
        return t(drop_key("cn.summary.drop", c), lang, name=c.full_name, reason=d["reason"],
                 date=format_date(today, lang))
    if d["field"] == "step_date":
        which = d["fix_step"]
        return t("cn.summary.fix_date", lang, name=c.full_name, step=fixed_step_name(which, lang),
                 old=format_date(fixed_step_date(c, which), lang),
                 new=format_date(date.fromisoformat(d["on"]), lang))
    return t("cn.summary.fix", lang, name=c.full_name, field=t(f"cn.field.{d['field']}", lang).lower(),
             old=field_value(c, d["field"], lang), new=_new_value_text(d["field"], d["new"], lang))


def admission_summary(name: str, number: str, decision_on: date, ceremony_on: date | None,
                      counted: Stage, lang: str, *, received_on: date | None = None) -> str:
    """/ketnap's summary: the decision (signed, received), the ceremony (or not yet) and the year's
    quota it counts in."""
    ceremony = format_date(ceremony_on, lang) if ceremony_on else t("kn.ceremony_not_yet", lang)
    received = t("cn.summary.received", lang, date=format_date(received_on or decision_on, lang)) + "\n"
    return t("kn.summary", lang, name=name, number=number, decision=format_date(decision_on, lang),
             received=received, ceremony=ceremony, quota=quota_line(counted, decision_on, ceremony_on, lang))


def none_waiting_text(candidates: list[CandidateInfo], lang: str) -> str:
    """/ketnap with nobody awaiting the decision: says so, and where each candidate stands."""
    text = t("kn.none_waiting", lang, missing=t(f"step.{Stage.WARD_RESOLUTION}", lang))
    if candidates:
        lines = "\n".join(
            t("kn.current_line", lang, name=c.full_name, stage=t(f"stage.{c.stage}", lang),
              next=t(f"step.{next_stage(c.stage) or c.stage}", lang)) for c in candidates)
        text += "\n\n" + t("kn.current_list", lang, lines=lines)
    return text
