"""Vietnamese full names for the demo ward, drawn without repeats within a cell."""

from __future__ import annotations

import random
import unicodedata

from bot.domain.candidates import Gender

# ── Names ─────────────────────────────────────────────────────────────────────────────────────

# Family names with rough national frequencies (%); Nông and Ma for Thái Nguyên's Tày families.
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 36), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4),
    ("Phan", 3), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3),
    ("Dương", 1), ("Lý", 0.5), ("Đinh", 1), ("Trịnh", 0.8), ("Đào", 0.8), ("Lương", 0.6),
    ("Mai", 0.5), ("Hà", 0.6), ("Nông", 0.8), ("Ma", 0.4), ("Triệu", 0.4), ("Lưu", 0.4),
)
MIDDLE_NAMES = {
    Gender.MALE: ("Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Mạnh", "Tiến", "Công", "Thanh",
             "Ngọc", "Đình", "Trọng", "Việt"),
    Gender.FEMALE: ("Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Kim", "Thúy", "Bích",
               "Mai", "Diệu"),
}
GIVEN_NAMES = {
    Gender.MALE: ("Hùng", "Dũng", "Tuấn", "Cường", "Hải", "Thắng", "Long", "Nam", "Sơn", "Trung",
             "Quân", "Hiếu", "Bình", "Tâm", "Phong", "Khánh", "Đạt", "Hưng", "Tùng", "Việt",
             "Thành", "Kiên", "Lâm", "Duy", "Tú", "Vinh", "An", "Chiến", "Lợi", "Toàn", "Huy",
             "Quyết", "Thịnh", "Nghĩa", "Hoàng", "Phúc", "Bảo", "Đông", "Khoa", "Thái"),
    Gender.FEMALE: ("Lan", "Hương", "Hoa", "Mai", "Hà", "Hằng", "Linh", "Trang", "Thảo", "Yến",
               "Nhung", "Huyền", "Phương", "Thủy", "Hạnh", "Loan", "Dung", "Oanh", "Vân",
               "Liên", "Nga", "Hiền", "Châu", "Anh", "Giang", "Quỳnh", "Nhàn", "Thoa", "Tuyết",
               "Ngân", "My", "Duyên"),
}
DROP_REASONS = (
    "Chuyển nơi cư trú khỏi địa bàn phường",
    "Xin rút vì hoàn cảnh gia đình",
    "Đi lao động ở nước ngoài",
    "Chưa đủ điều kiện sau thẩm tra lý lịch",
    "Vi phạm chính sách dân số, chi bộ dừng xem xét",
)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class NameBook:
    """Draws Vietnamese full names, never the same one twice (the cell's unique constraint)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def reserve(self, name: str) -> str:
        name = _nfc(name)
        self.used.add(name)
        return name

    def draw(self, rng: random.Random, gender: Gender) -> str:
        while True:
            family = rng.choices([f for f, _ in FAMILY_NAMES], [w for _, w in FAMILY_NAMES])[0]
            middle = rng.choice(MIDDLE_NAMES[gender])
            given = rng.choice(GIVEN_NAMES[gender])
            if gender is Gender.FEMALE and rng.random() < 0.2:  # "Nguyễn Thị Thu Hà" is common
                middle = f"Thị {rng.choice(MIDDLE_NAMES[gender][1:])}"
            name = _nfc(f"{family} {middle} {given}")
            if given not in middle.split() and name not in self.used:
                self.used.add(name)
                return name
