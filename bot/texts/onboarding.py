"""Registration by invite code, greetings by role, invite creation in chat and on the command line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.invites import format_code
from bot.domain.roles import Role
from bot.texts import t
from bot.texts.formatting import format_date

MESSAGES: dict[str, dict[str, str]] = {
    "greet.secretary": {
        "vi": "Chào đồng chí {name}! Đồng chí đã được đăng ký là bí thư {cell}.\n"
              "Từ nay đồng chí có thể báo cáo quần chúng, kết nạp và sinh hoạt chi bộ ngay tại đây.\n"
              "Gõ /trogiup để xem các lệnh.",
        "en": "Welcome, {name}! You are registered as the secretary of {cell}.\n"
              "You can now report candidates, admissions and cell meetings here.\n"
              "Send /help to see the commands.",
    },
    "greet.committee": {
        "vi": "Chào đồng chí {name}! Đồng chí đã được đăng ký là cấp ủy viên phụ trách: {cells}.\n"
              "Gõ /trogiup để xem các lệnh.",
        "en": "Welcome, {name}! You are registered as the committee member in charge of: {cells}.\n"
              "Send /help to see the commands.",
    },
    "greet.province": {
        "vi": "Chào đồng chí {name}. Đồng chí đã được đăng ký với vai trò Ban Tổ chức {committee}: "
              "/tonghop xem tất cả các đảng bộ (chậm nhất trước) và từng đảng bộ, /chitieu giao chỉ "
              "tiêu cho từng đảng bộ.",
        "en": "Welcome, {name}. You are registered as {committee}'s organisation department: "
              "/tonghop shows every ward (furthest behind first) and each one, /chitieu sets each "
              "ward's quota.",
    },
    # The ward office is greeted as the office: its account is often named after it, and
    # "đồng chí Văn phòng Đảng ủy" reads as if the office were a person.
    "greet.admin": {
        "vi": "Chào Văn phòng Đảng ủy{person}! Tài khoản này đã được đăng ký quản trị Trợ lý chi bộ "
              "của {committee}.\nGõ /trogiup để xem các lệnh.",
        "en": "Welcome, ward office{person}! This account is registered as administrator of {committee}.\n"
              "Send /help to see the commands.",
    },
    "greet.admin_person": {"vi": " (đồng chí {name})", "en": " ({name})"},
    "welcome_back": {
        "vi": "Chào đồng chí {name} ({role}{cells}). Gõ /trogiup để xem các lệnh.",
        "en": "Hello {name} ({role}{cells}). Send /help to see the commands.",
    },
    "welcome_back.admin": {
        "vi": "Chào Văn phòng Đảng ủy{person}. Gõ /trogiup để xem các lệnh.",
        "en": "Hello, ward office{person}. Send /help to see the commands.",
    },
    "replaced_notice": {
        "vi": "{cell} đã có bí thư mới được đăng ký. Tài khoản của đồng chí không còn "
              "quyền báo cáo cho chi bộ này. Nếu có nhầm lẫn, xin liên hệ Văn phòng Đảng ủy.",
        "en": "A new secretary has been registered for {cell}. Your account can no longer report "
              "for this cell. If this is a mistake, please contact the ward office.",
    },
    "invite.error.invite_unknown": {
        "vi": "Mã mời «{code}» không đúng. Hãy kiểm tra lại từng chữ (mã gồm 10 ký tự, "
              "ví dụ ACDEF-GHJKM) hoặc xin mã mới ở Văn phòng Đảng ủy.",
        "en": "The invite code «{code}» is not right. Check each letter (10 characters, "
              "e.g. ACDEF-GHJKM) or ask the ward office for a new one.",
    },
    "invite.error.too_many_attempts": {
        "vi": "Đồng chí đã nhập sai mã mời nhiều lần. Xin đồng chí đợi {minutes} phút rồi thử lại; "
              "nếu chưa có mã đúng, hãy hỏi Văn phòng Đảng ủy.",
        "en": "You have entered wrong invite codes several times. Please wait {minutes} min and try "
              "again; if you have no valid code, ask the ward office.",
    },
    "invite.error.invite_used": {
        "vi": "Mã mời này đã được dùng rồi (mỗi mã chỉ dùng một lần). "
              "Hãy xin mã mới ở Văn phòng Đảng ủy.",
        "en": "This invite code has already been used (each code works once). "
              "Ask the ward office for a new one.",
    },
    "invite.error.invite_expired": {
        "vi": "Mã mời này đã hết hạn ngày {date}. Hãy xin mã mới ở Văn phòng Đảng ủy.",
        "en": "This invite code expired on {date}. Ask the ward office for a new one.",
    },
    "invite.created": {
        "vi": "Mã mời cho {role}{cells}: {code}\n{how}Hết hạn: {expires}. "
              "Mã chỉ dùng được một lần; hãy gửi riêng cho người được mời.",
        "en": "Invite for {role}{cells}: {code}\n{how}Expires: {expires}. "
              "The code works once; send it privately to the person invited.",
    },
    "invite.how.zalo": {
        "vi": "• Trên Zalo: nhắn mã {code} cho tài khoản Zalo của Trợ lý chi bộ.\n",
        "en": "• On Zalo: send the code {code} to the assistant's Zalo account.\n",
    },
    "invite.how.telegram": {
        "vi": "• Trên Telegram: mở liên kết {link}\n",
        "en": "• On Telegram: open {link}\n",
    },
    "flow.name.moi": {"vi": "tạo mã mời", "en": "creating an invite"},
    "invite.choose_role": {
        "vi": "Tạo mã mời cho ai?",
        "en": "Who is the invite for?",
    },
    "invite.choose_cell": {
        "vi": "Chọn chi bộ (trang {page}/{pages}):",
        "en": "Choose the cell (page {page}/{pages}):",
    },
    "invite.committee_pick_hint": {
        "vi": "Chọn các chi bộ người này phụ trách (bấm để chọn/bỏ), rồi bấm «Xong». Đã chọn: {chosen}",
        "en": "Pick the cells this person is in charge of (tap to toggle), then «Done». Chosen: {chosen}",
    },
    "invite.already_issued": {
        "vi": "Lần tạo mã này đã cấp mã mời {code} (dùng được đến {expires}); mỗi lần /moi chỉ cấp "
              "một mã. Không có gì thay đổi. Muốn cấp thêm mã, xin đồng chí gõ /moi.",
        "en": "This run already issued the invite {code} (valid until {expires}); each /moi issues "
              "one code. Nothing was changed. To issue another, send /moi.",
    },
    "invite.none_chosen": {"vi": "(chưa chọn)", "en": "(none yet)"},
    "invite.error.unknown_cell": {
        "vi": "Không có chi bộ «{value}».",
        "en": "There is no cell «{value}».",
    },
    "invite.error.secretary_needs_one_cell": {
        "vi": "Mã mời bí thư phải gắn với đúng một chi bộ.",
        "en": "A secretary invite needs exactly one cell.",
    },
    "invite.error.committee_needs_cells": {
        "vi": "Mã mời cấp ủy viên phải có ít nhất một chi bộ phụ trách.",
        "en": "A committee-member invite needs at least one cell.",
    },
    "invite.error.admin_has_no_cell": {
        "vi": "Mã mời quản trị không gắn với chi bộ nào.",
        "en": "An administrator invite has no cell.",
    },
    "button.back": {"vi": "« Quay lại", "en": "« Back"},
    "button.prev": {"vi": "‹ Trước", "en": "‹ Previous"},
    "button.next": {"vi": "Sau ›", "en": "Next ›"},
    "button.done": {"vi": "Xong", "en": "Done"},
    "button.cancel": {"vi": "Hủy", "en": "Cancel"},
    "cancelled": {"vi": "Đã hủy. Không có gì được lưu.", "en": "Cancelled. Nothing was saved."},
}



def invite_link(bot_username: str, code: str) -> str:
    """Telegram's deep link that starts the bot with the code."""
    return f"https://t.me/{bot_username or '<tên_bot>'}?start={code}"


