"""Words the Zalo channel adds where Telegram shows buttons or toasts."""

MESSAGES: dict[str, dict[str, str]] = {
    "zalo.choose_by_number": {
        "vi": "(Gõ số để chọn, ví dụ: 1)",
        "en": "(Type a number to choose, e.g. 1)",
    },
    "zalo.type_words": {
        "vi": "(Gõ {words} nếu cần.)",
        "en": "(Type {words} if needed.)",
    },
    "zalo.choices_again": {
        "vi": "Các lựa chọn bây giờ:",
        "en": "The choices now:",
    },
}
