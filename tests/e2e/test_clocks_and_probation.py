"""The admission clocks and probationary members through the real bot, on Telegram and Zalo.

On the demo ward (today 28/11/2026) Chi bộ tổ 16 has Trần Diệu Châu awaiting the admission
decision (cell vote 10/09/2026, ward resolution 24/09/2026), Nguyễn Văn Thành with a dossier, and
Nguyễn Trọng Toàn, a đảng viên dự bị since 16/12/2025.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.config import Settings
from bot.demo.ward import DEMO_USERS
from bot.domain.stages import Stage
from bot.domain.workdays import WorkCalendar
from bot.sandbox.local import LocalBot
from bot.services.candidates import record_step
from bot.services.reminders import sweep
from bot.texts import t
from bot.texts.reminders import reminder_line
from tests.e2e.test_candidate_update import (
    _audit_count,
    _candidate,
    _events,
    _id_of,
    _joined,
    _label,
    _secretary,
)

SECRETARY = DEMO_USERS["secretary"]
TODAY = date(2026, 11, 28)
CAL = WorkCalendar()


# ── item 2: the received date, and the ceremony clock counted from it ───────────────────────

async def test_ketnap_asks_when_the_decision_was_received_and_counts_the_ceremony_from_it(
    demo_bot: LocalBot,
) -> None:
    db = demo_bot.db
    cid = await _id_of(db, "Trần Diệu Châu")
    await demo_bot.say(SECRETARY, "/ketnap")
    await demo_bot.press(SECRETARY, _label("Trần Diệu Châu", Stage.WARD_RESOLUTION))
    await demo_bot.say(SECRETARY, "77-QĐ/TU")
    replies = await demo_bot.say(SECRETARY, "16/11/2026")
    question = replies[-1]
    assert question.text == t("cn.ask_received", "vi", name="Trần Diệu Châu", signed="16/11/2026",
                              today="28/11/2026")
    assert t("cn.button.same_as_signed", "vi", date="16/11/2026") in question.button_texts
    audits = await _audit_count(db)
    replies = await demo_bot.say(SECRETARY, "13/11/2026")  # before the signing
    assert replies[0].text == t("cn.error.received_before_signed", "vi", value="13/11/2026",
                                signed="16/11/2026")
    replies = await demo_bot.say(SECRETARY, "30/11/2026")  # not yet
    assert replies[0].text == t("cn.error.future", "vi", value="30/11/2026", today="28/11/2026")
    replies = await demo_bot.say(SECRETARY, "20-11-26")  # the forgiving formats the dates accept
    assert t("kn.button.not_yet", "vi") in replies[-1].button_texts
    await demo_bot.press(SECRETARY, t("kn.button.not_yet", "vi"))
    replies = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert t("cn.summary.received", "vi", date="20/11/2026") in (replies[-1].text or "")
    [decision] = await _events(db, cid, Stage.DECISION)
    assert decision.happened_on == date(2026, 11, 16)
    assert decision.details == {"number": "77-QĐ/TU", "received_on": "2026-11-20"}
    assert await _audit_count(db) == audits + 1  # the refusals saved nothing

    # 30 working days from Friday 20/11 (24/11 and 01/01 are holidays): 05/01/2027, not from 16/11.
    due = CAL.add_working_days(date(2026, 11, 20), 30)
    assert due == date(2027, 1, 5) and CAL.add_working_days(date(2026, 11, 16), 30) != due
    replies = await demo_bot.say(SECRETARY, "/tiendo")
    text = _joined(replies)
    assert t("status.deadline_line", "vi", date="05/01/2027", name="Trần Diệu Châu",
             clock=t("clock.ceremony_due", "vi")) in text


async def test_capnhat_offers_the_signing_day_as_received_and_keeps_the_ceremony_after_the_receipt(
    demo_bot: LocalBot,
) -> None:
    db = demo_bot.db
    cid = await _id_of(db, "Trần Diệu Châu")
    await demo_bot.say(SECRETARY, "/capnhat")
    await demo_bot.press(SECRETARY, _label("Trần Diệu Châu", Stage.WARD_RESOLUTION))
    await demo_bot.press(SECRETARY, t("cn.button.next_step", "vi", step=t("step.decision", "vi")))
    await demo_bot.say(SECRETARY, "20/11/2026")
    replies = await demo_bot.say(SECRETARY, "88-QĐ/TU")
    assert replies[-1].text == t("cn.ask_received", "vi", name="Trần Diệu Châu", signed="20/11/2026",
                                 today="28/11/2026")
    replies = await demo_bot.press(SECRETARY, t("cn.button.same_as_signed", "vi", date="20/11/2026"))
    assert t("cn.summary.received", "vi", date="20/11/2026") in (replies[-1].text or "")
    await demo_bot.press(SECRETARY, t("button.back", "vi"))  # it came later after all
    replies = await demo_bot.say(SECRETARY, "25/11/2026")
    assert t("cn.summary.received", "vi", date="25/11/2026") in (replies[-1].text or "")
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    [decision] = await _events(db, cid, Stage.DECISION)
    assert (decision.happened_on, decision.details) == (date(2026, 11, 20),
                                                        {"number": "88-QĐ/TU", "received_on": "2026-11-25"})
    # A ceremony before the decision arrived is refused at its own question.
    await demo_bot.say(SECRETARY, "/capnhat")
    await demo_bot.press(SECRETARY, _label("Trần Diệu Châu", Stage.DECISION))
    await demo_bot.press(SECRETARY, t("cn.button.next_step", "vi", step=t("step.ceremony", "vi")))
    replies = await demo_bot.say(SECRETARY, "24/11/2026")
    assert replies[0].text == t("cn.error.before_received", "vi", received="25/11/2026")
    await demo_bot.say(SECRETARY, "/huy")
    assert await _events(db, cid, Stage.CEREMONY) == []


async def test_an_overdue_ceremony_reads_as_overdue_in_tiendo_and_in_the_reminders(
    demo_bot: LocalBot,
) -> None:
    db = demo_bot.db
    user = await _secretary(db)
    cid = await _id_of(db, "Trần Diệu Châu")
    # Signed 01/10/2026, received 05/10/2026 (a Monday): due 30 working days later, 16/11/2026.
    await record_step(db, user.actor(), cid, Stage.DECISION, date(2026, 10, 1),
                      {"number": "12-QĐ/TU", "received_on": "2026-10-05"}, today=TODAY)
    assert (await _candidate(db, "Trần Diệu Châu")).decision_received_on == date(2026, 10, 5)
    due = CAL.add_working_days(date(2026, 10, 5), 30)
    assert due == date(2026, 11, 16)
    overdue = t("overdue.ceremony_due", "vi", date="16/11/2026")
    assert overdue == ("ĐÃ QUÁ HẠN tổ chức lễ kết nạp (hạn 16/11/2026) — tổ chức muộn cần ý kiến "
                       "cấp ủy cấp trên")
    replies = await demo_bot.say(SECRETARY, "/tiendo")
    text = _joined(replies)
    assert t("status.overdue_header", "vi") in text
    assert t("status.overdue_line", "vi", name="Trần Diệu Châu", what=overdue) in text
    assert "16/11/2026: Trần Diệu Châu" not in text  # not listed as coming due

    result = await sweep(db, Settings(), as_of=TODAY, now=datetime(2026, 11, 28, 1, tzinfo=UTC),
                         dry_run=True)
    lines = {reminder_line(p.reminder.rule.value, p.reminder.facts, "vi") for p in result.planned
             if p.reminder.rule.value == "ceremony_due" and "Trần Diệu Châu" in str(p.reminder.facts)}
    assert lines == {"• Chi bộ tổ 16: Trần Diệu Châu — ĐÃ QUÁ HẠN tổ chức lễ kết nạp (hạn 16/11/2026) "
                     "— tổ chức muộn cần ý kiến cấp ủy cấp trên."}


# ── item 5: probationary members, ending their path, corrections that change nothing ────────

async def test_probationary_members_have_their_own_section_in_tiendo(demo_bot: LocalBot) -> None:
    replies = await demo_bot.say(SECRETARY, "/tiendo")
    text = _joined(replies)
    candidates = text.split(t("status.stages_header", "vi"), 1)[1].split(t("status.probationary_header",
                                                                             "vi", count=1))[0]
    assert t("stage.ceremony", "vi") not in candidates  # not counted among the quần chúng
    assert t("status.probationary_header", "vi", count=1) in text
    assert t("status.probationary_line", "vi", name="Nguyễn Trọng Toàn", ceremony="16/12/2025",
             ends="16/12/2026", review="28/01/2027") in text
    assert "Nguyễn Trọng Toàn — hết thời gian dự bị" not in text  # its clocks are in its own section


async def test_ending_a_probationary_members_path_is_not_recognising_them(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    await demo_bot.say(SECRETARY, "/capnhat")
    replies = await demo_bot.press(SECRETARY, _label("Nguyễn Trọng Toàn", Stage.CEREMONY))
    buttons = replies[-1].button_texts
    assert t("cn.button.drop.probationary", "vi") in buttons and t("cn.button.drop", "vi") not in buttons
    replies = await demo_bot.press(SECRETARY, t("cn.button.drop.probationary", "vi"))
    assert replies[-1].text == t("cn.ask_reason.probationary", "vi", name="Nguyễn Trọng Toàn")
    replies = await demo_bot.say(SECRETARY, "Vi phạm tư cách đảng viên")
    summary = replies[-1].text or ""
    assert t("cn.summary.drop.probationary", "vi", name="Nguyễn Trọng Toàn",
             reason="Vi phạm tư cách đảng viên", date="28/11/2026") in summary
    assert "danh sách phát triển đảng viên" not in summary
    replies = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert t("cn.saved_dropped.probationary", "vi", name="Nguyễn Trọng Toàn") in (replies[-1].text or "")
    assert (await _candidate(db, "Nguyễn Trọng Toàn")).dropped_on == TODAY
    # A quần chúng still leaves "the list".
    await demo_bot.say(SECRETARY, "/capnhat")
    replies = await demo_bot.press(SECRETARY, _label("Nguyễn Văn Thành", Stage.DOSSIER))
    assert t("cn.button.drop", "vi") in replies[-1].button_texts


async def test_a_correction_that_changes_nothing_is_not_saved(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    thanh = await _candidate(db, "Nguyễn Văn Thành")
    audits = await _audit_count(db)
    unchanged = t("cn.error.unchanged", "vi")
    await demo_bot.say(SECRETARY, "/capnhat")
    await demo_bot.press(SECRETARY, _label("Nguyễn Văn Thành", Stage.DOSSIER))
    await demo_bot.press(SECRETARY, t("cn.button.fix", "vi"))
    await demo_bot.press(SECRETARY, t("cn.field.full_name", "vi"))
    replies = await demo_bot.say(SECRETARY, "  Nguyễn   Văn Thành ")  # the same name, spaced out
    assert replies[0].text == unchanged
    await demo_bot.press(SECRETARY, t("button.back", "vi"))
    await demo_bot.press(SECRETARY, t("cn.field.gender", "vi"))
    replies = await demo_bot.press(SECRETARY, t(f"gender.{thanh.gender}", "vi"))
    assert replies[0].text == unchanged
    await demo_bot.press(SECRETARY, t("button.back", "vi"))
    await demo_bot.press(SECRETARY, t("cn.field.step_date", "vi"))
    dossier = thanh.steps[Stage.DOSSIER].on.strftime("%d/%m/%Y")
    await demo_bot.press(SECRETARY, t("cn.step_button", "vi", step=t("step.dossier", "vi"), date=dossier))
    replies = await demo_bot.say(SECRETARY, dossier)
    assert replies[0].text == unchanged
    await demo_bot.say(SECRETARY, "/huy")
    assert await _audit_count(db) == audits
    assert await _candidate(db, "Nguyễn Văn Thành") == thanh


async def test_the_received_date_is_corrected_like_a_steps_date(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    user = await _secretary(db)
    cid = await _id_of(db, "Trần Diệu Châu")
    await record_step(db, user.actor(), cid, Stage.DECISION, date(2026, 11, 16),
                      {"number": "12-QĐ/TU", "received_on": "2026-11-20"}, today=TODAY)
    audits = await _audit_count(db)
    await demo_bot.say(SECRETARY, "/capnhat")
    await demo_bot.press(SECRETARY, _label("Trần Diệu Châu", Stage.DECISION))
    await demo_bot.press(SECRETARY, t("cn.button.fix", "vi"))
    await demo_bot.press(SECRETARY, t("cn.field.step_date", "vi"))
    received_button = t("cn.step_button", "vi", step=t("cn.received_step", "vi"), date="20/11/2026")
    replies = await demo_bot.press(SECRETARY, received_button)
    assert t("cn.ask_fixed_date", "vi", step=t("cn.received_step", "vi"), old="20/11/2026") \
        in (replies[-1].text or "")
    replies = await demo_bot.say(SECRETARY, "15/11/2026")
    assert replies[0].text == t("cn.error.received_before_signed", "vi", value="15/11/2026",
                                signed="16/11/2026")
    replies = await demo_bot.say(SECRETARY, "20/11/2026")
    assert replies[0].text == t("cn.error.unchanged", "vi")
    replies = await demo_bot.say(SECRETARY, "23/11/2026")
    assert "23/11/2026" in (replies[-1].text or "")
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    [decision] = await _events(db, cid, Stage.DECISION)
    assert decision.details == {"number": "12-QĐ/TU", "received_on": "2026-11-23"}
    assert await _audit_count(db) == audits + 1
    # The signing date cannot be moved past the receipt.
    await demo_bot.say(SECRETARY, "/capnhat")
    await demo_bot.press(SECRETARY, _label("Trần Diệu Châu", Stage.DECISION))
    await demo_bot.press(SECRETARY, t("cn.button.fix", "vi"))
    await demo_bot.press(SECRETARY, t("cn.field.step_date", "vi"))
    signed_button = t("cn.step_button", "vi", step=t("step.decision", "vi"), date="16/11/2026")
    await demo_bot.press(SECRETARY, signed_button)
    replies = await demo_bot.say(SECRETARY, "24/11/2026")
    assert replies[0].text == t("cn.error.signed_after_received", "vi", value="24/11/2026",
                                received="23/11/2026")


async def test_a_probationary_member_not_recognised_leaves_the_members_as_struck_off(
    demo_bot: LocalBot,
) -> None:
    # Điều lệ: a đảng viên dự bị not recognised is struck off (xóa tên). The cell's and the ward's
    # figures say so, not "ra khỏi danh sách" (a reason not recorded).
    await demo_bot.say(SECRETARY, "/capnhat")
    await demo_bot.press(SECRETARY, _label("Nguyễn Trọng Toàn", Stage.CEREMONY))
    await demo_bot.press(SECRETARY, t("cn.button.drop.probationary", "vi"))
    await demo_bot.say(SECRETARY, "Vi phạm tư cách đảng viên")
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    text = _joined(await demo_bot.say(SECRETARY, "/tiendo"))
    assert "Đảng viên hiện nay: 120, giảm 1 so với cuối năm 2025 (xóa tên hoặc khai trừ 1)" in text, text


async def test_ending_the_path_of_a_probationary_member_who_moved_away_keeps_the_transfer(
    demo_bot: LocalBot,
) -> None:
    # He transferred out on 02/11/2026 (/dangvien): that closes his probation record, so /capnhat
    # no longer offers to end it again (which would turn the transfer into a strike-off of today).
    await demo_bot.say(SECRETARY, "/dangvien")
    await demo_bot.press(SECRETARY, t("dv.kind.transferred_out", "vi"))
    await demo_bot.say(SECRETARY, "Trọng Toàn")
    await demo_bot.press(SECRETARY, "Nguyễn Trọng Toàn")
    await demo_bot.say(SECRETARY, "02/11/2026")
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    moved = "Đảng viên hiện nay: 120, giảm 1 so với cuối năm 2025 (chuyển đi 1)"
    assert moved in _joined(await demo_bot.say(SECRETARY, "/tiendo"))
    replies = await demo_bot.say(SECRETARY, "/capnhat")
    assert _label("Nguyễn Trọng Toàn", Stage.CEREMONY) not in replies[-1].button_texts
    await demo_bot.say(SECRETARY, "/huy")
    assert moved in _joined(await demo_bot.say(SECRETARY, "/tiendo"))


async def test_capnhat_list_with_a_probationary_member_does_not_call_everyone_quan_chung(
    demo_bot: LocalBot,
) -> None:
    # Tổ 16's list holds four quần chúng and Nguyễn Trọng Toàn, a đảng viên dự bị: the question
    # must not call him a quần chúng (#10 item 5).
    replies = await demo_bot.say(SECRETARY, "/capnhat")
    question = (replies[-1].text or "").split("\n")[0]
    assert _label("Nguyễn Trọng Toàn", Stage.CEREMONY) in replies[-1].button_texts
    assert "quần chúng" not in question, question
