"""/tiendo and /tonghop: the words, and the layout of numbers as ward reports print them."""

from __future__ import annotations

from datetime import date

from bot.domain.deadlines import Clock
from bot.domain.quotas import Progress
from bot.domain.stages import PIPELINE, Stage
from bot.domain.status import (
    CandidateDeadline,
    CellStatus,
    ProbationaryMember,
    WardSummary,
    is_probationary,
)
from bot.texts import t
from bot.texts.formatting import format_date, format_percent
from bot.texts.yearreport import cell_meetings_line, cell_members_line, cell_phrase, quota_by

MESSAGES: dict[str, dict[str, str]] = {
    "status.header": {"vi": "📊 {cell} — năm {year}", "en": "📊 {cell} — {year}"},
    "status.quota": {"vi": "Kết nạp: {admitted}/{quota} {by} — {phrase}",
                     "en": "Admitted: {admitted} of {quota} ({by}) — {phrase}"},
    "status.quota_plain": {"vi": "chỉ tiêu", "en": "quota"},
    "status.stages_at_year_end": {"vi": "Quần chúng cuối năm {year}:",
                                  "en": "Candidates at the end of {year}:"},
    "status.no_candidates_at_year_end": {"vi": "Cuối năm {year} không có quần chúng nào đang theo dõi.",
                                         "en": "No candidates in progress at the end of {year}."},
    "status.compact_past": {"vi": "• {cell}: {admitted}/{quota} — {phrase}; cuối năm {year} có {members} "
                                  "đảng viên",
                            "en": "• {cell}: {admitted}/{quota} — {phrase}; {members} members at the end "
                                  "of {year}"},
    "status.pick_cell": {"vi": "Bấm vào một chi bộ để xem từng quần chúng:",
                         "en": "Press a cell to see each of its candidates:"},
    "status.unknown_cell": {
        "vi": "Không tìm thấy chi bộ «{value}» trong các chi bộ đồng chí được xem. "
              "Ví dụ: /tiendo Tổ 16, hoặc /tiendo {example} để xem một năm.",
        "en": "No cell «{value}» among the cells you may see. Example: /tiendo Tổ 16, or "
              "/tiendo {example} for a year."},
    "status.admin_pick": {
        "vi": "Văn phòng Đảng ủy xem toàn đảng bộ bằng lệnh /tonghop, và xem một chi bộ bằng "
              "/tiendo <tên chi bộ>, ví dụ: /tiendo Tổ 16",
        "en": "The ward office sees the whole ward with /tonghop, and one cell with /tiendo <cell>, "
              "e.g. /tiendo Tổ 16"},
    "drill.header": {"vi": "Quần chúng theo từng bước (số ngày ở bước hiện tại):",
                     "en": "Candidates by stage (days in the current stage):"},
    "drill.stage": {"vi": "▸ {stage} ({count}):", "en": "▸ {stage} ({count}):"},
    "drill.candidate": {"vi": "  – {name}: {days} ngày{overdue}", "en": "  – {name}: {days} days{overdue}"},
    "status.admitted_names": {"vi": "Đã kết nạp: {names}", "en": "Admitted: {names}"},
    "status.no_quota": {"vi": "không giao chỉ tiêu", "en": "no quota set"},
    "status.reached": {"vi": "đạt {percent}", "en": "{percent} reached"},
    "status.exceeded": {"vi": "đạt {percent}, vượt {over}", "en": "{percent} reached, exceeded by {over}"},
    "status.behind": {"vi": "còn thiếu {missing}", "en": "{missing} to go"},
    "status.stages_header": {"vi": "Quần chúng đang theo dõi:", "en": "Candidates in progress:"},
    "status.stage_line": {"vi": "  • {stage}: {count}", "en": "  • {stage}: {count}"},
    "status.no_candidates": {"vi": "Chưa có quần chúng nào đang theo dõi.",
                             "en": "No candidates in progress."},
    "status.last_meeting": {
        "vi": "Sinh hoạt gần nhất: {date} ({kind}) — có mặt {present}/{expected}{committee}",
        "en": "Last meeting: {date} ({kind}) — present {present}/{expected}{committee}",
    },
    "status.committee_attended": {"vi": ", có cấp ủy dự", "en": ", committee member attended"},
    "status.committee_absent": {"vi": ", cấp ủy không dự", "en": ", no committee member"},
    "status.no_meeting": {"vi": "Chưa có báo cáo sinh hoạt nào.", "en": "No meeting reported yet."},
    "status.deadlines_header": {"vi": "Sắp đến hạn:", "en": "Coming due:"},
    "status.deadline_line": {"vi": "  • {date}: {name} — {clock}",
                             "en": "  • {date}: {name} — {clock}"},
    "status.overdue_header": {"vi": "Đã quá hạn:", "en": "Overdue:"},
    "status.overdue_line": {"vi": "  • {name} — {what}", "en": "  • {name} — {what}"},
    "overdue.decision_due": {
        "vi": "ĐÃ QUÁ HẠN nhận quyết định kết nạp của cấp trên (hạn {date}) — đề nghị Đảng ủy đôn đốc",
        "en": "the admission decision is OVERDUE (due {date}) — the ward committee should follow it up"},
    "overdue.ceremony_due": {
        "vi": "ĐÃ QUÁ HẠN tổ chức lễ kết nạp (hạn {date}) — tổ chức muộn cần ý kiến cấp ủy cấp trên",
        "en": "the admission ceremony is OVERDUE (due {date}) — holding it late needs the superior "
              "committee's opinion"},
    "overdue.certificate_expires": {
        "vi": "ĐÃ QUÁ HẠN giấy chứng nhận lớp nhận thức về Đảng (hết hạn {date}) — cần học lại "
              "trước khi chi bộ xét",
        "en": "the awareness-course certificate is OVERDUE (expired {date}) — retake the course "
              "before the cell vote"},
    "overdue.dossier_stale": {
        "vi": "ĐÃ QUÁ HẠN hồ sơ (quá 12 tháng từ {date}) — cần bổ sung, làm lại hồ sơ",
        "en": "the dossier is OVERDUE (over 12 months since {date}) — it must be refreshed"},
    "overdue.probation_ends": {"vi": "đã hết thời gian dự bị ({date})", "en": "probation ended ({date})"},
    "overdue.review_due": {
        "vi": "ĐÃ QUÁ HẠN xét công nhận đảng viên chính thức (hạn {date})",
        "en": "the full-membership review is OVERDUE (due {date})"},
    "status.probationary_header": {"vi": "Đảng viên dự bị ({count}):",
                                   "en": "Probationary members ({count}):"},
    "status.probationary_line": {
        "vi": "  • {name} — kết nạp {ceremony}, hết dự bị {ends}; hạn xét công nhận chính thức {review}",
        "en": "  • {name} — admitted {ceremony}, probation ends {ends}; full-membership review due {review}"},
    "status.probationary_overdue": {
        "vi": "  • {name} — kết nạp {ceremony}, hết dự bị {ends}; ĐÃ QUÁ HẠN xét công nhận đảng viên "
              "chính thức (hạn {review})",
        "en": "  • {name} — admitted {ceremony}, probation ended {ends}; the full-membership review is "
              "OVERDUE (due {review})"},
    "status.compact": {"vi": "• {cell}: {admitted}/{quota} — {phrase}; {members} đảng viên; "
                             "đang theo dõi {candidates}; sinh hoạt gần nhất {meeting}",
                       "en": "• {cell}: {admitted}/{quota} — {phrase}; {members} members; "
                             "{candidates} in progress; last meeting {meeting}"},
    "status.never": {"vi": "chưa có", "en": "none"},
    "status.no_cells": {"vi": "Đồng chí chưa được phân công phụ trách chi bộ nào.",
                        "en": "You are not in charge of any cell yet."},
    "status.bad_year": {"vi": "Năm không hợp lệ: «{value}». Ví dụ: /{command} {example}",
                        "en": "Not a valid year: «{value}». Example: /{command} {example}"},
    "status.before_records": {
        "vi": "Trợ lý chưa có số liệu kết nạp năm {year}: số liệu có từ năm {first}. "
              "Ví dụ: /{command} {first}",
        "en": "No admissions are recorded for {year}: records start in {first}. Example: /{command} {first}"},
    "window.month": {"vi": "tháng {n}/{year}", "en": "{year}-{n:02d}"},
    "window.quarter": {"vi": "quý {n}/{year}", "en": "Q{n} {year}"},
    "window.half_year": {"vi": "{n_text} năm {year}", "en": "H{n} {year}"},
    "window.half.1": {"vi": "6 tháng đầu", "en": "first half"},
    "window.half.2": {"vi": "6 tháng cuối", "en": "second half"},
    "error.use_summary": {"vi": "Văn phòng Đảng ủy xem toàn đảng bộ bằng lệnh /tonghop.",
                          "en": "The ward office sees the whole ward with /tonghop."},
    "error.summary_not_for_secretary": {
        "vi": "Lệnh /tonghop dành cho Văn phòng Đảng ủy và cấp ủy viên. Bí thư chi bộ dùng /tiendo.",
        "en": "/tonghop is for the ward office and committee members. Secretaries use /tiendo."},
}


