"""The report workbook's words: sheet names, titles, column headers and the notes on each figure."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "wb.sheet.summary": {"vi": "Tổng hợp", "en": "Summary"},
    "wb.sheet.cells": {"vi": "Từng chi bộ", "en": "By cell"},
    "wb.sheet.candidates": {"vi": "Quần chúng", "en": "Candidates"},
    "wb.sheet.meetings": {"vi": "Sinh hoạt", "en": "Meetings"},
    "wb.sheet.notes": {"vi": "Ghi chú", "en": "Notes"},
    "wb.title": {"vi": "BÁO CÁO CÔNG TÁC PHÁT TRIỂN ĐẢNG VIÊN NĂM {year}",
                 "en": "PARTY MEMBERSHIP DEVELOPMENT REPORT {year}"},
    "wb.title_running": {"vi": "BÁO CÁO CÔNG TÁC PHÁT TRIỂN ĐẢNG VIÊN NĂM {year} (đến ngày {date})",
                         "en": "PARTY MEMBERSHIP DEVELOPMENT REPORT {year} (to {date})"},
    "wb.scope": {"vi": "Phạm vi: {scope}", "en": "Scope: {scope}"},
    "wb.col.figure": {"vi": "Nội dung", "en": "Figure"},
    "wb.col.value": {"vi": "Số liệu", "en": "Value"},
    "wb.col.note": {"vi": "Ghi chú", "en": "Note"},
    "wb.row.admitted": {"vi": "Kết nạp đảng viên trong năm", "en": "Admitted in the year"},
    "wb.row.quota": {"vi": "Chỉ tiêu kết nạp", "en": "Admission quota"},
    "wb.row.percent": {"vi": "Đạt (% chỉ tiêu)", "en": "Reached (% of quota)"},
    "wb.row.over": {"vi": "Vượt (% so với chỉ tiêu)", "en": "Exceeded by (%)"},
    "wb.row.missing": {"vi": "Còn thiếu (đảng viên)", "en": "Still to admit"},
    "wb.row.last_year": {"vi": "Kết nạp cùng kỳ năm {year}", "en": "Admitted in the same period of {year}"},
    "wb.row.vs_last": {"vi": "Bằng (% so với cùng kỳ)", "en": "As % of the same period"},
    "wb.row.members": {"vi": "Đảng viên cuối kỳ", "en": "Members at the end"},
    "wb.row.members_change": {"vi": "Tăng (+) / giảm (−) so với cuối năm {year}",
                              "en": "Change on the end of {year}"},
    "wb.row.cells": {"vi": "Số chi bộ", "en": "Cells"},
    "wb.row.cells_behind": {"vi": "Chi bộ chưa đạt chỉ tiêu", "en": "Cells behind their quota"},
    "wb.row.candidates": {"vi": "Quần chúng đang theo dõi (chưa kết nạp)", "en": "Candidates (not yet "
                                                                                 "admitted)"},
    "wb.row.stage": {"vi": "   — {stage}", "en": "   — {stage}"},
    "wb.row.meetings_held": {"vi": "Tháng có sinh hoạt chi bộ", "en": "Months with a cell meeting"},
    "wb.row.meetings_due": {"vi": "Tháng phải sinh hoạt (số chi bộ × số tháng)",
                            "en": "Months due (cells × months)"},
    "wb.row.meetings_count": {"vi": "Số buổi sinh hoạt", "en": "Meetings held"},
    "wb.row.attendance": {"vi": "Tỷ lệ đảng viên dự sinh hoạt bình quân", "en": "Average attendance"},
    "wb.row.committee": {"vi": "Cấp ủy viên phụ trách dự (% số buổi)",
                         "en": "Committee member attended (% of meetings)"},
    "wb.row.paragraph": {"vi": "Đoạn văn cho báo cáo", "en": "Paragraph for the report"},
    "wb.quota_by": {"vi": "{who}", "en": "{who}"},
    "wb.quota_sum": {"vi": "tổng chỉ tiêu các chi bộ", "en": "sum of the cells' quotas"},
    "wb.status.behind": {"vi": "Chưa đạt", "en": "Behind"},
    "wb.status.reached": {"vi": "Đạt", "en": "Reached"},
    "wb.status.exceeded": {"vi": "Vượt", "en": "Exceeded"},
    "wb.status.overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "wb.h.no": {"vi": "STT", "en": "No."},
    "wb.h.cell": {"vi": "Chi bộ", "en": "Cell"},
    "wb.h.quota": {"vi": "Chỉ tiêu", "en": "Quota"},
    "wb.h.admitted": {"vi": "Kết nạp", "en": "Admitted"},
    "wb.h.percent": {"vi": "Đạt (%)", "en": "Reached (%)"},
    "wb.h.status": {"vi": "Kết quả", "en": "Result"},
    "wb.h.last_year": {"vi": "Cùng kỳ năm trước", "en": "Same period last year"},
    "wb.h.vs_last": {"vi": "Bằng % cùng kỳ", "en": "% of last year"},
    "wb.h.members": {"vi": "Đảng viên cuối kỳ", "en": "Members"},
    "wb.h.change": {"vi": "Tăng/giảm", "en": "Change"},
    "wb.h.candidates": {"vi": "Quần chúng đang theo dõi", "en": "Candidates"},
    "wb.h.probation": {"vi": "Đảng viên dự bị", "en": "Probationary"},
    "wb.h.held": {"vi": "Tháng có sinh hoạt", "en": "Months met"},
    "wb.h.due": {"vi": "Tháng phải sinh hoạt", "en": "Months due"},
    "wb.h.attendance": {"vi": "Tỷ lệ dự sinh hoạt", "en": "Attendance"},
    "wb.h.committee": {"vi": "Cấp ủy dự (buổi)", "en": "Committee attended"},
    "wb.h.quota_by": {"vi": "Chỉ tiêu do", "en": "Quota set by"},
    "wb.h.name": {"vi": "Họ và tên", "en": "Full name"},
    "wb.h.stage": {"vi": "Bước hiện tại", "en": "Stage"},
    "wb.h.entered": {"vi": "Ngày vào bước", "en": "Since"},
    "wb.h.days": {"vi": "Số ngày ở bước", "en": "Days at stage"},
    "wb.h.next": {"vi": "Việc đến hạn tiếp theo", "en": "Next deadline"},
    "wb.h.due_date": {"vi": "Hạn", "en": "Due"},
    "wb.h.overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "wb.h.month": {"vi": "Tháng", "en": "Month"},
    "wb.h.meetings": {"vi": "Số buổi", "en": "Meetings"},
    "wb.h.expected": {"vi": "Đảng viên triệu tập", "en": "Expected"},
    "wb.h.present": {"vi": "Có mặt", "en": "Present"},
    "wb.h.absent_excused": {"vi": "Vắng có lý do", "en": "Absent, excused"},
    "wb.h.absent_unexcused": {"vi": "Vắng không lý do", "en": "Absent, unexcused"},
    "wb.h.total": {"vi": "Tổng cộng", "en": "Total"},
    "wb.page": {"vi": "Trang &P/&N", "en": "Page &P of &N"},
    "wb.exported": {"vi": "Xuất lúc", "en": "Exported at"},
    "wb.exported_note": {"vi": "giờ Việt Nam (Asia/Ho_Chi_Minh)", "en": "local time ({zone})"},
    "wb.note.admitted": {
        "vi": "Số quần chúng có {step} trong năm (từ 01/01 đến 31/12, hoặc đến ngày xuất khi năm chưa hết). "
              "Người đã kết nạp rồi ra khỏi danh sách sau đó vẫn được tính vào năm kết nạp.",
        "en": "Candidates whose {step} falls in the year (to the export date while the year runs); "
              "a later drop-out does not change it."},
    "wb.note.quota": {
        "vi": "Chỉ tiêu năm do cấp trên giao cho Đảng bộ khi đã nhập; nếu chưa nhập, là tổng chỉ tiêu "
              "các chi bộ "
              "(chi bộ tổ dân phố {residential}, chi bộ cơ quan, trường học, đơn vị, doanh nghiệp "
              "{agency} đảng viên/năm, "
              "trừ chi bộ có chỉ tiêu riêng).",
        "en": "The year's quota set by the superior committee when entered, else the sum of the cells' "
              "quotas."},
    "wb.note.percent": {"vi": "Đạt % = kết nạp ÷ chỉ tiêu × 100, làm tròn 2 chữ số thập phân; vượt % = "
                              "đạt % − 100.",
                        "en": "Reached = admitted ÷ quota × 100, two decimals; exceeded by = reached − 100."},
    "wb.note.vs_last": {
        "vi": "Bằng % cùng kỳ = kết nạp năm nay ÷ kết nạp cùng kỳ năm trước × 100; khi năm chưa hết, "
              "cùng kỳ là từ 01/01 đến cùng ngày của năm trước.",
        "en": "This year ÷ the same period of last year × 100; while the year runs, up to the same day."},
    "wb.note.members": {
        "vi": "Đảng viên có ngày kết nạp (hoặc có trong danh sách nhập ban đầu) đến hết kỳ và chưa "
              "chuyển đi, từ trần "
              "hay bị xóa tên; tăng/giảm so với ngày 31/12 năm trước.",
        "en": "Members admitted (or on the imported list) by the end and not yet left; change on 31/12 "
              "of last year."},
    "wb.note.candidates": {
        "vi": "Tổng hợp và Từng chi bộ: quần chúng theo từng bước vào cuối năm (năm đang chạy: ngày xuất), "
              "như /tonghop. Trang Quần chúng và biểu đồ các bước: quần chúng hiện đang theo dõi tại "
              "ngày xuất (không tính người đã ra khỏi danh sách và "
              "đảng viên chính thức); "
              "số ngày ở bước = ngày xuất − ngày của bước hiện tại; hạn tiếp theo theo quy định "
              "(giấy chứng nhận {certificate} tháng, hồ sơ {dossier} tháng, quyết định {decision} ngày "
              "làm việc, "
              "lễ kết nạp {ceremony} ngày làm việc, dự bị {probation} tháng).",
        "en": "Summary and by cell: candidates by stage at the end of the year (running year: today), as "
              "/tonghop shows them. Candidates sheet and funnel: candidates now in the pipeline; days at "
              "stage = export date − the "
              "stage's date; "
              "deadlines from the rules in the configuration."},
    "wb.note.meetings": {
        "vi": "Tháng có sinh hoạt: tháng đã qua có ít nhất một buổi sinh hoạt chi bộ được báo cáo; tỷ lệ "
              "dự = "
              "tổng có mặt ÷ tổng triệu tập; cấp ủy dự = số buổi có cấp ủy viên phụ trách dự ÷ số buổi.",
        "en": "Months met: past months with at least one reported meeting; attendance = present ÷ expected; "
              "committee = meetings the committee member attended ÷ meetings."},
    "wb.note.funnel_label": {"vi": "Biểu đồ các bước", "en": "Funnel chart"},
    "wb.note.funnel": {"vi": "Biểu đồ các bước: số quần chúng ở mỗi bước và trung vị số ngày ở bước đó.",
                       "en": "The funnel chart: candidates at each stage and the median days at it."},
    "wb.step.decision": {"vi": "quyết định kết nạp", "en": "admission decision"},
    "wb.step.ceremony": {"vi": "lễ kết nạp", "en": "admission ceremony"},
}
