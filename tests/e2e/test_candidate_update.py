"""/capnhat and /ketnap through the real bot on the demo ward: steps, admission, drop-out, corrections.

Chi bộ tổ 16 (the demo secretary's cell) starts with Trần Bích Phương (spotted), Nguyễn Thị Diệu
Liên (course, 14/09/2026), Nguyễn Văn Thành (dossier), Trần Diệu Châu (cell vote 10/09/2026, ward
resolution 24/09/2026, awaiting the decision) and Nguyễn Trọng Toàn (probationary). Today is 28/11/2026.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.demo.ward import DEMO_USERS
from bot.domain.candidates import Background, CandidateDraft, CandidateInfo, Gender
from bot.domain.channels import CHANNELS, sample_external_id
from bot.domain.dates import LooseDate
from bot.domain.stages import Stage
from bot.domain.users import UserInfo
from bot.sandbox.local import LocalBot
from bot.sandbox.records import SentMessage
from bot.services.candidates import record_step, report_candidate
from bot.services.onboarding import identify
from bot.services.status import cell_status
from bot.store.candidates import get_candidate
from bot.store.db import Database
from bot.store.models import AuditLog, Candidate, CandidateEvent, Cell
from bot.texts import t
from tests.e2e.conftest import IDLE

SECRETARY = DEMO_USERS["secretary"]
TODAY = date(2026, 11, 28)


# ── helpers ──────────────────────────────────────────────────────────────────────────────────

async def _secretary(db: Database) -> UserInfo:
    """The demo secretary, on whichever channel the demo ward registered them."""
    found = [await identify(db, channel, sample_external_id(channel, SECRETARY)) for channel in CHANNELS]
    [user] = [u for u in found if u is not None]
    assert user.cell_id is not None
    return user


async def _id_of(db: Database, name: str) -> int:
    async with db.read() as session:
        found = await session.scalar(select(Candidate.id).where(Candidate.full_name == name))
    assert found is not None, name
    return int(found)


async def _candidate(db: Database, name: str) -> CandidateInfo:
    cid = await _id_of(db, name)
    async with db.read() as session:
        found = await get_candidate(session, cid)
    assert found is not None
    return found


async def _other_cell_candidate(db: Database) -> int:
    async with db.read() as session:
        found = await session.scalar(
            select(Candidate.id).join(Cell, Cell.id == Candidate.cell_id)
            .where(Cell.name == "Chi bộ tổ 9").order_by(Candidate.id))
    assert found is not None
    return int(found)


async def _events(db: Database, cid: int, stage: Stage) -> list[CandidateEvent]:
    async with db.read() as session:
        rows = await session.scalars(select(CandidateEvent).where(
            CandidateEvent.candidate_id == cid, CandidateEvent.stage == stage.value))
        return list(rows)


async def _audits(db: Database, action: str | None = None) -> list[AuditLog]:
    async with db.read() as session:
        query = select(AuditLog).where(AuditLog.entity == "candidate")
        if action is not None:
            query = query.where(AuditLog.action == action)
        return list(await session.scalars(query.order_by(AuditLog.id)))


async def _audit_count(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(AuditLog)) or 0)


async def _admitted(db: Database) -> int:
    user = await _secretary(db)
    assert user.cell_id is not None
    status = await cell_status(db, user.actor(), user.cell_id, year=2026, today=TODAY, settings=Settings())
    return status.progress.admitted


async def _introduced_candidate(db: Database, name: str) -> int:
    """A candidate of tổ 16 with every step up to the introducers recorded (set up through services)."""
    user = await _secretary(db)
    assert user.cell_id is not None
    actor = user.actor()
    saved = await report_candidate(
        db, actor, CandidateDraft(user.cell_id, name, LooseDate(1999, 5, 2), Gender.MALE,
                                  Background.YOUTH_UNION, date(2025, 3, 1)),
        today=TODAY, rules=Settings().rules)
    cid = saved.candidate.id
    await record_step(db, actor, cid, Stage.COURSE, date(2025, 6, 1), today=TODAY)
    await record_step(db, actor, cid, Stage.DOSSIER, date(2025, 12, 10), today=TODAY)
    await record_step(db, actor, cid, Stage.INTRODUCED, date(2026, 1, 10),
                      {"kind": "youth_union", "introducers": ["Lê Văn Hải"], "known_since": ["2023-05"]},
                      today=TODAY)
    return cid


def _texts(messages: list[SentMessage]) -> list[str]:
    return [m.text or "" for m in messages]


def _joined(messages: list[SentMessage]) -> str:
    return "\n".join(_texts(messages))


def _label(name: str, stage: Stage) -> str:
    return t("cn.candidate_button", "vi", name=name, stage=t(f"stage.{stage}", "vi"))


def _next_step(stage: Stage) -> str:
    return t("cn.button.next_step", "vi", step=t(f"step.{stage}", "vi"))


def _stale_alerts(bot: LocalBot) -> list[str]:
    return [a.text or "" for a in bot.emulator.callback_answers(SECRETARY) if a.show_alert]


# ── /capnhat: recording steps ────────────────────────────────────────────────────────────────

async def test_secretary_records_the_introducers_and_a_second_save_tap_saves_nothing(
    demo_bot: LocalBot,
) -> None:
    db = demo_bot.db
    cid = await _id_of(db, "Nguyễn Văn Thành")
    replies = await demo_bot.say(SECRETARY, "/capnhat")
    listing = replies[-1]
    assert listing.text == t("cn.choose_candidate", "vi", count=5, page=1, pages=1)
    assert _label("Trần Diệu Châu", Stage.WARD_RESOLUTION) in listing.button_texts
    replies = await demo_bot.press(SECRETARY, _label("Nguyễn Văn Thành", Stage.DOSSIER))
    card = replies[-1]
    assert "Nguyễn Văn Thành" in (card.text or "") and t("stage.dossier", "vi") in (card.text or "")
    assert _next_step(Stage.INTRODUCED) in card.button_texts
    replies = await demo_bot.press(SECRETARY, _next_step(Stage.INTRODUCED))
    assert t("cn.ask_date.introduced", "vi", name="Nguyễn Văn Thành") in (replies[-1].text or "")
    await demo_bot.say(SECRETARY, "20/11/2026")
    await demo_bot.press(SECRETARY, t("cn.button.two_members", "vi"))  # 39, residential: two members
    await demo_bot.say(SECRETARY, "Lê  Văn Hải ")  # not on the list: kept as typed
    replies = await demo_bot.say(SECRETARY, "3/2020")
    assert (replies[-1].text or "").startswith(t("cn.ask_introducer.second", "vi", first="Lê Văn Hải"))
    replies = await demo_bot.say(SECRETARY, "Lê Văn Hải")  # the same person twice
    assert replies[0].text == t("cn.error.introducer_twice", "vi", name="Lê Văn Hải")
    await demo_bot.say(SECRETARY, "Phạm Thị Lan")
    replies = await demo_bot.say(SECRETARY, "11/2025")
    summary = replies[-1]
    names = ", ".join(t("cn.summary.known", "vi", name=n, since=s, months=m)
                      for n, s, m in (("Lê Văn Hải", "03/2020", 80), ("Phạm Thị Lan", "11/2025", 12)))
    assert t("cn.summary.two_members", "vi", names=names) in (summary.text or "")
    assert "20/11/2026" in (summary.text or "")
    replies = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    saved = replies[-1].text or ""
    assert saved.startswith("✅") and names in saved and "20/11/2026" in saved
    assert t("cn.saved_stage", "vi", name="Nguyễn Văn Thành", stage=t("stage.introduced", "vi")) in saved
    assert demo_bot.current(summary).buttons == []  # the summary lost its "✅ Lưu"
    if demo_bot.channel != "telegram":
        return  # the rest taps stale buttons by their data, which a Zalo user cannot send

    audits = len(await _audits(db))
    replies = await demo_bot.press_data(SECRETARY, "cn:save", message_id=summary.message_id)
    assert replies == [] and _stale_alerts(demo_bot)[-1] == t("error.stale_button", "vi")
    events = await _events(db, cid, Stage.INTRODUCED)
    assert len(events) == 1 and events[0].happened_on == date(2026, 11, 20)
    assert events[0].details == {"kind": "two_members", "introducers": ["Lê Văn Hải", "Phạm Thị Lan"],
                                 "member_ids": [None, None], "known_since": ["2020-03", "2025-11"],
                                 "months_known": [80, 12]}
    assert len(await _audits(db)) == audits

    # The old list's button after the update: outside a flow it is only answered…
    replies = await demo_bot.press_data(SECRETARY, f"cn:c:{cid}", message_id=listing.message_id)
    assert replies == [] and len(_stale_alerts(demo_bot)) == 2
    # …and inside a new flow the old card's step button finds the step already recorded.
    await demo_bot.say(SECRETARY, "/capnhat")
    replies = await demo_bot.press(SECRETARY, _label("Nguyễn Văn Thành", Stage.INTRODUCED))
    assert _next_step(Stage.CELL_VOTE) in replies[-1].button_texts
    replies = await demo_bot.press_data(SECRETARY, "cn:s:introduced", message_id=card.message_id)
    assert replies[0].text == t("cn.error.step_already_recorded", "vi", step=t("step.introduced", "vi"))
    assert len(await _events(db, cid, Stage.INTRODUCED)) == 1


async def test_cell_vote_refuses_bad_dates_words_and_votes_below_two_thirds(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    cid = await _introduced_candidate(db, "Hoàng Minh Quân")
    await demo_bot.say(SECRETARY, "/capnhat")
    await demo_bot.press(SECRETARY, _label("Hoàng Minh Quân", Stage.INTRODUCED))

    if demo_bot.channel == "telegram":  # a Zalo user cannot forge button data
        # A forged button for a step that is not next: refused, naming the missing step.
        replies = await demo_bot.press_data(SECRETARY, "cn:s:ceremony")
        refusal = t("cn.error.step_out_of_order", "vi", step=t("step.ceremony", "vi"),
                    missing=t("step.cell_vote", "vi"))
        assert replies[0].text == refusal and "Chưa thể ghi «Lễ kết nạp» vì chưa có bước" in refusal
        assert _next_step(Stage.CELL_VOTE) in replies[-1].button_texts  # the same question again

    await demo_bot.press(SECRETARY, _next_step(Stage.CELL_VOTE))
    replies = await demo_bot.say(SECRETARY, "31/02/2026")
    assert replies[0].text == t("cn.error.impossible", "vi", value="31/02/2026", today="28/11/2026")
    replies = await demo_bot.say(SECRETARY, "05/12/2026")
    assert replies[0].text == t("cn.error.future", "vi", value="05/12/2026", today="28/11/2026")
    replies = await demo_bot.say(SECRETARY, "01/01/2026")
    assert replies[0].text == t("cn.error.before_previous_step", "vi", step=t("step.introduced", "vi"),
                                previous="10/01/2026", today="28/11/2026")
    replies = await demo_bot.press(SECRETARY, t("button.today", "vi"))
    assert replies[-1].text == t("cn.ask_votes_for", "vi", name="Hoàng Minh Quân")
    replies = await demo_bot.say(SECRETARY, "mười lăm")
    assert _texts(replies) == [t("cn.not_a_number", "vi"),
                               t("cn.ask_votes_for", "vi", name="Hoàng Minh Quân")]
    await demo_bot.say(SECRETARY, "10")
    replies = await demo_bot.say(SECRETARY, "18")
    assert replies[0].text == t("cn.error.votes_below_two_thirds", "vi", votes_for=10, votes_total=18)
    replies = await demo_bot.press(SECRETARY, t("button.back", "vi"))
    assert replies[-1].text == t("cn.ask_votes_for", "vi", name="Hoàng Minh Quân")
    await demo_bot.say(SECRETARY, "15")
    replies = await demo_bot.say(SECRETARY, "18")
    assert t("cn.summary.votes", "vi", votes_for=15, votes_total=18) in (replies[-1].text or "")
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    events = await _events(db, cid, Stage.CELL_VOTE)
    assert [(e.happened_on, e.details) for e in events] == [(TODAY, {"votes_for": 15, "votes_total": 18})]


async def test_a_restart_in_the_middle_keeps_the_answers(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    cid = await _id_of(db, "Trần Bích Phương")
    await demo_bot.say(SECRETARY, "/capnhat")
    await demo_bot.press(SECRETARY, _label("Trần Bích Phương", Stage.SPOTTED))
    await demo_bot.press(SECRETARY, _next_step(Stage.COURSE))
    replies = await demo_bot.say(SECRETARY, "25/11/2026")
    assert t("cn.summary.certificate", "vi", date="25/11/2026") in (replies[-1].text or "")
    await demo_bot.restart()
    replies = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert (replies[-1].text or "").startswith("✅")
    assert [e.happened_on for e in await _events(db, cid, Stage.COURSE)] == [date(2026, 11, 25)]


# ── /capnhat: drop-out and corrections ───────────────────────────────────────────────────────

async def test_drop_out_keeps_the_candidate_with_the_reason(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    await demo_bot.say(SECRETARY, "/capnhat")
    await demo_bot.press(SECRETARY, _label("Trần Bích Phương", Stage.SPOTTED))
    replies = await demo_bot.press(SECRETARY, t("cn.button.drop", "vi"))
    assert replies[-1].text == t("cn.ask_reason", "vi", name="Trần Bích Phương")
    replies = await demo_bot.say(SECRETARY, "x" * 400)
    assert replies[0].text == t("cn.error.too_long", "vi", length=400, limit=300,
                                example="Chuyển đi nơi khác sinh sống.")
    replies = await demo_bot.say(SECRETARY, "Chuyển đi nơi khác sinh sống")
    summary = replies[-1].text or ""
    assert "Chuyển đi nơi khác sinh sống" in summary and "28/11/2026" in summary
    replies = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert t("cn.saved_dropped", "vi", name="Trần Bích Phương") in (replies[-1].text or "")
    candidate = await _candidate(db, "Trần Bích Phương")
    assert candidate.dropped_on == TODAY and candidate.dropped_reason == "Chuyển đi nơi khác sinh sống"
    replies = await demo_bot.say(SECRETARY, "/capnhat")
    assert replies[-1].text == t("cn.choose_candidate", "vi", count=4, page=1, pages=1)
    await demo_bot.say(SECRETARY, "/huy")


async def test_corrections_of_a_name_and_a_step_date_are_audited(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    cid = await _id_of(db, "Nguyễn Thị Diệu Liên")
    await demo_bot.say(SECRETARY, "/capnhat")
    await demo_bot.press(SECRETARY, _label("Nguyễn Thị Diệu Liên", Stage.COURSE))
    await demo_bot.press(SECRETARY, t("cn.button.fix", "vi"))
    replies = await demo_bot.press(SECRETARY, t("cn.field.full_name", "vi"))
    assert replies[-1].text == t("cn.ask_value.full_name", "vi", old="Nguyễn Thị Diệu Liên")
    replies = await demo_bot.say(SECRETARY, "Nguyễn " * 43)
    assert replies[0].text == t("cn.error.too_long", "vi", length=300, limit=120, example="Trần Thị Mai")
    replies = await demo_bot.say(SECRETARY, "12345")
    assert replies[0].text == t("cn.error.not_a_name", "vi", example="Trần Thị Mai")
    replies = await demo_bot.say(SECRETARY, "Nguyễn Thị Diệu Linh")
    assert replies[-1].text is not None and "Nguyễn Thị Diệu Linh" in replies[-1].text
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    [audit] = await _audits(db, "correct:full_name")
    assert audit.entity_id == cid and audit.before is not None and audit.after is not None
    assert audit.before["full_name"] == "Nguyễn Thị Diệu Liên"
    assert audit.after["full_name"] == "Nguyễn Thị Diệu Linh"

    await demo_bot.say(SECRETARY, "/capnhat")
    await demo_bot.press(SECRETARY, _label("Nguyễn Thị Diệu Linh", Stage.COURSE))
    await demo_bot.press(SECRETARY, t("cn.button.fix", "vi"))
    await demo_bot.press(SECRETARY, t("cn.field.step_date", "vi"))
    await demo_bot.press(SECRETARY, t("cn.step_button", "vi", step=t("step.course", "vi"), date="14/09/2026"))
    replies = await demo_bot.say(SECRETARY, "10/12/2025")
    assert replies[0].text == t("cn.error.before_previous_step", "vi", step=t("step.spotted", "vi"),
                                previous="19/12/2025", today="28/11/2026")
    replies = await demo_bot.say(SECRETARY, "1/12/2026")
    assert replies[0].text == t("cn.error.future", "vi", value="01/12/2026", today="28/11/2026")
    replies = await demo_bot.say(SECRETARY, "10/9/2026")
    summary = replies[-1].text or ""
    assert "14/09/2026" in summary and "10/09/2026" in summary
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    [audit] = await _audits(db, "correct_date:course")
    assert audit.before is not None and audit.after is not None
    assert (audit.before["steps"]["course"], audit.after["steps"]["course"]) == ("2026-09-14", "2026-09-10")
    assert [e.happened_on for e in await _events(db, cid, Stage.COURSE)] == [date(2026, 9, 10)]


# ── /capnhat: paging, back, cancel, intrusions ───────────────────────────────────────────────

async def test_paging_back_cancel_and_other_commands_in_the_middle(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    user = await _secretary(db)
    assert user.cell_id is not None
    for i in range(9):
        await report_candidate(db, user.actor(), CandidateDraft(
            user.cell_id, f"Phạm Văn Số {i + 1}", LooseDate(2000), Gender.MALE, Background.WORKER,
            date(2026, 10, 1)), today=TODAY, rules=Settings().rules)
    audits = await _audit_count(db)
    replies = await demo_bot.say(SECRETARY, "/capnhat")
    listing = replies[-1]
    assert listing.text == t("cn.choose_candidate", "vi", count=14, page=1, pages=2)
    assert len(listing.button_texts) == 8 + 2  # 8 candidates, "Sau ›", "Hủy"
    await demo_bot.press(SECRETARY, t("button.next", "vi"))
    page2 = demo_bot.current(listing)
    assert page2.text == t("cn.choose_candidate", "vi", count=14, page=2, pages=2)
    assert t("button.prev", "vi") in page2.button_texts
    last = _label("Phạm Văn Số 9", Stage.SPOTTED)
    assert last in page2.button_texts
    replies = await demo_bot.press(SECRETARY, last)
    assert (replies[-1].text or "").startswith("👤 Phạm Văn Số 9")
    replies = await demo_bot.press(SECRETARY, t("button.back", "vi"))
    assert replies[-1].text == t("cn.choose_candidate", "vi", count=14, page=2, pages=2)

    replies = await demo_bot.say(SECRETARY, "/sinhhoat")
    assert replies[0].text == t("flow.busy", "vi", flow=t("flow.name.capnhat", "vi"), command="/sinhhoat")
    demo_bot.emulator.send_sticker(SECRETARY)
    await demo_bot.settle()
    assert demo_bot.emulator.new_messages(SECRETARY)[0].text == t("flow.not_text", "vi")
    replies = await demo_bot.say(SECRETARY, "/huy")
    assert _texts(replies) == [t("cancelled", "vi")]
    replies = await demo_bot.say(SECRETARY, "/huy")
    assert _texts(replies) == [t("flow.nothing_to_cancel", "vi")]
    assert await _audit_count(db) == audits


@pytest.mark.telegram_only  # a Zalo user can only type: there is no button data to forge
async def test_forged_button_naming_another_cells_candidate_changes_nothing(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    other = await _other_cell_candidate(db)
    audits = await _audit_count(db)
    await demo_bot.say(SECRETARY, "/capnhat")
    replies = await demo_bot.press_data(SECRETARY, f"cn:c:{other}")
    assert replies[0].text == t("error.other_cell", "vi")
    assert replies[-1].text == t("cn.choose_candidate", "vi", count=5, page=1, pages=1)
    assert demo_bot.emulator.unanswered_callbacks() == []
    await demo_bot.say(SECRETARY, "/huy")

    await demo_bot.say(SECRETARY, "/ketnap")
    replies = await demo_bot.press_data(SECRETARY, f"kn:c:{other}")
    assert replies[0].text == t("error.other_cell", "vi")
    thanh = await _id_of(db, "Nguyễn Văn Thành")  # my cell, but not awaiting the decision
    replies = await demo_bot.press_data(SECRETARY, f"kn:c:{thanh}")
    assert replies[0].text == t("cn.error.step_out_of_order", "vi", step=t("step.decision", "vi"),
                                missing=t("step.introduced", "vi"))
    await demo_bot.say(SECRETARY, "/huy")
    assert await _audit_count(db) == audits
    assert demo_bot.emulator.unanswered_callbacks() == []
    # A committee member reads cells but reports for none: told so, no flow starts.
    for command in ("/capnhat", "/ketnap"):
        replies = await demo_bot.say(DEMO_USERS["committee"], command)
        assert _texts(replies) == [t("cn.secretary_only", "vi")]


# ── /ketnap ──────────────────────────────────────────────────────────────────────────────────

async def test_ketnap_with_the_ceremony_saves_once_and_counts_toward_the_year(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    cid = await _id_of(db, "Trần Diệu Châu")
    before = await _admitted(db)
    replies = await demo_bot.say(SECRETARY, "/ketnap")
    assert replies[-1].text == t("kn.choose_candidate", "vi", count=1, page=1, pages=1)
    replies = await demo_bot.press(SECRETARY, _label("Trần Diệu Châu", Stage.WARD_RESOLUTION))
    assert replies[-1].text == t("kn.ask_number", "vi", name="Trần Diệu Châu")
    replies = await demo_bot.say(SECRETARY, "  ")
    assert replies[0].text == t("cn.error.empty", "vi", example="123-QĐ/TU")
    await demo_bot.say(SECRETARY, "123-QĐ/TU")
    replies = await demo_bot.say(SECRETARY, "20/09/2026")  # before the ward resolution (24/09/2026)
    assert replies[0].text == t("cn.error.before_previous_step", "vi", step=t("step.ward_resolution", "vi"),
                                previous="24/09/2026", today="28/11/2026")
    await demo_bot.say(SECRETARY, "20/11/2026")
    replies = await demo_bot.say(SECRETARY, "23/11/2026")  # received three days after the signing
    assert replies[-1].text == t("kn.ask_ceremony_date", "vi", name="Trần Diệu Châu", today="28/11/2026")
    replies = await demo_bot.say(SECRETARY, "22/11/2026")  # a ceremony before the decision arrived
    assert replies[0].text == t("cn.error.before_received", "vi", received="23/11/2026")
    replies = await demo_bot.say(SECRETARY, "25/11/2026")
    summary = replies[-1]
    quota = t("kn.quota_year.decision", "vi", year=2026)
    assert "Tính vào chỉ tiêu năm 2026" in quota and quota in (summary.text or "")
    replies = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    saved = replies[-1].text or ""
    for part in ("123-QĐ/TU", "20/11/2026", "25/11/2026", quota,
                 t("cn.summary.received", "vi", date="23/11/2026"),
                 t("kn.saved_ceremony", "vi", name="Trần Diệu Châu", date="25/11/2026")):
        assert part in saved
    if demo_bot.channel == "telegram":  # the stale "Lưu" tapped again (Zalo: test_zalo.py)
        await demo_bot.press_data(SECRETARY, "kn:save", message_id=summary.message_id)
    assert len(await _events(db, cid, Stage.DECISION)) == 1
    assert [e.happened_on for e in await _events(db, cid, Stage.CEREMONY)] == [date(2026, 11, 25)]
    assert len(await _audits(db, "admit")) == 1
    assert await _admitted(db) == before + 1

    # Nobody else awaits a decision now: /ketnap says which step is missing, and lists the others.
    replies = await demo_bot.say(SECRETARY, "/ketnap")
    text = _joined(replies)
    assert t("kn.none_waiting", "vi", missing=t("step.ward_resolution", "vi")) in text
    assert t("kn.current_line", "vi", name="Nguyễn Văn Thành", stage=t("stage.dossier", "vi"),
             next=t("step.introduced", "vi")) in text


async def test_ketnap_without_ceremony_back_and_forth(demo_bot: LocalBot) -> None:
    db = demo_bot.db
    cid = await _id_of(db, "Trần Diệu Châu")
    before = await _admitted(db)
    await demo_bot.say(SECRETARY, "/ketnap")
    await demo_bot.press(SECRETARY, _label("Trần Diệu Châu", Stage.WARD_RESOLUTION))
    await demo_bot.say(SECRETARY, "45-QĐ/TU")
    replies = await demo_bot.press(SECRETARY, t("button.today", "vi"))
    assert t("cn.button.same_as_signed", "vi", date="28/11/2026") in replies[-1].button_texts
    replies = await demo_bot.press(SECRETARY, t("cn.button.same_as_signed", "vi", date="28/11/2026"))
    assert t("kn.button.not_yet", "vi") in replies[-1].button_texts
    replies = await demo_bot.press(SECRETARY, t("button.back", "vi"))
    assert t("cn.button.same_as_signed", "vi", date="28/11/2026") in replies[-1].button_texts
    replies = await demo_bot.press(SECRETARY, t("button.back", "vi"))
    assert t("kn.ask_decision_date", "vi", number="45-QĐ/TU") in (replies[-1].text or "")
    replies = await demo_bot.press(SECRETARY, t("button.back", "vi"))
    assert replies[-1].text == t("kn.ask_number", "vi", name="Trần Diệu Châu")
    await demo_bot.say(SECRETARY, "46-QĐ/TU")
    await demo_bot.say(SECRETARY, "27/11/2026")
    await demo_bot.press(SECRETARY, t("cn.button.same_as_signed", "vi", date="27/11/2026"))
    replies = await demo_bot.press(SECRETARY, t("kn.button.not_yet", "vi"))
    assert t("kn.ceremony_not_yet", "vi") in (replies[-1].text or "")
    replies = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    saved = replies[-1].text or ""
    assert "46-QĐ/TU" in saved and "27/11/2026" in saved and t("kn.saved_no_ceremony", "vi") in saved
    [decision] = await _events(db, cid, Stage.DECISION)
    assert (decision.happened_on, decision.details) == (date(2026, 11, 27),
                                                        {"number": "46-QĐ/TU", "received_on": "2026-11-27"})
    assert await _events(db, cid, Stage.CEREMONY) == []
    assert (await _candidate(db, "Trần Diệu Châu")).stage is Stage.DECISION
    assert await _admitted(db) == before + 1


async def test_ketnap_left_idle_ends_with_a_message(demo_bot: LocalBot) -> None:
    await demo_bot.say(SECRETARY, "/ketnap")
    await demo_bot.press(SECRETARY, _label("Trần Diệu Châu", Stage.WARD_RESOLUTION))
    demo_bot.clock.now += timedelta(seconds=IDLE + 1)  # type: ignore[attr-defined]
    assert await demo_bot.expire_idle_flows() == 1
    expired = t("flow.expired", "vi", minutes=Settings().conversation.idle_minutes)
    assert expired in _texts(demo_bot.emulator.new_messages(SECRETARY))
    replies = await demo_bot.say(SECRETARY, "123-QĐ/TU")  # the flow is over: just stray text now
    assert _texts(replies) == [t("free_text_hint", "vi")]
