"""/tiendo and /tonghop through the real bot on the demo ward (both channels): the seed's own
figures, in the words of a ward report; a past year without what is current; the drill-down."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import event, insert

from bot.demo.ward import DEMO_USERS
from bot.domain.channels import sample_external_id
from bot.domain.roles import Role
from bot.sandbox.local import LocalBot
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import Cell, YearQuota
from bot.store.users import upsert_user
from bot.texts import t

ADMIN, COMMITTEE, SECRETARY = DEMO_USERS["admin"], DEMO_USERS["committee"], DEMO_USERS["secretary"]


def _text(replies: list) -> str:  # type: ignore[type-arg]
    return "\n".join(m.text or "" for m in replies)


async def test_ward_report_2023_reads_like_a_ward_report_in_one_message(demo_bot: LocalBot) -> None:
    replies = await demo_bot.say(ADMIN, "/tonghop 2023")
    assert len(replies) == 1
    text = replies[0].text or ""
    assert ("Năm 2023, Đảng bộ kết nạp được 45 đảng viên, đạt 104,65 % chỉ tiêu Thành ủy giao "
            "(vượt 4,65 %), bằng 375 % so với cùng kỳ năm 2022 (12 đảng viên).") in text
    members = re.search(r"Cuối năm 2023 toàn Đảng bộ có (\d)\.(\d{3}) đảng viên, tăng (\d+) so với "
                        r"cuối năm 2022 \(kết nạp (\d+)", text)
    assert members is not None
    assert 1700 < int(members[1] + members[2]) < 1800  # "trên 1.700 đảng viên"
    # A past year: nothing of what is current (meetings missing now, committee attendance now).
    assert t("report.current_header", "vi") not in text
    assert "Sinh hoạt gần nhất" not in text
    assert "đạt 0 %" not in text and "Chi bộ Chi bộ" not in text
    assert t("report.see_workbook", "vi") in text


async def test_running_year_report_puts_what_is_current_under_its_heading(demo_bot: LocalBot) -> None:
    replies = await demo_bot.say(COMMITTEE, "/tonghop")
    assert len(replies) == 1
    text = replies[0].text or ""
    assert text.startswith(t("report.header", "vi", committee="Đảng bộ phường Hoàng Văn Thụ", year=2026))
    assert "Từ đầu năm 2026 đến ngày 28/11/2026, Đảng bộ kết nạp được" in text
    assert "so với cùng kỳ năm 2025" in text and "Hiện nay toàn Đảng bộ có" in text
    current = text.split(t("report.current_header", "vi"))
    assert len(current) == 2
    assert "Chưa báo cáo sinh hoạt tháng 10/2026: 3 chi bộ" in current[1]
    # A cell that admitted nobody says so, not "đạt 0 %".
    assert "🔴 Chi bộ tổ 4: 0/1 — chưa kết nạp được đảng viên nào" in current[0]
    assert "đạt 0 %" not in text


async def test_secretary_sees_119_members_up_2_and_200_percent_for_2023(demo_bot: LocalBot) -> None:
    replies = await demo_bot.say(SECRETARY, "/tiendo 2023")
    text = _text(replies)
    assert text.startswith(t("status.header", "vi", cell="Chi bộ tổ 16", year=2023))
    assert "Kết nạp: 2/1 chỉ tiêu Đảng ủy giao — đạt 200 %, vượt 100 %" in text
    assert "Đảng viên cuối năm 2023: 119, tăng 2 so với cuối năm 2022 (kết nạp 2)" in text
    # 2023 is over: no last meeting, no clocks coming due — only the year.
    assert t("status.deadlines_header", "vi") not in text and "Sinh hoạt gần nhất" not in text
    assert t("status.stages_at_year_end", "vi", year=2023) in text
    refused = await demo_bot.say(SECRETARY, "/tonghop")
    assert refused[0].text == t("error.summary_not_for_secretary", "vi")


async def test_secretary_this_year_shows_what_is_current(demo_bot: LocalBot) -> None:
    text = _text(await demo_bot.say(SECRETARY, "/tiendo"))
    assert "Kết nạp: 0/1 chỉ tiêu Đảng ủy giao — chưa kết nạp được đảng viên nào" in text
    assert "Đảng viên hiện nay: 121" in text
    assert "Sinh hoạt gần nhất" in text and t("status.deadlines_header", "vi") in text


async def test_committee_member_picks_a_cell_and_sees_its_candidates_by_stage(demo_bot: LocalBot) -> None:
    replies = await demo_bot.say(COMMITTEE, "/tiendo")
    assert len(replies) == 1
    lines = (replies[0].text or "").split("\n")
    compact = [line for line in lines if line.startswith("• Chi bộ")]
    assert len(compact) == 4  # tổ 16, 15, 17 and the health station are in the demo member's charge
    assert all("đảng viên" in line for line in compact)
    drill = _text(await demo_bot.press(COMMITTEE, "Chi bộ tổ 16"))
    assert drill.startswith(t("status.header", "vi", cell="Chi bộ tổ 16", year=2026))
    assert t("drill.header", "vi") in drill
    assert re.search(r"  – .+: \d+ ngày", drill)
    # The same by name, for a past year; and a cell not in their charge is not found.
    by_name = _text(await demo_bot.say(COMMITTEE, "/tiendo Tổ 16 2023"))
    assert "Đảng viên cuối năm 2023: 119, tăng 2" in by_name
    other = await demo_bot.say(COMMITTEE, "/tiendo Tổ 3")
    assert other[0].text == t("status.unknown_cell", "vi", value="Tổ 3", example=2025)


async def test_admin_drills_into_any_cell_by_name(demo_bot: LocalBot) -> None:
    hint = await demo_bot.say(ADMIN, "/tiendo")
    assert hint[0].text == t("status.admin_pick", "vi")
    text = _text(await demo_bot.say(ADMIN, "/tiendo Tổ 9"))
    assert text.startswith(t("status.header", "vi", cell="Chi bộ tổ 9", year=2026))
    assert t("drill.header", "vi") in text
    # A candidate of tổ 9 awaiting the admission decision is past its clock: said so, with the date.
    overdue = re.escape(t("overdue.decision_due", "vi", date="DATE")).replace("DATE", r"\d\d/\d\d/\d{4}")
    assert re.search(rf"  – [^:]+: \d+ ngày — {overdue}", text), text


async def test_bad_year_is_explained(demo_bot: LocalBot) -> None:
    for typed in ("hai nghìn", "1999", "2099"):
        replies = await demo_bot.say(SECRETARY, f"/tiendo {typed}")
        assert replies[0].text == t("status.bad_year", "vi", value=typed, command="tiendo", example=2025)
    replies = await demo_bot.say(ADMIN, "/tonghop năm ngoái")
    assert replies[0].text == t("status.bad_year", "vi", value="năm ngoái", command="tonghop", example=2025)


async def test_a_ward_of_3200_cells_gets_its_report_in_one_message(
    sqlite_db: Database, local_bot: LocalBot
) -> None:
    async with sqlite_db.write() as session:
        committee_id, _ = await upsert_committee(session, "Đảng bộ phường Lớn", "Tỉnh ủy Thái Nguyên")
        await session.execute(insert(Cell), [
            {"committee_id": committee_id, "name": f"Chi bộ tổ {n}", "kind": "residential", "active": True}
            for n in range(1, 3201)])
        await session.execute(insert(YearQuota),
                              [{"committee_id": committee_id, "year": 2026, "quota": 3000}])
        await upsert_user(session, channel=local_bot.channel,
                          external_id=sample_external_id(local_bot.channel, 900001),
                          chat_id=sample_external_id(local_bot.channel, 900001), display_name="Văn phòng",
                          role=Role.ADMIN, cell_id=None, cell_ids=frozenset())
    local_bot.add_user(900001, "Văn phòng")
    replies = await local_bot.say(900001, "/tonghop")
    assert len(replies) == 1
    text = replies[0].text or ""
    assert len(text) < 2000  # Zalo's limit for one message
    assert ("Từ đầu năm 2026 đến ngày 28/11/2026, Đảng bộ chưa kết nạp được đảng viên nào "
            "(chỉ tiêu Tỉnh ủy Thái Nguyên giao: 3000)") in text
    assert "Có 0/3200 chi bộ đạt chỉ tiêu; 3200 chi bộ chưa đạt" in text
    assert t("report.more_behind", "vi", n=3200 - 5) in text
    assert "Chưa báo cáo sinh hoạt tháng 10/2026: 3200 chi bộ" in text


async def test_one_update_looks_the_user_up_once(demo_bot: LocalBot, sqlite_db: Database) -> None:
    """The gate and the handler both ask who is speaking; the database is asked once per update
    (it was asked twice). A later update asks again: roles can change between updates."""
    lookups: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "FROM users" in statement and "users.external_id" in statement:
            lookups.append(statement)

    event.listen(sqlite_db.engine.sync_engine, "before_cursor_execute", seen)
    try:
        replies = await demo_bot.say(SECRETARY, "/tiendo")
        assert (replies[0].text or "").startswith(t("status.header", "vi", cell="Chi bộ tổ 16", year=2026))
        assert len(lookups) == 1
        await demo_bot.say(SECRETARY, "/tiendo")
        assert len(lookups) == 2
    finally:
        event.remove(sqlite_db.engine.sync_engine, "before_cursor_execute", seen)


async def test_a_year_before_the_first_recorded_admission_is_refused_not_reported_as_none(
    demo_bot: LocalBot,
) -> None:
    # The demo's first admission decision is from 2022. Before it the member list still shows people
    # admitted (their admission dates), so a report of 2021 would say "chưa kết nạp được đảng viên
    # nào" above "tăng 31 … (kết nạp 31)": the bot says it has no admissions recorded that year.
    asked = ((ADMIN, "/tonghop 2021", "tonghop", 2021), (SECRETARY, "/tiendo 2015", "tiendo", 2015),
             (ADMIN, "/tiendo Tổ 16 2021", "tiendo", 2021), (COMMITTEE, "/tiendo 2000", "tiendo", 2000))
    for who, typed, command, year in asked:
        replies = await demo_bot.say(who, typed)
        assert _text(replies) == t("status.before_records", "vi", year=year, first=2022, command=command)
    # The first year with records is reported.
    assert _text(await demo_bot.say(ADMIN, "/tonghop 2022")).startswith("📋 Đảng bộ phường")


async def test_a_cell_named_by_its_number_alone_is_that_cell_not_a_bad_year(demo_bot: LocalBot) -> None:
    # A committee member types "/tiendo 16" for Tổ 16 (and "/tiendo 16 2023" for its 2023): a
    # number of fewer than four digits is a residential group, not a year.
    drill = _text(await demo_bot.say(COMMITTEE, "/tiendo 16"))
    assert drill.startswith(t("status.header", "vi", cell="Chi bộ tổ 16", year=2026)), drill
    past = _text(await demo_bot.say(ADMIN, "/tiendo 16 2023"))
    assert "Đảng viên cuối năm 2023: 119, tăng 2" in past, past
    other = await demo_bot.say(COMMITTEE, "/tiendo 3")
    assert other[0].text == t("status.unknown_cell", "vi", value="3", example=2025)


async def test_early_in_a_quarter_the_report_judges_committee_attendance_on_the_quarter_just_over(
    demo_bot: LocalBot,
) -> None:
    # On 5 January nobody can have attended a cell's meeting of the new quarter yet: listing every
    # committee member as absent "quý 1/2027" is noise. The quarter just over is the one to judge.
    demo_bot.clock.now = datetime(2027, 1, 5, 3, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    text = _text(await demo_bot.say(COMMITTEE, "/tonghop"))
    current = text.split(t("report.current_header", "vi"))[1]
    assert "quý 1/2027" not in current, current
    assert "chưa dự sinh hoạt chi bộ phụ trách quý 4/2026" in current, current
