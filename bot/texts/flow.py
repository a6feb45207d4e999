"""Words every conversation shares."""

MESSAGES: dict[str, dict[str, str]] = {
    "flow.expired": {
        "vi": "Đã quá {minutes} phút không có trả lời nên việc đang làm đã dừng; chưa có gì được lưu. "
              "Đồng chí có thể bắt đầu lại bất cứ lúc nào.",
        "en": "No answer for {minutes} minutes, so the task was stopped; nothing was saved. "
              "You can start again at any time.",
    },
    "flow.text_expected": {
        "vi": "Tôi chỉ đọc được chữ hoặc nút bấm ở bước này. Vui lòng gõ câu trả lời hoặc bấm nút.",
        "en": "At this step I can only read text or buttons. Please type the answer or press a button.",
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
    "button.save": {"vi": "✅ Lưu", "en": "✅ Save"},
    "button.edit": {"vi": "✏️ Sửa", "en": "✏️ Edit"},
    "button.skip": {"vi": "Bỏ qua", "en": "Skip"},
    "button.today": {"vi": "Hôm nay", "en": "Today"},
    "button.yes": {"vi": "Có", "en": "Yes"},
    "button.no": {"vi": "Không", "en": "No"},
}
