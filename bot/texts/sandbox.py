"""What `chibo try` prints around the chat itself."""

MESSAGES: dict[str, dict[str, str]] = {
    "try.creating_demo": {
        "vi": "Đang tạo đảng bộ mẫu (lần đầu, vài giây)…",
        "en": "Creating the demo ward (first run, a few seconds)…",
    },
    "try.banner": {
        "vi": "Trò chuyện với Trợ lý chi bộ với tư cách «{name}» (không cần Telegram).\n"
              "Gõ tin nhắn như trên điện thoại; gõ số để bấm nút; «=12» để gửi số 12 "
              "khi đang có nút; /thoat hoặc Ctrl-D để thoát. Bắt đầu bằng /start.",
        "en": "Chatting with the assistant as «{name}» (no Telegram needed).\n"
              "Type messages as on a phone; type a number to press a button; «=12» sends 12 "
              "while buttons are shown; /thoat or Ctrl-D quits. Start with /start.",
    },
    "try.unknown_user": {
        "vi": "chibo: không có người dùng mẫu «{who}» trên {channel}; dùng admin, committee, secretary, "
              "một mã số hoặc một phần tên.",
        "en": "chibo: no demo user «{who}» on {channel}; use admin, committee, secretary, a number "
              "or part of a name.",
    },
}