def phrase(progress: Progress, lang: str) -> str:
    """"đạt 50 %", "đạt 200 %, vượt 100 %", or "không giao chỉ tiêu"."""
    if progress.percent is None:
        return t("status.no_quota", lang)
    if progress.exceeded_by is not None:
        return t("status.exceeded", lang, percent=format_percent(progress.percent, lang=lang),
                 over=format_percent(progress.exceeded_by, lang=lang))
    text = t("status.reached", lang, percent=format_percent(progress.percent, lang=lang))
    if progress.behind:
        text += f" ({t('status.behind', lang, missing=progress.missing)})"
    return text


def stage_lines(stages: dict[Stage, int], lang: str) -> list[str]:
    """Quần chúng by stage; probationary members are listed in their own section."""
    return [t("status.stage_line", lang, stage=t(f"stage.{s.value}", lang), count=stages[s])
            for s in PIPELINE if stages.get(s) and not is_probationary(s)]


def split_message(lines: list[str], limit: int = 4000) -> list[str]:
    """Join lines into messages under Telegram's limit, splitting only between lines."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        line = line[:limit]
        if current and size + len(line) + 1 > limit:
            chunks.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        chunks.append("\n".join(current))
    return chunks


def window_label(key: str, lang: str) -> str:
    """ "2026-Q4" → "quý 4/2026", "2026-10" → "tháng 10/2026", "2026-H2" → "6 tháng cuối năm 2026"."""
    year, part = key.split("-")
    if part.startswith("Q"):
        return t("window.quarter", lang, n=int(part[1:]), year=year)
    if part.startswith("H"):
        return t("window.half_year", lang, n=int(part[1:]), year=year,
                 n_text=t(f"window.half.{part[1:]}", lang))
    return t("window.month", lang, n=int(part), year=year)


def _cell_lines(status: CellStatus, lang: str, today: date) -> list[str]:
    p = status.progress
    by = quota_by(status.figures.quota, lang) if status.figures else t("status.quota_plain", lang)
    lines = [t("status.header", lang, cell=status.cell.name, year=status.year),
             t("status.quota", lang, admitted=p.admitted, quota=p.quota, by=by, phrase=cell_phrase(p, lang))]
    if status.admitted:
        names = ", ".join(f"{name} ({format_date(on, lang)})" for name, on in status.admitted)
        lines.append(t("status.admitted_names", lang, names=names))
    lines += _year_lines(status, lang)
    stages = stage_lines(status.stages, lang)
    if not status.running:
        header = t("status.stages_at_year_end", lang, year=status.year)
        return [*lines, header, *stages] if stages else [*lines, t("status.no_candidates_at_year_end", lang,
                                                                    year=status.year)]
    lines += [t("status.stages_header", lang), *stages] if stages else [t("status.no_candidates", lang)]
    return lines + _current_lines(status, lang, today) + _drilldown_lines(status, lang)


def _year_lines(status: CellStatus, lang: str) -> list[str]:
    """The cell's members at year end (or today) and who came and went; meetings held in the year."""
    if status.figures is None:
        return []
    lines = [cell_members_line(status.figures, lang)]
    meetings = cell_meetings_line(status.figures, lang)
    return [*lines, meetings] if meetings else lines


