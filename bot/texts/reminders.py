"""Reminder messages: one line per reminder, grouped into one message per person per sweep."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.texts import has_text, t
from bot.texts.formatting import format_date
from bot.texts.status import window_label

MESSAGES: dict[str, dict[str, str]] = {
    "rm.header": {"vi": "🔔 Nhắc việc từ Trợ lý chi bộ:", "en": "🔔 Reminders from the cell assistant:"},
    "rm.footer": {
        "vi": "Bấm nút bên dưới để làm ngay, nhắc lại sau, hoặc chỉnh cách nhắc (/nhacnho).",
        "en": "Use the buttons below to act now, be reminded later, or change reminders (/nhacnho).",
    },
    "rm.quota_pace": {
        "vi": "• {cell}: năm {year} mới kết nạp {admitted}/{quota} đảng viên theo chỉ tiêu{context}.",
        "en": "• {cell}: {admitted} of {quota} admitted so far in {year}{context}.",
    },
    "rm.quota_context_awaiting": {"vi": "; {n} quần chúng đang chờ quyết định kết nạp",
                                  "en": "; {n} candidate(s) awaiting the admission decision"},
    "rm.quota_context_pipeline": {"vi": "; {n} quần chúng đang được bồi dưỡng",
                                  "en": "; {n} candidate(s) in progress"},
    "rm.quota_context_none": {"vi": "; chưa có quần chúng nào đang theo dõi",
                              "en": "; no candidate in progress"},
    "rm.meeting_missing": {
        "vi": "• {cell}: chưa báo cáo sinh hoạt chi bộ tháng {month}/{year}. Gõ /sinhhoat để báo cáo.",
        "en": "• {cell}: no meeting reported for {month}/{year}. Send /sinhhoat to report it.",
    },
    "rm.meeting_escalated": {
        "vi": "• {cell} (đồng chí phụ trách): vẫn chưa báo cáo sinh hoạt tháng {month}/{year}; "
              "đề nghị đôn đốc bí thư chi bộ.",
        "en": "• {cell} (in your charge): still no meeting report for {month}/{year}; "
              "please follow up with the secretary.",
    },
    "rm.committee_absent": {
        "vi": "• {cell}: đồng chí chưa dự buổi sinh hoạt nào {window} (đến hết {until}).",
        "en": "• {cell}: you have not attended any meeting {window} (window ends {until}).",
    },
    "rm.member_absences": {
        "vi": "• {cell}: đảng viên {member} đã vắng sinh hoạt không lý do trong {count} tháng "
              "của năm {year}.",
        "en": "• {cell}: member {member} missed meetings without reason in {count} months of {year}.",
    },
    "rm.member_absences_removal": {
        "vi": " Theo Điều lệ Đảng (bỏ sinh hoạt ba tháng trong năm không có lý do chính đáng), chi bộ "
              "xem xét, đề nghị xóa tên đảng viên này.",
        "en": " By the rules, the cell must consider removal.",
    },
    "rm.member_absences_warning": {
        "vi": " Cần nhắc nhở: vắng không lý do thêm một tháng nữa (đủ ba tháng trong năm) thì chi bộ "
              "phải xem xét, đề nghị xóa tên.",
        "en": " A warning is due: one more and removal must be considered.",
    },
    "rm.ceremony_due": {
        "vi": "• {cell}: {candidate} đã có quyết định kết nạp; hạn tổ chức lễ kết nạp là {due}.",
        "en": "• {cell}: {candidate} has the admission decision; the ceremony is due by {due}.",
    },
    "rm.ceremony_due.overdue": {
        "vi": "• {cell}: {candidate} — ĐÃ QUÁ HẠN tổ chức lễ kết nạp (hạn {due}) — tổ chức muộn cần "
              "ý kiến cấp ủy cấp trên.",
        "en": "• {cell}: {candidate} — the admission ceremony is OVERDUE (due {due}); holding it late "
              "needs the superior committee's opinion.",
    },
    "rm.probation_ending": {
        "vi": "• {cell}: {candidate} hết thời gian dự bị ngày {ends}; chuẩn bị xét công nhận "
              "chính thức (hạn {review_due}).",
        "en": "• {cell}: {candidate}'s probation ends on {ends}; prepare the full-membership "
              "review (due {review_due}).",
    },
    "rm.review_overdue": {
        "vi": "• {cell}: {candidate} — ĐÃ QUÁ HẠN xét công nhận đảng viên chính thức (hạn {due}).",
        "en": "• {cell}: {candidate} — the full-membership review is OVERDUE (due {due}).",
    },
    "rm.decision_overdue": {
        "vi": "• {cell}: {candidate} — ĐÃ QUÁ HẠN nhận quyết định kết nạp của cấp trên (hạn {due}; "
              "chi bộ xét ngày {since}); đề nghị đôn đốc.",
        "en": "• {cell}: {candidate} — the superior committee's admission decision is OVERDUE (due "
              "{due}; cell vote on {since}); please follow it up.",
    },
    "rm.certificate_expiring": {
        "vi": "• {cell}: giấy chứng nhận lớp nhận thức về Đảng của {candidate} hết hạn ngày {expires}.",
        "en": "• {cell}: {candidate}'s awareness-course certificate expires on {expires}.",
    },
    "rm.certificate_expiring.overdue": {
        "vi": "• {cell}: {candidate} — ĐÃ QUÁ HẠN giấy chứng nhận lớp nhận thức về Đảng (hết hạn ngày "
              "{expires}); cần học lại trước khi chi bộ xét.",
        "en": "• {cell}: {candidate} — the awareness-course certificate has EXPIRED (on {expires}); "
              "the course must be retaken before the cell vote.",
    },
    "rm.dossier_stale": {
        "vi": "• {cell}: {candidate} — ĐÃ QUÁ HẠN hồ sơ: lập từ {since}, đã quá 12 tháng mà chi bộ "
              "chưa xét; cần bổ sung, làm lại.",
        "en": "• {cell}: {candidate} — the dossier is OVERDUE: from {since}, over 12 months without a "
              "cell vote; it must be refreshed.",
    },
    "rm.digest_quota": {
        "vi": "• Chi bộ chưa đạt chỉ tiêu năm {year} ({count}/{total}): {cells}",
        "en": "• Cells behind their {year} quota ({count}/{total}): {cells}",
    },
    "rm.digest_meetings": {
        "vi": "• Chi bộ vẫn chưa báo cáo sinh hoạt tháng {month}/{year}: {cells}",
        "en": "• Cells still without a meeting report for {month}/{year}: {cells}",
    },
    "rm.digest_committee": {
        "vi": "• Cấp ủy viên chưa dự sinh hoạt chi bộ phụ trách {window}: {people}",
        "en": "• Committee members absent from their cells {window}: {people}",
    },
    "rm.digest_unreachable": {
        "vi": "• {name} đã chặn Trợ lý chi bộ, không nhận được nhắc việc; đề nghị liên hệ trực tiếp.",
        "en": "• {name} has blocked the assistant and gets no reminders; please contact them directly.",
    },
    "rm.sweep.header": {
        "vi": "Nhắc việc ngày {date}: {count} nhắc việc cho {people} người{mode}.",
        "en": "Reminders for {date}: {count} reminders for {people} people{mode}.",
    },
    "rm.sweep.dry": {"vi": " (chạy thử: không lưu, không gửi)", "en": " (dry run: nothing queued or sent)"},
    "rm.sweep.queued": {"vi": " — {queued} mới được đưa vào hàng đợi, bot đang chạy sẽ gửi",
                        "en": " — {queued} newly queued; the running bot delivers them"},
    "rm.sweep.person": {"vi": "{name} ({role}) — gửi lúc {at}{skip}:",
                        "en": "{name} ({role}) — at {at}{skip}:"},
    "rm.sweep.skip.muted": {"vi": " [đã tắt loại nhắc này]", "en": " [muted by the user]"},
    "rm.sweep.skip.unreachable": {"vi": " [đã chặn bot]", "en": " [blocked the bot]"},
    "rm.sweep.skip.inactive": {"vi": " [không còn hoạt động]", "en": " [no longer active]"},
    "rm.sweep.none": {"vi": "Không có gì cần nhắc.", "en": "Nothing to remind."},
    "rm.button.snooze": {"vi": "⏰ Nhắc lại sau {days} ngày", "en": "⏰ Remind me in {days} days"},
    "rm.button.settings": {"vi": "⚙️ Cài đặt nhắc nhở", "en": "⚙️ Reminder settings"},
    "rm.button.report_meeting": {"vi": "📝 Báo cáo sinh hoạt", "en": "📝 Report the meeting"},
    "rm.button.update_candidate": {"vi": "📝 Cập nhật quần chúng", "en": "📝 Update a candidate"},
    "rm.button.progress": {"vi": "📊 Xem tiến độ", "en": "📊 See progress"},
}


def _d(iso: str, lang: str) -> str:
    return format_date(date.fromisoformat(iso), lang)


def reminder_line(rule: str, facts: dict[str, Any], lang: str) -> str:
    """One reminder as a bullet line."""
    f = dict(facts)
    for key in ("due", "ends", "review_due", "since", "expires", "until", "received"):
        if key in f:
            f[key] = _d(f[key], lang)
    if "window" in f:
        f["window"] = window_label(f["window"], lang)
    if rule == "quota_pace":
        if f.get("awaiting"):
            f["context"] = t("rm.quota_context_awaiting", lang, n=f["awaiting"])
        elif f.get("in_pipeline"):
            f["context"] = t("rm.quota_context_pipeline", lang, n=f["in_pipeline"])
        else:
            f["context"] = t("rm.quota_context_none", lang)
    if rule == "member_absences":
        tail = "rm.member_absences_removal" if f.get("removal") else "rm.member_absences_warning"
        return t("rm.member_absences", lang, **f) + t(tail, lang)
    if rule == "digest_quota":
        f["count"] = len(f["cells"])
        f["cells"] = ", ".join(f"{name} ({a}/{q})" for name, a, q in f["cells"])
    if rule == "digest_meetings":
        f["cells"] = ", ".join(f["cells"])
    if rule == "digest_committee":
        f["people"] = "; ".join(f"{name} ({', '.join(cells)})" for name, cells in f["people"])
    if f.get("overdue") and has_text(f"rm.{rule}.overdue"):
        return t(f"rm.{rule}.overdue", lang, **f)
    return t(f"rm.{rule}", lang, **f)


def render_reminders(items: Sequence[tuple[str, dict[str, Any]]], lang: str) -> str:
    """The grouped message: a header, one line per (rule, facts), a footer."""
    lines = [t("rm.header", lang)]
    lines += [reminder_line(rule, facts, lang) for rule, facts in items]
    lines.append(t("rm.footer", lang))
    return "\n".join(lines)


def describe_sweep(result: Any, settings: Any, *, dry_run: bool) -> str:
    """What `chibo remind` prints: per person, when it would go out, each reminder's line."""
    lang = settings.general.language
    people: dict[int, list[Any]] = {}
    for p in result.planned:
        people.setdefault(p.reminder.recipient, []).append(p)
    mode = t("rm.sweep.dry", lang) if dry_run else t("rm.sweep.queued", lang, queued=result.queued)
    lines = [t("rm.sweep.header", lang, date=format_date(result.as_of, lang), count=len(result.planned),
               people=len(people), mode=mode)]
    if not people:
        lines.append(t("rm.sweep.none", lang))
    for items in people.values():
        first = items[0]
        name = first.recipient.display_name if first.recipient else f"#{first.reminder.recipient}"
        role = t(f"role.{first.recipient.role}", lang) if first.recipient else "—"
        at = first.due_at.astimezone(settings.tz).strftime("%H:%M %d/%m/%Y")
        skip = t(f"rm.sweep.skip.{first.skipped}", lang) if first.skipped else ""
        lines.append("")
        lines.append(t("rm.sweep.person", lang, name=name, role=role, at=at, skip=skip))
        for p in items:
            rule = p.reminder.rule.value
            lines.append(f"  [{rule}] " + reminder_line(rule, p.reminder.facts, lang))
    return "\n".join(lines)
