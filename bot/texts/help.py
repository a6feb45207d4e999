"""The command menu's descriptions and the /trogiup text."""

MESSAGES: dict[str, dict[str, str]] = {
    "cmd.trogiup": {"vi": "Hướng dẫn sử dụng", "en": "How to use the assistant"},
    "cmd.huy": {"vi": "Hủy việc đang làm", "en": "Cancel what you are doing"},
    "cmd.ungvien": {"vi": "Báo cáo quần chúng ưu tú mới", "en": "Report a new candidate"},
    "cmd.capnhat": {"vi": "Cập nhật một bước của quần chúng, hoặc sửa thông tin",
                    "en": "Record a candidate's next step, or correct details"},
    "cmd.ketnap": {"vi": "Báo cáo quyết định và lễ kết nạp",
                   "en": "Report an admission decision and ceremony"},
    "cmd.sinhhoat": {"vi": "Báo cáo buổi sinh hoạt chi bộ", "en": "Report a cell meeting"},
    "cmd.tiendo": {"vi": "Tiến độ chi bộ: chỉ tiêu, quần chúng, hạn sắp tới",
                   "en": "Cell progress: quota, candidates, coming deadlines"},
    "cmd.tonghop": {"vi": "Tổng hợp toàn đảng bộ", "en": "Ward summary"},
    "cmd.tonghop_province": {"vi": "Tổng hợp các đảng bộ (chậm nhất trước), xem từng đảng bộ",
                             "en": "Every ward (furthest behind first), open one"},
    "cmd.chitieu_province": {"vi": "Giao chỉ tiêu kết nạp cho từng đảng bộ theo năm",
                             "en": "Set each ward's yearly admission quota"},
    "cmd.dangvien": {"vi": "Đảng viên chuyển đến, chuyển đi, từ trần, xóa tên, khai trừ",
                     "en": "A member transferred in or out, died, struck off or expelled"},
    "cmd.chitieu": {"vi": "Giao chỉ tiêu kết nạp cho chi bộ, đảng bộ theo năm",
                    "en": "Set a cell's or the ward's admission quota for a year"},
    "cmd.tiendo_admin": {"vi": "Xem một chi bộ: /tiendo <tên chi bộ>", "en": "One cell: /tiendo <cell>"},
    "cmd.baocao": {"vi": "Báo cáo năm: đoạn văn, biểu đồ và bảng tính Excel",
                   "en": "The year's report: paragraph, charts and Excel workbook"},
    "cmd.moi": {"vi": "Tạo mã mời người dùng mới", "en": "Create an invite for a new user"},
    "help.header": {
        "vi": "Đồng chí đang dùng Trợ lý chi bộ với vai trò {role}. Các lệnh:",
        "en": "You are using the assistant as {role}. Commands:",
    },
    "help.footer": {
        "vi": "Bấm vào lệnh hoặc gõ lệnh bắt đầu bằng dấu «/». Gõ /huy để dừng bất cứ lúc nào.",
        "en": "Tap a command or type it starting with «/». Send /huy to stop at any time.",
    },
}
MESSAGES["cmd.start"] = {"vi": "Bắt đầu / đăng ký bằng mã mời", "en": "Start / register with an invite"}
