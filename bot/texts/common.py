"""Words used everywhere: roles, errors that any flow can meet, the stranger's answer."""

MESSAGES: dict[str, dict[str, str]] = {
    "role.admin": {"vi": "quản trị (Văn phòng Đảng ủy)", "en": "administrator (ward office)"},
    "role.committee": {"vi": "cấp ủy viên phụ trách", "en": "committee member in charge"},
    "role.secretary": {"vi": "bí thư chi bộ", "en": "cell secretary"},
    "role.province": {"vi": "Ban Tổ chức cấp tỉnh", "en": "province organisation department"},
    "stranger": {
        "vi": (
            "Xin chào! Đây là Trợ lý chi bộ của {committee}.\n"
            "Đồng chí chưa đăng ký sử dụng. Xin đồng chí hỏi Văn phòng Đảng ủy một mã mời, "
            "rồi gửi: /start MÃ_MỜI (ví dụ: /start ACDEF-GHJKM)."
        ),
        "en": (
            "Hello! This is the cell assistant of {committee}.\n"
            "You are not registered. Ask the ward office for an invite code, "
            "then send: /start CODE (for example: /start ACDEF-GHJKM)."
        ),
    },
    "committee.default": {"vi": "Đảng bộ phường", "en": "the ward party committee"},
    "private_only": {
        "vi": "Vì lý do bảo mật, Trợ lý chi bộ chỉ làm việc trong tin nhắn riêng. "
              "Hãy nhắn riêng cho bot.",
        "en": "For privacy, the assistant only works in private chats. Please message the bot directly.",
    },
    "unknown_command": {
        "vi": "Không có lệnh «{command}». Gõ /trogiup để xem các lệnh đồng chí dùng được.",
        "en": "There is no command «{command}». Send /help to see what you can do.",
    },
    "free_text_hint": {
        "vi": "Trợ lý chưa hiểu tin nhắn này. Xin đồng chí gõ /trogiup để xem các lệnh đồng chí dùng được.",
        "en": "I did not understand that. Send /help to see what you can do.",
    },
    "edited_ignored": {
        "vi": "Trợ lý không đọc tin nhắn đã sửa. Nếu cần sửa câu trả lời, xin gửi lại thành tin nhắn mới.",
        "en": "The assistant does not read edited messages. To change an answer, send it again "
              "as a new message.",
    },
    "error.permission_denied": {
        "vi": "Đồng chí không có quyền làm việc này. Không có gì thay đổi.",
        "en": "You are not allowed to do that.",
    },
    "error.not_registered": {
        "vi": "Đồng chí chưa đăng ký sử dụng Trợ lý chi bộ. Xin đồng chí gửi /start kèm mã mời "
              "của Văn phòng Đảng ủy.",
        "en": "You are not registered with the assistant yet. Please send /start with the invite "
              "code from the ward office.",
    },
    "error.other_cell": {
        "vi": "Việc này thuộc chi bộ khác, đồng chí không có quyền xem hay sửa.",
        "en": "That belongs to another cell; you cannot see or change it.",
    },
    "error.access_lost": {
        "vi": "Tài khoản của đồng chí vừa thay đổi quyền (hoặc không còn hoạt động) nên việc này chưa được "
              "lưu. Nếu có nhầm lẫn, xin đồng chí liên hệ Văn phòng Đảng ủy.",
        "en": "Your account's access has just changed (or is no longer active), so this was not saved. "
              "If this is a mistake, please contact the ward office.",
    },
    "error.admin_only": {
        "vi": "Chỉ Văn phòng Đảng ủy (quản trị) mới làm được việc này.",
        "en": "Only the ward office (administrator) can do that.",
    },
    "error.not_found": {
        "vi": "Không tìm thấy mục này (có thể đã bị xóa hoặc tin nhắn đã cũ).",
        "en": "That item was not found (it may have been removed, or the message is old).",
    },
    "error.stale_button": {
        "vi": "Nút này đã cũ hoặc không hợp lệ. Không có gì thay đổi.",
        "en": "This button is old or not valid. Nothing was changed.",
    },
    "error.message_gone": {
        "vi": "Tin nhắn có nút này đã quá cũ để cập nhật. Xin đồng chí gõ lại lệnh để xem thông tin "
              "mới nhất.",
        "en": "The message with this button is too old to update. Please send the command again to "
              "see the latest.",
    },
    "error.committee_missing": {
        "vi": "Chưa khởi tạo đảng bộ. Hãy chạy: chibo init --committee \"Tên đảng bộ\".",
        "en": "The ward is not set up yet. Run: chibo init --committee \"Committee name\".",
    },
    "error.committee_unknown": {
        "vi": "Không có đảng bộ nào tên \"{name}\". Các đảng bộ: {names}.",
        "en": "No committee is called \"{name}\". The committees: {names}.",
    },
    "error.province_missing": {
        "vi": "Chưa khởi tạo cấp tỉnh. Hãy chạy: chibo init --province \"Thành ủy ...\".",
        "en": "No province is set up. Run: chibo init --province \"Province committee\".",
    },
    "error.committee_choose": {
        "vi": "Cơ sở dữ liệu có nhiều đảng bộ: hãy chọn một bằng --committee \"Tên đảng bộ\". "
              "Các đảng bộ: {names}.",
        "en": "The database holds several committees: choose one with --committee \"Name\". "
              "The committees: {names}.",
    },
    "error.committee_name_invalid": {
        "vi": "Tên đảng bộ phải có từ 1 đến 200 ký tự.",
        "en": "The committee name must be 1 to 200 characters long.",
    },
    "error.unexpected": {
        "vi": "Xin lỗi, đã có lỗi. Vui lòng thử lại sau ít phút; nếu vừa báo cáo, hãy xem lại bằng "
              "/tiendo trước khi báo cáo lại.",
        "en": "Sorry, something went wrong. Please try again in a few minutes; if you were reporting, "
              "check /tiendo before reporting again.",
    },
    "error.too_long": {
        "vi": "Tin nhắn quá dài ({length} ký tự). Đồng chí gửi ngắn hơn, tối đa {limit} ký tự.",
        "en": "The message is too long ({length} characters). Please send at most {limit}.",
    },
}
