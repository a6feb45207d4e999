"""/dangvien (a member transferred in, or leaving) and /chitieu (the plan's quotas): the words."""

MESSAGES: dict[str, dict[str, str]] = {
    "flow.name.dangvien": {"vi": "báo cáo đảng viên chuyển đến, chuyển đi",
                           "en": "recording a member's move"},
    "flow.name.chitieu": {"vi": "giao chỉ tiêu", "en": "setting a quota"},
    "dv.not_for_you": {
        "vi": "Lệnh /dangvien dành cho bí thư chi bộ và Văn phòng Đảng ủy.",
        "en": "/dangvien is for cell secretaries and the ward office."},
    "dv.ask_cell": {"vi": "Đảng viên của chi bộ nào? Bấm chọn (trang 1/{pages}), hoặc gõ tên chi bộ, "
                          "ví dụ: Tổ 16",
                    "en": "Which cell? Press one (page 1 of {pages}), or type its name, e.g. Tổ 16"},
    "dv.unknown_cell": {"vi": "Không tìm thấy chi bộ «{value}». Đồng chí gõ lại tên, ví dụ: Tổ 16",
                        "en": "No cell «{value}». Type its name again, e.g. Tổ 16"},
    "dv.ask_kind": {"vi": "{cell}: đồng chí báo cáo việc gì?", "en": "{cell}: what happened?"},
    "dv.kind.transferred_in": {"vi": "Chuyển sinh hoạt đến", "en": "Transferred in"},
    "dv.kind.transferred_out": {"vi": "Chuyển sinh hoạt đi", "en": "Transferred out"},
    "dv.kind.died": {"vi": "Từ trần", "en": "Died"},
    "dv.kind.struck_off": {"vi": "Xóa tên", "en": "Struck off"},
    "dv.kind.expelled": {"vi": "Khai trừ", "en": "Expelled"},
    "dv.ask_name": {"vi": "Họ và tên đảng viên chuyển sinh hoạt đến {cell}? Ví dụ: Nguyễn Văn An",
                    "en": "Full name of the member transferred to {cell}? E.g. Nguyễn Văn An"},
    "dv.bad_name": {"vi": "Đồng chí gõ họ và tên đầy đủ (không quá 120 chữ), ví dụ: Nguyễn Văn An",
                    "en": "Type the full name (at most 120 characters), e.g. Nguyễn Văn An"},
    "dv.ask_status": {"vi": "Đồng chí {name} là đảng viên chính thức hay dự bị?",
                      "en": "Is {name} a full or a probationary member?"},
    "dv.status.full": {"vi": "Chính thức", "en": "Full"},
    "dv.status.probationary": {"vi": "Dự bị", "en": "Probationary"},
    "dv.ask_member": {"vi": "{kind}: đồng chí nào? Bấm tên, hoặc gõ một phần họ tên để tìm.",
                      "en": "{kind}: who? Press the name, or type part of it to search."},
    "dv.ask_member_found": {
        "vi": "{kind}: {count} đảng viên có tên hợp với «{query}». Bấm tên, hoặc gõ lại để tìm.",
        "en": "{kind}: {count} members match «{query}». Press the name, or type again to search."},
    "dv.ask_date": {"vi": "{kind} — {name}: ngày nào? Bấm «Hôm nay» hoặc gõ ngày, ví dụ 15/11/2026",
                    "en": "{kind} — {name}: on what day? Press Today or type it, e.g. 15/11/2026"},
    "dv.bad_date": {"vi": "Đồng chí gõ ngày theo ngày/tháng/năm, ví dụ {example}",
                    "en": "Type the date as day/month/year, e.g. {example}"},
    "dv.future_date": {"vi": "Ngày đó chưa tới (hôm nay là {today}). Đồng chí gõ lại ngày.",
                       "en": "That day has not come yet (today is {today}). Type the date again."},
    "dv.summary_in": {"vi": "Đồng chí {name} (đảng viên {status}) chuyển sinh hoạt đến {cell} ngày {date}.",
                      "en": "{name} ({status} member) transferred to {cell} on {date}."},
    "dv.summary_out": {"vi": "{kind}: đồng chí {name}, {cell}, ngày {date}.",
                       "en": "{kind}: {name}, {cell}, on {date}."},
    "dv.saved": {"vi": "Đã lưu. {summary}", "en": "Saved. {summary}"},
    "dv.error.member.exists": {
        "vi": "Chi bộ đã có đảng viên «{name}» trong danh sách. Nếu là người khác cùng tên, "
              "đồng chí thêm tên đệm hoặc năm sinh để phân biệt.",
        "en": "The cell already lists a member «{name}». If this is someone else, add a middle name "
              "or birth year to tell them apart."},
    "dv.error.member.already_left": {"vi": "Đồng chí {name} đã ra khỏi danh sách chi bộ từ trước.",
                                     "en": "{name} has already left the cell's list."},
    "dv.error.before_joined": {"vi": "Ngày đó trước ngày đồng chí này vào chi bộ ({value}).",
                               "en": "That day is before this member joined the cell ({value})."},
    "ct.ask_year": {"vi": "Giao chỉ tiêu kết nạp đảng viên cho năm nào? Bấm chọn hoặc gõ năm.",
                    "en": "Set the admission quota for which year? Press one or type the year."},
    "ct.bad_year": {"vi": "Năm không hợp lệ: «{value}» (từ 2000 đến {last}). Ví dụ: {example}",
                    "en": "Not a valid year: «{value}» (2000 to {last}). Example: {example}"},
    "ct.ward": {"vi": "Toàn Đảng bộ", "en": "The whole ward"},
    "ct.ask_ward": {"vi": "Chỉ tiêu năm {year} của đảng bộ nào? Bấm một đảng bộ (trang 1/{pages}), "
                          "hoặc gõ tên đảng bộ, ví dụ: Hoàng Văn Thụ",
                    "en": "Which ward's quota for {year}? Press a ward (page 1 of {pages}), or type "
                          "its name, e.g. Hoàng Văn Thụ"},
    "ct.ask_cell": {"vi": "Chỉ tiêu năm {year} của ai? «Toàn Đảng bộ», hoặc bấm một chi bộ "
                          "(trang 1/{pages}), hoặc gõ tên chi bộ, ví dụ: Tổ 16",
                    "en": "Whose quota for {year}? The whole ward, or press a cell (page 1 of {pages}), "
                          "or type its name, e.g. Tổ 16"},
    "ct.unknown_cell": {"vi": "Không tìm thấy chi bộ «{value}». Đồng chí gõ lại tên, ví dụ: Tổ 16",
                        "en": "No cell «{value}». Type its name again, e.g. Tổ 16"},
    "ct.ask_quota": {"vi": "{target}, năm {year}: chỉ tiêu kết nạp bao nhiêu đảng viên? Gõ một số, "
                           "ví dụ: 2. {current}",
                     "en": "{target}, {year}: how many admissions? Type a number, e.g. 2. {current}"},
    "ct.current": {"vi": "(Hiện nay: {quota}, {set_by}.)", "en": "(Now: {quota}, {set_by}.)"},
    "ct.current_none": {"vi": "(Chưa giao: đang tính theo mức mặc định.)",
                        "en": "(Not set yet: the default applies.)"},
    "ct.nobody": {"vi": "không ghi đơn vị giao", "en": "no one named"},
    "ct.bad_quota": {"vi": "Chỉ tiêu phải là số nguyên từ 0 đến {limit}, không phải «{value}». Ví dụ: 2",
                     "en": "The quota must be a whole number from 0 to {limit}, not «{value}». E.g. 2"},
    "ct.ask_set_by": {"vi": "{target}, năm {year}: chỉ tiêu {quota} — do ai giao? Bấm chọn, hoặc gõ, "
                            "ví dụ: Đảng ủy giao",
                      "en": "{target}, {year}: quota {quota} — set by whom? Press one, or type it, "
                            "e.g. Đảng ủy giao"},
    "ct.superior": {"vi": "Cấp ủy cấp trên giao", "en": "Set by the superior committee"},
    "ct.ward_committee": {"vi": "Đảng ủy giao", "en": "Đảng ủy giao"},
    "ct.bad_set_by": {"vi": "Đồng chí gõ đơn vị giao chỉ tiêu (không quá 200 chữ), ví dụ: Đảng ủy giao",
                      "en": "Type who set the quota (at most 200 characters), e.g. Đảng ủy giao"},
    "ct.saved": {"vi": "✅ Đã lưu chỉ tiêu kết nạp của {target} năm {year}: {quota} đảng viên ({set_by}).",
                 "en": "Saved: {target}, {year}, quota {quota} ({set_by})."},
}