def _current_lines(status: CellStatus, lang: str, today: date) -> list[str]:
    """What is current (the running year only): the last meeting, the clocks coming due."""
    lines = []
    m = status.last_meeting
    if m is None:
        lines.append(t("status.no_meeting", lang))
    else:
        committee = t("status.committee_attended" if m.committee_member_attended
                      else "status.committee_absent", lang)
        lines.append(t("status.last_meeting", lang, date=format_date(m.held_on, lang),
                       kind=t(f"meeting_kind.{m.kind.value}", lang), present=m.present,
                       expected=m.expected, committee=committee))
    lines += probationary_lines(status.probationary, lang, today)
    lines += deadline_lines(status.deadlines, lang, today)
    return lines


def deadline_lines(deadlines: tuple[CandidateDeadline, ...], lang: str, today: date) -> list[str]:
    """The quần chúng's clocks: what is past its date first, said as overdue (ĐÃ QUÁ HẠN …), then
    what is coming due."""
    overdue = [d for d in deadlines if d.deadline.due < today]
    coming = [d for d in deadlines if d.deadline.due >= today]
    lines: list[str] = []
    if overdue:
        lines.append(t("status.overdue_header", lang))
        lines += [t("status.overdue_line", lang, name=d.candidate_name,
                    what=t(f"overdue.{d.deadline.clock.value}", lang, date=format_date(
                        d.deadline.started if d.deadline.clock is Clock.DOSSIER_STALE else d.deadline.due,
                        lang)))
                  for d in overdue]
    if coming:
        lines.append(t("status.deadlines_header", lang))
        lines += [t("status.deadline_line", lang, date=format_date(d.deadline.due, lang),
                    name=d.candidate_name, clock=t(f"clock.{d.deadline.clock.value}", lang))
                  for d in coming]
    return lines


