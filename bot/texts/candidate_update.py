"""Words of /capnhat (record a step, drop out, correct) and /ketnap (the admission shortcut).

Keys start with "cn." (/capnhat, and the refusals both flows share) or "kn." (/ketnap).
Refusal texts are "cn.error.<reason or code>", found by bot.handlers.common.error_text with the
prefix "cn."; their values arrive already worded: dates as dd/mm/yyyy, steps by their names.
Below the catalogue: the candidate's card and the summaries both flows show before and after saving.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.domain.candidates import CandidateInfo
from bot.domain.dates import LooseDate
from bot.domain.membership import reason_left_how
from bot.domain.stages import PIPELINE, Stage, next_stage
from bot.domain.status import is_probationary
from bot.texts import t
from bot.texts.fields import LABELS, field_line, line
from bot.texts.formatting import format_age, format_date

CHOICE_FIELDS = ("gender", "background")  # corrected with buttons, shown by their words

MESSAGES: dict[str, dict[str, str]] = {
    "cn.error.probation_not_over": {
        "vi": "Chưa thể công nhận đảng viên chính thức: thời gian dự bị 12 tháng chưa hết "
              "(hết ngày {ends}).",
        "en": "Full membership cannot be recognised yet: probation has not ended (it ends on {ends}).",
    },
    "cn.error.age_below": {
        "vi": "Vào ngày {on} quần chúng mới {age}, chưa đủ {min_age}: chi bộ chưa được xét kết nạp "
              "(Điều lệ Đảng: từ đủ 18 tuổi, tính theo tháng). Nếu ngày sinh đang ghi sai, hãy sửa "
              "ngày sinh trước.",
        "en": "On {on} the candidate is only {age}, under {min_age}: the cell may not vote yet. If the "
              "birth date on record is wrong, correct it first.",
    },
    "cn.error.age_above": {
        "vi": "Vào ngày {on} quần chúng đã {age}, quá {max_age}. Theo Điều lệ Đảng, kết nạp người trên "
              "60 tuổi do cấp ủy cấp trên (cấp ủy trực thuộc Trung ương) xem xét, quyết định — chi bộ "
              "không tự xét được. Đồng chí báo Văn phòng Đảng ủy để xin ý kiến cấp trên; khi cấp trên "
              "đồng ý, Văn phòng sẽ hướng dẫn ghi tiếp. Nếu ngày sinh đang ghi sai, hãy sửa ngày sinh trước.",
        "en": "On {on} the candidate is {age}, over {max_age}. Under the Party Statute, admitting someone "
              "over 60 is decided by a higher committee, not by the cell. Ask the ward office to seek "
              "the higher committee's approval. If the birth date on record is wrong, correct it first.",
    },
    "cn.error.corrected_age_below": {
        "vi": "Không sửa được: với ngày sinh này, vào ngày chi bộ đã xét kết nạp ({on}) quần chúng mới "
              "{age}, chưa đủ {min_age} — lần xét đó trái quy định. Nếu ngày sinh mới là đúng, đồng chí "
              "báo Văn phòng Đảng ủy để xử lý lần xét kết nạp. Ngày sinh cũ vẫn được giữ.",
        "en": "Not corrected: with this birth date the candidate was only {age} on the recorded cell vote "
              "({on}), under {min_age}. If it is right, tell the ward office. The old birth date is kept.",
    },
    "cn.error.corrected_age_above": {
        "vi": "Không sửa được: với ngày sinh này, vào ngày chi bộ đã xét kết nạp ({on}) quần chúng đã "
              "{age}, quá {max_age} — việc kết nạp phải do cấp ủy cấp trên quyết định. Nếu ngày sinh mới "
              "là đúng, đồng chí báo Văn phòng Đảng ủy. Ngày sinh cũ vẫn được giữ.",
        "en": "Not corrected: with this birth date the candidate was {age} on the recorded cell vote "
              "({on}), over {max_age}; a higher committee must decide. If it is right, tell the ward "
              "office. The old birth date is kept.",
    },
    "cn.error.corrected_birth_date_needed": {
        "vi": "Chi bộ đã xét kết nạp ngày {on}. Chỉ có năm sinh {year} thì chưa biết lúc đó quần chúng "
              "đã đủ {min_age} và chưa quá {max_age} hay không. Xin gõ ngày sinh đầy đủ (ngày/tháng/năm), "
              "ví dụ: 15/08/{year}.",
        "en": "The cell voted on {on}. A birth year alone ({year}) cannot tell whether the candidate was "
              "between {min_age} and {max_age} then. Please type the full birth date, e.g. 15/08/{year}.",
    },
    "cn.error.moved_age_below": {
        "vi": "Không sửa được: vào ngày {on} quần chúng mới {age}, chưa đủ {min_age} nên chi bộ không "
              "thể xét kết nạp vào ngày đó.",
        "en": "Not corrected: on {on} the candidate was only {age}, under {min_age}.",
    },
    "cn.error.moved_age_above": {
        "vi": "Không sửa được: vào ngày {on} quần chúng đã {age}, quá {max_age} (phải do cấp ủy cấp trên "
              "quyết định).",
        "en": "Not corrected: on {on} the candidate was {age}, over {max_age}.",
    },
    "cn.error.moved_birth_date_needed": {
        "vi": "Chỉ có năm sinh {year} thì chưa biết vào ngày {on} quần chúng đã đủ {min_age} và chưa quá "
              "{max_age} hay không. Hãy sửa ngày sinh đầy đủ trước, rồi sửa ngày chi bộ xét.",
        "en": "A birth year alone ({year}) cannot tell the age on {on}. Correct the full birth date first.",
    },
    "cn.error.certificate_expired": {
        "vi": "Giấy chứng nhận học lớp nhận thức về Đảng cấp ngày {course} chỉ có giá trị {valid_months} "
              "tháng (đến hết ngày {until}); ngày chi bộ xét ({on}) giấy đã hết hạn nên chưa ghi được bước "
              "này. Quần chúng cần học lại lớp bồi dưỡng nhận thức về Đảng; có giấy chứng nhận mới thì "
              "đồng chí sửa ngày bước «Học lớp nhận thức về Đảng» rồi ghi lại.",
        "en": "The awareness certificate issued on {course} is valid {valid_months} months (until {until}); "
              "on the vote date ({on}) it has expired, so this step cannot be recorded. The candidate must "
              "take the course again; then correct the course date and record the vote.",
    },
    "cn.error.dossier_stale": {
        "vi": "Hồ sơ của quần chúng hoàn thiện ngày {dossier}; quá {max_months} tháng (sau ngày {until}) "
              "mà chi bộ chưa xét thì hồ sơ phải được bổ sung, làm lại (lý lịch, thẩm tra). Ngày chi bộ "
              "xét ({on}) đã quá hạn nên chưa ghi được bước này. Khi hồ sơ hoàn thiện lại, đồng chí sửa "
              "ngày bước «Hồ sơ» rồi ghi lại.",
        "en": "The dossier was completed on {dossier}; after {max_months} months (past {until}) without a "
              "vote it must be renewed. The vote date ({on}) is too late, so this step cannot be recorded.",
    },
    "cn.error.votes_total_above_list": {
        "vi": "Danh sách đảng viên đã nhập của chi bộ chỉ có {listed} đảng viên chính thức, ít hơn "
              "{votes_total}. Xin gõ lại tổng số đảng viên chính thức (không quá {listed}).",
        "en": "The cell's imported list has only {listed} full members, fewer than {votes_total}. Please "
              "type the total again (at most {listed}).",
    },
    "cn.error.introducer_kind_not_allowed": {
        "vi": "Cách giới thiệu này không đúng với quần chúng: {rule} Xin bấm một trong các nút dưới đây.",
        "en": "That kind of introduction does not fit this candidate: {rule} Please press one of the "
              "buttons below.",
    },
    "cn.error.introducer_probationary": {
        "vi": "Đồng chí {name} đang là đảng viên dự bị; người giới thiệu phải là đảng viên chính thức "
              "(Điều lệ Đảng, Điều 4). Xin chọn đồng chí khác.",
        "en": "{name} is a probationary member; introducers must be full members. "
              "Please choose someone else.",
    },
    "cn.error.introducer_twice": {
        "vi": "Đồng chí {name} đã là người giới thiệu thứ nhất. Người thứ hai phải là một đảng viên khác.",
        "en": "{name} is already the first introducer. The second must be someone else.",
    },
    "cn.error.unknown_member": {
        "vi": "Người này không có (hoặc không còn) trong danh sách đảng viên của chi bộ. Xin chọn lại.",
        "en": "That person is not (or no longer) on the cell's member list. Please choose again.",
    },
    "cn.error.known_too_short": {
        "vi": "Từ {since} đến ngày giới thiệu ({on}) mới được {months} tháng; người giới thiệu phải cùng "
              "công tác với quần chúng ít nhất {required} tháng (Điều lệ Đảng, Điều 4). Xin kiểm tra lại "
              "thời gian, hoặc bấm «Quay lại» để chọn người giới thiệu khác.",
        "en": "From {since} to the introduction date ({on}) is only {months} months; introducers must have "
              "worked with the candidate at least {required} months. Check the date, or press «Back» to "
              "choose another introducer.",
    },
    "cn.error.known_since_year_only": {
        "vi": "Chỉ có năm {value} thì chưa tính được đủ {required} tháng hay chưa. Xin gõ cả tháng, "
              "ví dụ: 03/{value}.",
        "en": "A year alone ({value}) cannot tell whether it is {required} months. Please add the month, "
              "e.g. 03/{value}.",
    },
    "cn.error.known_since_format": {
        "vi": "Trợ lý chưa đọc được «{value}». Xin gõ tháng/năm, ví dụ: 03/2024, hoặc ngày/tháng/năm, "
              "ví dụ: 15/03/2024.",
        "en": "I could not read «{value}». Please type month/year, e.g. 03/2024, or day/month/year, "
              "e.g. 15/03/2024.",
    },
    "cn.error.known_since_future": {
        "vi": "Thời điểm {since} chưa tới. Xin gõ tháng/năm đã qua, ví dụ: 03/2024.",
        "en": "{since} is in the future. Please type a past month/year, e.g. 03/2024.",
    },
    "cn.error.known_since_after_step": {
        "vi": "Thời điểm {since} muộn hơn ngày giới thiệu ({on}). Xin gõ lại, ví dụ: 03/2024.",
        "en": "{since} is after the introduction date ({on}). Please type it again, e.g. 03/2024.",
    },
    "cn.error.known_since_missing": {
        "vi": "Chưa ghi thời gian cùng công tác của người giới thiệu.",
        "en": "The time each introducer has worked with the candidate is missing.",
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
        # The list holds quần chúng and đảng viên dự bị alike (#10 item 5): "người", not "quần chúng".
        "vi": "Chọn người cần cập nhật ({count} người, trang {page}/{pages}):",
        "en": "Choose the person to update ({count} people, page {page}/{pages}):",
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
    # ── introducers (Điều lệ Đảng, Điều 4) ────────────────────────────────────────────────────
    "cn.introducer_rule.youth_union": {
        "vi": "Vào ngày giới thiệu ({on}) {name} {age}, trong độ tuổi Đoàn (từ đủ 16 đến 30 tuổi), nên "
              "người giới thiệu là Ban Chấp hành Đoàn cơ sở VÀ một đảng viên chính thức.",
        "en": "On the introduction date ({on}) {name} is {age}, of Youth Union age (16 to 30), so the "
              "introducers are the youth-union base committee AND one full member.",
    },
    "cn.introducer_rule.trade_union": {
        "vi": "Vào ngày giới thiệu ({on}) {name} {age}, ngoài độ tuổi Đoàn, ở chi bộ cơ quan/đơn vị/"
              "doanh nghiệp: nếu đơn vị có tổ chức Công đoàn thì người giới thiệu là Ban Chấp hành Công "
              "đoàn cơ sở VÀ một đảng viên chính thức; nếu không có Công đoàn thì hai đảng viên chính thức.",
        "en": "On the introduction date ({on}) {name} is {age}, past Youth Union age, in a workplace "
              "cell: where the unit has a trade union, the introducers are its base committee AND one full "
              "member; without a trade union, two full members.",
    },
    "cn.introducer_rule.two_members": {
        "vi": "Vào ngày giới thiệu ({on}) {name} {age}, ngoài độ tuổi Đoàn, ở chi bộ tổ dân phố, nên "
              "người giới thiệu là hai đảng viên chính thức.",
        "en": "On the introduction date ({on}) {name} is {age}, past Youth Union age, in a residential "
              "cell, so the introducers are two full members.",
    },
    "cn.ask_introducer_kind": {
        "vi": "{rule}\nNgười giới thiệu phải là đảng viên chính thức, đã cùng công tác với quần chúng "
              "ít nhất {months} tháng. Bấm nút để tiếp tục:",
        "en": "{rule}\nIntroducing members must be full members who have worked with the candidate for "
              "at least {months} months. Press a button to go on:",
    },
    "cn.button.two_members": {"vi": "Hai đảng viên chính thức", "en": "Two full members"},
    "cn.button.youth_union": {"vi": "BCH Đoàn cơ sở + một đảng viên chính thức",
                              "en": "Youth-union committee + one full member"},
    "cn.button.trade_union": {"vi": "BCH Công đoàn cơ sở + một đảng viên chính thức",
                              "en": "Trade-union committee + one full member"},
    "cn.button.two_members_no_union": {"vi": "Đơn vị không có Công đoàn: hai đảng viên chính thức",
                                       "en": "No trade union: two full members"},
    "cn.ask_introducer.first": {
        "vi": "Đảng viên chính thức giới thiệu thứ nhất là ai?",
        "en": "Who is the first introducing full member?",
    },
    "cn.ask_introducer.second": {
        "vi": "Đảng viên chính thức giới thiệu thứ hai là ai? (thứ nhất: {first})",
        "en": "Who is the second introducing full member? (first: {first})",
    },
    "cn.ask_introducer.with_union": {
        "vi": "Đảng viên chính thức cùng giới thiệu với {union} là ai?",
        "en": "Which full member introduces alongside the {union}?",
    },
    "cn.union.youth_union": {"vi": "Ban Chấp hành Đoàn cơ sở", "en": "youth-union base committee"},
    "cn.union.trade_union": {"vi": "Ban Chấp hành Công đoàn cơ sở", "en": "trade-union base committee"},
    "cn.introducer_how.list": {
        "vi": "Bấm tên trong danh sách đảng viên chính thức của chi bộ, hoặc gõ một phần họ tên để tìm, "
              "ví dụ: Hùng.",
        "en": "Press a name on the cell's list of full members, or type part of a name to search, "
              "e.g. Hùng.",
    },
    "cn.introducer_how.typed": {
        "vi": "Gõ họ tên, ví dụ: Nguyễn Văn An. (Chi bộ chưa nhập danh sách đảng viên.)",
        "en": "Type the full name, e.g. Nguyễn Văn An. (The cell has no member list imported.)",
    },
    "cn.introducer_found": {
        "vi": "Tìm «{query}»: {count} đồng chí. Bấm tên đúng, hoặc gõ lại.",
        "en": "Search «{query}»: {count} found. Press the right name, or type again.",
    },
    "cn.button.keep_typed": {"vi": "Không có trong danh sách — ghi «{name}»",
                             "en": "Not on the list — use «{name}»"},
    "cn.button.show_all_members": {"vi": "Xem lại cả danh sách", "en": "Show the whole list"},
    "cn.introducer_off_list": {
        "vi": "«{name}» không có trong danh sách đảng viên đã nhập của chi bộ. Trợ lý vẫn ghi tên này như "
              "đồng chí gõ; xin bảo đảm đồng chí ấy là đảng viên chính thức.",
        "en": "«{name}» is not on the cell's imported member list. I keep the name as typed; please make "
              "sure they are a full member.",
    },
    "cn.ask_known_since": {
        "vi": "Đồng chí {member} cùng công tác với {name} từ khi nào? Gõ tháng/năm, ví dụ: 03/2024, "
              "hoặc ngày/tháng/năm. Cần ít nhất {months} tháng tính đến ngày giới thiệu ({on}).",
        "en": "Since when has {member} worked with {name}? Type month/year, e.g. 03/2024, or "
              "day/month/year. At least {months} months are needed by the introduction date ({on}).",
    },
    "cn.ask_full_birth.youth": {
        "vi": "{name} mới ghi năm sinh {year}. Vào ngày {on}, tùy ngày sinh, quần chúng có thể còn hoặc "
              "đã hết độ tuổi Đoàn (đến 30 tuổi) — điều này quyết định ai giới thiệu. Xin gõ ngày sinh "
              "đầy đủ (ngày/tháng/năm), ví dụ: 15/08/{year}.",
        "en": "Only the birth year {year} of {name} is recorded. On {on}, depending on the day, they may "
              "or may not be of Youth Union age (up to 30) — which decides who introduces. Please type "
              "the full birth date (day/month/year), e.g. 15/08/{year}.",
    },
    "cn.ask_full_birth.vote_min": {
        "vi": "{name} mới ghi năm sinh {year}. Vào ngày chi bộ xét ({on}), tùy ngày sinh, quần chúng có "
              "thể đã đủ hoặc chưa đủ {min_age}. Xin gõ ngày sinh đầy đủ (ngày/tháng/năm), "
              "ví dụ: 15/08/{year}.",
        "en": "Only the birth year {year} of {name} is recorded. On the vote date ({on}), depending on "
              "the day, they may or may not be {min_age} yet. Please type the full birth date "
              "(day/month/year), e.g. 15/08/{year}.",
    },
    "cn.ask_full_birth.vote_max": {
        "vi": "{name} mới ghi năm sinh {year}. Vào ngày chi bộ xét ({on}), tùy ngày sinh, quần chúng có "
              "thể chưa quá hoặc đã quá {max_age}. Xin gõ ngày sinh đầy đủ (ngày/tháng/năm), "
              "ví dụ: 15/08/{year}.",
        "en": "Only the birth year {year} of {name} is recorded. On the vote date ({on}), depending on "
              "the day, they may or may not be over {max_age}. Please type the full birth date "
              "(day/month/year), e.g. 15/08/{year}.",
    },
    "cn.full_birth_needed": {
        "vi": "Ở đây cần ngày sinh đầy đủ (ngày/tháng/năm), ví dụ: 15/08/{year}.",
        "en": "The full birth date (day/month/year) is needed here, e.g. 15/08/{year}.",
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
    "cn.ask_votes_total_listed": {
        "vi": "Chi bộ có tổng số bao nhiêu đảng viên chính thức? Danh sách đã nhập có {listed} đồng chí "
              "chính thức: bấm nút nếu đúng, hoặc gõ số khác (không quá {listed}).",
        "en": "How many full members does the cell have in total? The imported list has {listed}: press "
              "the button if right, or type another number (at most {listed}).",
    },
    "cn.button.listed_total": {"vi": "{listed} (theo danh sách)", "en": "{listed} (from the list)"},
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
    "cn.summary.received": {lang: text.replace("{value}", "{date}")
                            for lang, text in line("decision_received").items()},
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
    # (the labels themselves are bot.texts.fields')
    "cn.field.full_name": LABELS["full_name"],
    "cn.field.birth": LABELS["birth"],
    "cn.field.gender": LABELS["gender"],
    "cn.field.background": LABELS["background"],
    "cn.field.helper_name": LABELS["helper"],
    "cn.field.step_date": {"vi": "Ngày của một bước đã ghi", "en": "Date of a recorded step"},
    "cn.ask_value.full_name": {
        "vi": "✏️ Sửa họ và tên (đang ghi «{old}»). Gõ họ và tên đúng, ví dụ: Trần Thị Mai.",
        "en": "✏️ Change the full name (now «{old}»). Type the correct full name, e.g. Trần Thị Mai.",
    },
    "cn.ask_value.birth": {
        "vi": "✏️ Sửa ngày sinh (đang ghi «{old}»). Gõ ngày sinh đúng (ngày/tháng/năm, hoặc chỉ năm), "
              "ví dụ: 15/08/1998 hoặc 1998.",
        "en": "✏️ Change the birth date (now «{old}»). Type the correct one (day/month/year, or the "
              "year only), e.g. 15/08/1998 or 1998.",
    },
    "cn.ask_value.helper_name": {
        "vi": "✏️ Sửa đảng viên giúp đỡ (đang ghi «{old}»). Gõ họ và tên đúng, ví dụ: Nguyễn Văn An, "
              "hoặc bấm «Không có».",
        "en": "✏️ Change the member helping (now «{old}»). Type the correct name, e.g. Nguyễn Văn An, "
              "or press «None».",
    },
    "cn.ask_value.gender": {"vi": "✏️ Sửa giới tính (đang ghi «{old}»). Chọn giới tính đúng:",
                            "en": "✏️ Change the gender (now «{old}»). Choose the correct one:"},
    "cn.ask_value.background": {"vi": "✏️ Sửa đối tượng (đang ghi «{old}»). Chọn đúng đối tượng:",
                                "en": "✏️ Change the background (now «{old}»). Choose the correct one:"},
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
    "cn.summary.youth_union": {"vi": "• Người giới thiệu: Ban Chấp hành Đoàn cơ sở và đảng viên {names}",
                               "en": "• Introducers: youth-union base committee and member {names}"},
    "cn.summary.trade_union": {"vi": "• Người giới thiệu: Ban Chấp hành Công đoàn cơ sở và đảng viên {names}",
                               "en": "• Introducers: trade-union base committee and member {names}"},
    "cn.summary.known": {"vi": "{name} (cùng công tác từ {since}, {months} tháng)",
                         "en": "{name} (worked together since {since}, {months} months)"},
    "cn.summary.birth_added": {"vi": "• Ngày sinh (ghi bổ sung): {birth}",
                               "en": "• Birth date (added): {birth}"},
    "cn.summary.votes": {"vi": "• Phiếu tán thành: {votes_for}/{votes_total}",
                         "en": "• Votes for: {votes_for}/{votes_total}"},
    "cn.summary.no_votes": {"vi": "• Phiếu tán thành: không ghi", "en": "• Votes: not recorded"},
    "cn.summary.decision_number": {lang: text.replace("{value}", "{number}")
                                   for lang, text in line("decision_number").items()},
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
        "vi": "Trợ lý chưa đọc được ngày «{value}». Vui lòng gõ ngày/tháng/năm, ví dụ: {today}.",
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
        "vi": "Kết nạp đảng viên:\n{lines}\n{quota}",
        "en": "Admission:\n{lines}\n{quota}",
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


def age_words(months: int, lang: str) -> str:
    """An age as people say it: "17 tuổi 11 tháng", "60 tuổi" (bot.texts.formatting's words)."""
    return format_age(months, lang)


def since_text(iso: str) -> str:
    """"2024-03" → "03/2024", "2024-03-15" → "15/03/2024"."""
    parts = str(iso).split("-")
    return "/".join(reversed(parts))


_DATE_KEYS = ("on", "course", "until", "dossier")


def refusal_values(data: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The values of an eligibility or introducer refusal in words: dates dd/mm/yyyy, ages
    "17 tuổi 11 tháng", month/year periods "03/2024"."""
    out = dict(data)
    for key in _DATE_KEYS:
        if isinstance(out.get(key), str):
            with contextlib.suppress(ValueError):
                out[key] = format_date(date.fromisoformat(out[key]), lang)
    if isinstance(out.get("months"), int):
        out["age"] = age_words(out["months"], lang)
    for key in ("min_months", "max_months"):
        if isinstance(out.get(key), int):
            out[key.replace("months", "age")] = age_words(out[key], lang)
    known = str(out.get("reason", "")).startswith("known_")
    if known and "-" in str(out.get("value", "")):
        out["since"] = since_text(str(out["value"]))
    return out


def introducer_rule(kinds: list[str], name: str, on: date, months: int, lang: str) -> str:
    """Why these introducers: youth age, a workplace cell (trade union or not), or two members."""
    key = kinds[0] if kinds else "two_members"
    return t(f"cn.introducer_rule.{key}", lang, name=name, on=format_date(on, lang),
             age=age_words(months, lang))


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
        left = reason_left_how(c.dropped_reason)  # closed by /dangvien: how they left
        reason = t(f"dv.kind.{left.value}", lang) if left is not None else c.dropped_reason
        text += "\n" + t(drop_key("cn.card_dropped", c), lang, date=format_date(c.dropped_on, lang),
                         reason=reason)
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


def _introducer_texts(d: Mapping[str, Any], lang: str) -> list[str]:
    """Each introducing member with since when they have worked with the candidate."""
    since, months = d.get("known_since") or [], d.get("months_known") or []
    return [t("cn.summary.known", lang, name=name, since=since_text(since[k]), months=months[k])
            if k < len(since) and k < len(months) else name for k, name in enumerate(d["introducers"])]


def _step_summary(d: Mapping[str, Any], counted: Stage, lang: str) -> str:
    step, on = Stage(d["step"]), date.fromisoformat(d["on"])
    lines = [t("cn.summary.step", lang, name=d["name"], step=t(f"step.{step}", lang),
               date=format_date(on, lang))]
    if step is Stage.COURSE:
        lines.append(t("cn.summary.certificate", lang, date=format_date(on, lang)))
    elif step is Stage.INTRODUCED:
        lines.append(t(f"cn.summary.{d['kind']}", lang, names=", ".join(_introducer_texts(d, lang))))
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
    if d.get("birth"):
        lines.append(t("cn.summary.birth_added", lang, birth=birth_text(LooseDate(*d["birth"]), lang)))
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
    values = {"full_name": name, "decision_number": number, "decision_date": format_date(decision_on, lang),
              "decision_received": format_date(received_on or decision_on, lang), "ceremony": ceremony}
    lines = "\n".join(field_line(field, value, lang) for field, value in values.items())
    return t("kn.summary", lang, lines=lines, quota=quota_line(counted, decision_on, ceremony_on, lang))


def none_waiting_text(candidates: list[CandidateInfo], lang: str) -> str:
    """/ketnap with nobody awaiting the decision: says so, and where each candidate stands."""
    text = t("kn.none_waiting", lang, missing=t(f"step.{Stage.WARD_RESOLUTION}", lang))
    if candidates:
        lines = "\n".join(
            t("kn.current_line", lang, name=c.full_name, stage=t(f"stage.{c.stage}", lang),
              next=t(f"step.{next_stage(c.stage) or c.stage}", lang)) for c in candidates)
        text += "\n\n" + t("kn.current_list", lang, lines=lines)
    return text