def invite_text(*, role: Role, cell_names: Sequence[str], code: str, expires_on: date,
                channels: Sequence[str], bot_username: str, lang: str) -> str:
    """The invite as the admin passes it on: the code, and what to do with it on each channel."""
    shown = format_code(code)
    how = "".join(t(f"invite.how.{channel}", lang, code=shown, link=invite_link(bot_username, code))
                  for channel in ("zalo", "telegram") if channel in channels)
    cells = f" — {', '.join(cell_names)}" if cell_names else ""
    return t("invite.created", lang, role=t(f"role.{role.value}", lang), cells=cells, code=shown,
             how=how, expires=format_date(expires_on, lang))


def greeting(role: Role, name: str, cell_names: Sequence[str], committee: str, lang: str) -> str:
    """The welcome after an invite is redeemed: the cell, the cells in charge, or the committee."""
    if role is Role.SECRETARY:
        return t("greet.secretary", lang, name=name, cell=cell_names[0])
    if role is Role.COMMITTEE:
        return t("greet.committee", lang, name=name, cells=", ".join(cell_names))
    if role is Role.PROVINCE:
        return t("greet.province", lang, name=name, committee=committee)
    return t("greet.admin", lang, person=admin_person(name, lang), committee=committee)


def admin_person(name: str, lang: str) -> str:
    """The person behind the ward office's account, when the account bears a person's name."""
    folded = " ".join(name.split()).casefold()
    office = {"văn phòng đảng ủy", "văn phòng đảng uỷ", "vp đảng ủy", "vpđu", "ward office"}
    return "" if not folded or folded in office else t("greet.admin_person", lang, name=name)


def welcome_back(role: Role, name: str, cell_names: Sequence[str], lang: str) -> str:
    """/start from someone registered: who they are to the bot."""
    if role is Role.ADMIN:
        return t("welcome_back.admin", lang, person=admin_person(name, lang))
    cells = f" — {', '.join(cell_names)}" if cell_names else ""
    return t("welcome_back", lang, name=name, role=t(f"role.{role.value}", lang), cells=cells)