def probationary_lines(members: tuple[ProbationaryMember, ...], lang: str, today: date) -> list[str]:
    """The cell's đảng viên dự bị, apart from the quần chúng: probation's end and the review clock."""
    if not members:
        return []
    lines = [t("status.probationary_header", lang, count=len(members))]
    for m in members:
        key = "status.probationary_overdue" if m.review_due < today else "status.probationary_line"
        lines.append(t(key, lang, name=m.name, ceremony=format_date(m.ceremony, lang),
                       ends=format_date(m.probation_ends, lang), review=format_date(m.review_due, lang)))
    return lines


def _drilldown_lines(status: CellStatus, lang: str) -> list[str]:
    """A committee member's look into a cell: each candidate by stage, days in it, what is overdue."""
    if not status.candidates:
        return []
    lines = ["", t("drill.header", lang)]
    stage = None
    for c in status.candidates:
        if c.stage != stage:
            stage = c.stage
            count = sum(1 for x in status.candidates if x.stage == stage)
            lines.append(t("drill.stage", lang, stage=t(f"stage.{stage.value}", lang), count=count))
        overdue = "; ".join(t(f"overdue.{d.clock.value}", lang, date=format_date(d.due, lang))
                            for d in c.overdue)
        lines.append(t("drill.candidate", lang, name=c.name, days=c.days_in_stage,
                       overdue=f" — {overdue}" if overdue else ""))
    return lines


def _compact_line(status: CellStatus, lang: str) -> str:
    p = status.progress
    members = status.figures.members_end if status.figures else 0
    if not status.running:
        return t("status.compact_past", lang, cell=status.cell.name, admitted=p.admitted, quota=p.quota,
                 phrase=cell_phrase(p, lang), members=members, year=status.year)
    meeting = (format_date(status.last_meeting.held_on, lang) if status.last_meeting
               else t("status.never", lang))
    candidates = sum(n for s, n in status.stages.items() if not is_probationary(s))
    return t("status.compact", lang, cell=status.cell.name, admitted=p.admitted, quota=p.quota,
             phrase=cell_phrase(p, lang), members=members, candidates=candidates, meeting=meeting)


def summary_lines(s: WardSummary, lang: str) -> list[str]:
    """/tonghop: the ward report (bot.texts.yearreport)."""
    from bot.texts.yearreport import ward_report_lines

    return ward_report_lines(s, lang)


def progress_lines(statuses: list[CellStatus], lang: str, today: date) -> list[str]:
    """/tiendo: one cell in full (a secretary's), several compactly (a committee member's)."""
    if not statuses:
        return [t("status.no_cells", lang)]
    if len(statuses) == 1:
        return _cell_lines(statuses[0], lang, today)
    return [_compact_line(s, lang) for s in statuses]
