"""/nhacnho (reminder settings) and the answers to the buttons under a reminder message."""

from __future__ import annotations

from datetime import time

from bot.texts import t

MESSAGES: dict[str, dict[str, str]] = {
    "cmd.nhacnho": {"vi": "Cài đặt nhắc nhở: tắt bớt, tạm dừng, giờ không làm phiền",
                    "en": "Reminder settings: mute, snooze, quiet hours"},
    "flow.name.nhacnho": {"vi": "đổi giờ không làm phiền", "en": "changing your quiet hours"},
    # the settings view
    "nn.header": {"vi": "⚙️ Cài đặt nhắc nhở của đồng chí", "en": "⚙️ Your reminder settings"},
    "nn.quiet": {
        "vi": "🌙 Giờ không làm phiền: từ {start} đến {end}{default}. Trong giờ này bot không gửi nhắc việc; "
              "nhắc việc chờ đến hết giờ không làm phiền rồi mới gửi.",
        "en": "🌙 Quiet hours: {start} to {end}{default}. No reminders are sent then; "
              "they wait until the quiet hours end.",
    },
    "nn.quiet_default": {"vi": " (mặc định)", "en": " (default)"},
    "nn.snoozed": {"vi": "⏸ Đang tạm dừng mọi nhắc việc đến {at}.",
                   "en": "⏸ All reminders are paused until {at}."},
    "nn.at": {"vi": "{time} ngày {date}", "en": "{time} on {date}"},
    "nn.not_snoozed": {"vi": "▶️ Nhắc việc đang bật (không tạm dừng).",
                       "en": "▶️ Reminders are on (not paused)."},
    "nn.rules_header": {
        "vi": "Các loại nhắc việc — bấm vào một dòng để bật 🔔 hoặc tắt 🔕:",
        "en": "Kinds of reminders — tap one to turn it on 🔔 or off 🔕:",
    },
    "nn.no_rules": {"vi": "Hiện không có loại nhắc việc nào dành cho đồng chí.",
                    "en": "There are no reminders for your role at the moment."},
    "nn.all_off": {"vi": "⚠️ Đảng bộ đang tắt toàn bộ nhắc việc, nên tạm thời chưa có nhắc việc nào được gửi.",
                   "en": "⚠️ Reminders are switched off for the whole ward, so none are sent for now."},
    "nn.muted_list": {"vi": "🔕 Đã tắt: {names}.", "en": "🔕 Muted: {names}."},
    "nn.done": {"vi": "✅ Đã lưu cài đặt nhắc nhở. Gõ /nhacnho để xem hoặc đổi lại bất cứ lúc nào.",
                "en": "✅ Reminder settings saved. Send /nhacnho to see or change them at any time."},
    "nn.rule_on": {"vi": "🔔 {name}", "en": "🔔 {name}"},
    "nn.rule_off": {"vi": "🔕 {name} (đã tắt)", "en": "🔕 {name} (muted)"},
    "nn.button.snooze": {"vi": "⏸ Tạm dừng {days} ngày", "en": "⏸ Pause {days} days"},
    "nn.button.unsnooze": {"vi": "▶️ Bỏ tạm dừng, nhắc như thường", "en": "▶️ Resume reminders now"},
    "nn.button.quiet": {"vi": "🌙 Đổi giờ không làm phiền", "en": "🌙 Change quiet hours"},
    "nn.button.quiet_default": {"vi": "↩️ Dùng giờ không làm phiền mặc định ({start}–{end})",
                                "en": "↩️ Default quiet hours ({start}–{end})"},
    "nn.toast.muted": {"vi": "Đã tắt: {name}", "en": "Muted: {name}"},
    "nn.toast.unmuted": {"vi": "Đã bật lại: {name}", "en": "On again: {name}"},
    "nn.toast.snoozed": {"vi": "Đã tạm dừng mọi nhắc việc đến {at}", "en": "Reminders paused until {at}"},
    "nn.toast.unsnoozed": {"vi": "Đã bật lại nhắc việc", "en": "Reminders are on again"},
    "nn.toast.quiet_default": {"vi": "Đã dùng giờ không làm phiền mặc định {start}–{end}",
                               "en": "Default quiet hours {start}–{end}"},
    # rule names, as people think of them
    "nn.rule.quota_pace": {"vi": "Chỉ tiêu kết nạp chưa đạt", "en": "Admission quota behind"},
    "nn.rule.meeting_missing": {"vi": "Chưa báo cáo sinh hoạt chi bộ", "en": "Meeting not reported"},
    "nn.rule.meeting_escalated": {"vi": "Chi bộ phụ trách chưa báo cáo sinh hoạt",
                                  "en": "A cell in your charge has not reported its meeting"},
    "nn.rule.committee_absent": {"vi": "Chưa dự sinh hoạt chi bộ phụ trách",
                                 "en": "Not attended your cells' meetings"},
    "nn.rule.member_absences": {"vi": "Đảng viên vắng sinh hoạt không lý do",
                                "en": "Members absent without reason"},
    "nn.rule.ceremony_due": {"vi": "Hạn tổ chức lễ kết nạp", "en": "Admission ceremony due"},
    "nn.rule.probation_ending": {"vi": "Sắp hết thời gian dự bị", "en": "Probation ending"},
    "nn.rule.review_overdue": {"vi": "Quá hạn xét công nhận chính thức",
                               "en": "Full-membership review overdue"},
    "nn.rule.certificate_expiring": {"vi": "Giấy chứng nhận lớp nhận thức sắp hết hạn",
                                     "en": "Awareness certificate expiring"},
    "nn.rule.dossier_stale": {"vi": "Hồ sơ quá hạn mà chi bộ chưa xét",
                              "en": "Dossier too old without a vote"},
    "nn.rule.decision_overdue": {"vi": "Chưa có quyết định kết nạp của cấp trên",
                                 "en": "Admission decision overdue"},
    "nn.rule.digest_quota": {"vi": "Tổng hợp: chi bộ chưa đạt chỉ tiêu", "en": "Digest: cells behind quota"},
    "nn.rule.digest_meetings": {"vi": "Tổng hợp: chi bộ chưa báo cáo sinh hoạt",
                                "en": "Digest: meetings not reported"},
    "nn.rule.digest_committee": {"vi": "Tổng hợp: cấp ủy viên chưa dự sinh hoạt",
                                 "en": "Digest: committee members absent"},
    "nn.rule.digest_unreachable": {"vi": "Người dùng đã chặn bot", "en": "Users who blocked the bot"},
    # changing the quiet hours
    "nn.ask_quiet_start": {
        "vi": "Từ mấy giờ tối thì bot ngừng gửi nhắc việc? Bấm một nút, hoặc gõ giờ, ví dụ: 9 (là 21 giờ), "
              "21h30 hoặc 12 (nửa đêm).",
        "en": "From what time in the evening should reminders stop? Tap a button or type a time, "
              "e.g. 9 (meaning 21:00), 21:30 or 12 (midnight).",
    },
    "nn.ask_quiet_end": {
        "vi": "Bot ngừng gửi từ {start}. Đến mấy giờ sáng thì gửi lại? Bấm một nút, hoặc gõ giờ, "
              "ví dụ: 7 hoặc 6h30.",
        "en": "No reminders from {start}. Until what time in the morning? Tap a button or type a time, "
              "e.g. 7 or 6:30.",
    },
    "nn.confirm_quiet": {
        "vi": "🌙 Không làm phiền từ {start} đến {end}. Đúng thì bấm «✅ Lưu»; chưa đúng thì bấm "
              "«« Quay lại» để gõ lại.",
        "en": "🌙 Do not disturb from {start} to {end}. If that is right press «✅ Save»; if not, "
              "press «« Back» to type it again.",
    },
    "nn.saved_quiet": {
        "vi": "✅ Đã lưu giờ không làm phiền: từ {start} đến {end}. Trong giờ này bot không gửi nhắc việc.",
        "en": "✅ Quiet hours saved: {start} to {end}. No reminders are sent then.",
    },
    # a time of day in words: "21 giờ tối", "6 giờ 30 sáng", "0 giờ (nửa đêm)"
    "nn.time.midnight": {"vi": "0 giờ (nửa đêm)", "en": "midnight"},
    "nn.time.hour": {"vi": "{hour} giờ {part}", "en": "{clock}"},
    "nn.time.hour_minute": {"vi": "{hour} giờ {minute:02d} {part}", "en": "{clock}"},
    "nn.part.morning": {"vi": "sáng", "en": "am"},
    "nn.part.noon": {"vi": "trưa", "en": "noon"},
    "nn.part.afternoon": {"vi": "chiều", "en": "pm"},
    "nn.part.evening": {"vi": "tối", "en": "pm"},
    "nn.error.bad_time": {
        "vi": "«{value}» không phải là giờ. Vui lòng gõ giờ từ 0 đến 23, có thể kèm phút, "
              "ví dụ: 21, 21h, 21:00 hoặc 21h30.",
        "en": "«{value}» is not a time. Please type an hour from 0 to 23, minutes optional, "
              "e.g. 21, 21h, 21:00 or 21:30.",
    },
    "nn.error.same_time": {
        "vi": "Giờ bắt đầu và giờ kết thúc đều là {value}. Vui lòng chọn hai giờ khác nhau, "
              "ví dụ: từ 21:00 đến 07:00.",
        "en": "Start and end are both {value}. Please choose two different times, e.g. 21:00 to 07:00.",
    },
    "nn.error.unknown_rule": {
        "vi": "Không có loại nhắc việc này cho đồng chí. Không có gì thay đổi.",
        "en": "There is no such reminder for you. Nothing was changed.",
    },
    "nn.error.bad_snooze": {"vi": "Chỉ tạm dừng được 3 hoặc 7 ngày. Không có gì thay đổi.",
                            "en": "You can pause for 3 or 7 days only. Nothing was changed."},
    # the buttons under a reminder message
    "nn.snoozed_reminder": {"vi": "⏰ Sẽ nhắc lại ngày {date}.", "en": "⏰ You will be reminded on {date}."},
    "nn.error.not_your_reminder": {
        "vi": "Nhắc việc này không phải của đồng chí. Không có gì thay đổi.",
        "en": "That reminder is not yours. Nothing was changed.",
    },
    "nn.error.reminder_gone": {
        "vi": "Nhắc việc này không còn gì để nhắc lại (các loại nhắc trong đó đã bị tắt).",
        "en": "Nothing is left to repeat in that reminder (its kinds were muted).",
    },
}


def time_in_words(at: time, lang: str) -> str:
    """A time of day as people say it, so a misread "12" shows at once: 21:00 → "21 giờ tối",
    06:30 → "6 giờ 30 sáng", 00:00 → "0 giờ (nửa đêm)"."""
    if at == time(0, 0):
        return t("nn.time.midnight", lang)
    part = ("morning" if at.hour < 11 else "noon" if at.hour < 13 else "afternoon" if at.hour < 18
            else "evening")
    key = "nn.time.hour_minute" if at.minute else "nn.time.hour"
    return t(key, lang, hour=at.hour, minute=at.minute, part=t(f"nn.part.{part}", lang),
             clock=f"{at.hour:02d}:{at.minute:02d}")
