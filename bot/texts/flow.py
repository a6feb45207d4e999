"""Words every conversation shares."""

MESSAGES: dict[str, dict[str, str]] = {
    "flow.expired": {
        "vi": "Đã quá {minutes} phút không có trả lời nên việc đang làm đã dừng; chưa có gì được lưu. "
              "Đồng chí có thể bắt đầu lại bất cứ lúc nào.",
        "en": "No answer for {minutes} minutes, so the task was stopped; nothing was saved. "
              "You can start again at any time.",
    },
    "flow.not_text": {
        "vi": "Trợ lý chỉ đọc được chữ, không đọc được hình, nhãn dán hay tệp. Xin đồng chí gõ câu "
              "trả lời, hoặc chọn một lựa chọn của câu hỏi dưới đây.",
        "en": "The assistant reads text only, not pictures, stickers or files. Please type the answer, "
              "or pick one of the choices of the question below.",
    },
    "flow.type_answer": {
        "vi": "Xin đồng chí gõ câu trả lời cho câu hỏi dưới đây.",
        "en": "Please type the answer to the question below.",
    },
    "flow.press_button": {
        "vi": "Ở bước này xin đồng chí bấm một trong các nút dưới câu hỏi: {choices}.",
        "en": "At this step please press one of the buttons under the question: {choices}.",
    },
    "flow.type_number": {
        "vi": "Ở bước này xin đồng chí gõ số của một lựa chọn: {choices}.",
        "en": "At this step please type the number of a choice: {choices}.",
    },
    "flow.number_choice": {"vi": "{number} ({label})", "en": "{number} ({label})"},
    "flow.type_words": {
        "vi": "Ở bước này xin đồng chí gõ câu trả lời, hoặc gõ {choices}.",
        "en": "At this step please type the answer, or type {choices}.",
    },
    "flow.nothing_to_cancel": {
        "vi": "Hiện không có việc gì đang làm dở để hủy.",
        "en": "There is nothing in progress to cancel.",
    },
    "flow.busy": {
        "vi": "Đồng chí đang {flow} dở. Hãy trả lời câu hỏi dưới đây, hoặc gõ /huy để dừng "
              "rồi mới dùng {command}.",
        "en": "You are in the middle of {flow}. Answer the question below, or send /huy to stop "
              "before using {command}.",
    },
    "flow.that_button": {"vi": "nút này", "en": "that button"},
    "flow.resume": {
        "vi": "↩️ Tiếp tục {flow} đang làm dở:",
        "en": "↩️ Back to {flow}:",
    },
    "button.save": {"vi": "✅ Lưu", "en": "✅ Save"},
    "button.edit": {"vi": "✏️ Sửa", "en": "✏️ Edit"},
    "button.skip": {"vi": "Bỏ qua", "en": "Skip"},
    "button.today": {"vi": "Hôm nay", "en": "Today"},
    "button.yes": {"vi": "Có", "en": "Yes"},
    "button.no": {"vi": "Không", "en": "No"},
}
