"""/dangvien and /chitieu through the real bot on the demo ward, on Telegram and Zalo: a member
who died or transferred in changes the cell's members; the admin's quota is named in the reports;
bad input is explained and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.demo.ward import DEMO_USERS
from bot.sandbox.local import LocalBot
from bot.store.models import AuditLog, Candidate, Cell, CellQuota, Member
from bot.texts import t

ADMIN, COMMITTEE, SECRETARY = DEMO_USERS["admin"], DEMO_USERS["committee"], DEMO_USERS["secretary"]


def _text(replies: list) -> str:  # type: ignore[type-arg]
    return "\n".join(m.text or "" for m in replies)


async def _members_now(bot: LocalBot) -> str:
    text = _text(await bot.say(SECRETARY, "/tiendo"))
    return next(line for line in text.split("\n") if line.startswith("Đảng viên hiện nay"))


async def test_secretary_records_a_death_and_the_cell_counts_one_fewer(demo_bot: LocalBot) -> None:
    before = "Đảng viên hiện nay: 121, không tăng không giảm so với cuối năm 2025"
    assert (await _members_now(demo_bot)) == before
    await demo_bot.say(SECRETARY, "/dangvien")
    await demo_bot.press(SECRETARY, t("dv.kind.died", "vi"))
    found = await demo_bot.say(SECRETARY, "van binh")  # part of a name, even unaccented, narrows the list
    died = t("dv.kind.died", "vi")
    assert found[-1].text == t("dv.ask_member_found", "vi", kind=died, count=1, query="van binh")
    await demo_bot.press(SECRETARY, "Trần Văn Bình")
    future = await demo_bot.say(SECRETARY, "01/01/2027")  # refused: nothing saved
    assert future[0].text == t("dv.future_date", "vi", today="28/11/2026")
    summary = await demo_bot.say(SECRETARY, "20/11/2026")
    assert summary[-1].text == "Từ trần: đồng chí Trần Văn Bình, Chi bộ tổ 16, ngày 20/11/2026."
    saved = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert saved[-1].text == t("dv.saved", "vi", summary=summary[-1].text)
    assert (await _members_now(demo_bot)) == \
        "Đảng viên hiện nay: 120, giảm 1 so với cuối năm 2025 (từ trần 1)"
    async with demo_bot.db.read() as session:
        row = (await session.execute(select(Member.active, Member.left_how).where(
            Member.full_name == "Trần Văn Bình"))).one()
        audits = await session.scalar(select(func.count()).where(AuditLog.action == "member.leave"))
    assert tuple(row) == (False, "died") and audits == 1


async def test_transfer_in_adds_a_member_once(demo_bot: LocalBot) -> None:
    await demo_bot.say(SECRETARY, "/dangvien")
    await demo_bot.press(SECRETARY, t("dv.kind.transferred_in", "vi"))
    await demo_bot.say(SECRETARY, "Lê Thị Ngọc Ánh")
    await demo_bot.press(SECRETARY, t("dv.status.full", "vi"))
    bad = await demo_bot.say(SECRETARY, "hôm kia")
    assert bad[0].text == t("dv.bad_date", "vi", example="28/11/2026")
    await demo_bot.press(SECRETARY, t("button.today", "vi"))
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert (await _members_now(demo_bot)) == \
        "Đảng viên hiện nay: 122, tăng 1 so với cuối năm 2025 (chuyển đến 1)"
    # The same name again is refused: she is on the list already.
    await demo_bot.say(SECRETARY, "/dangvien")
    await demo_bot.press(SECRETARY, t("dv.kind.transferred_in", "vi"))
    await demo_bot.say(SECRETARY, "Lê Thị Ngọc Ánh")
    await demo_bot.press(SECRETARY, t("dv.status.full", "vi"))
    await demo_bot.press(SECRETARY, t("button.today", "vi"))
    again = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert t("dv.error.member.exists", "vi", name="Lê Thị Ngọc Ánh") in _text(again)
    async with demo_bot.db.read() as session:
        rows = await session.scalar(select(func.count()).where(Member.full_name == "Lê Thị Ngọc Ánh"))
    assert rows == 1


async def test_committee_member_cannot_record_moves_or_set_quotas(demo_bot: LocalBot) -> None:
    assert (await demo_bot.say(COMMITTEE, "/dangvien"))[0].text == t("dv.not_for_you", "vi")
    assert (await demo_bot.say(COMMITTEE, "/chitieu"))[0].text == t("error.admin_only", "vi")


async def test_admin_sets_a_cells_quota_and_the_reports_name_who_set_it(demo_bot: LocalBot) -> None:
    await demo_bot.say(ADMIN, "/chitieu")
    await demo_bot.press(ADMIN, "2026")
    asked = await demo_bot.say(ADMIN, "Tổ 16")
    assert "(Hiện nay: 1, Đảng ủy giao.)" in (asked[-1].text or "")
    refused = await demo_bot.say(ADMIN, "ba")
    assert refused[0].text == t("ct.bad_quota", "vi", value="ba", limit=999)
    await demo_bot.say(ADMIN, "3")
    saved = await demo_bot.say(ADMIN, "Ban Thường vụ Đảng ủy giao")  # typed, kept as typed
    assert saved[-1].text == t("ct.saved", "vi", target="Chi bộ tổ 16", year=2026, quota=3,
                               set_by="Ban Thường vụ Đảng ủy giao")
    text = _text(await demo_bot.say(ADMIN, "/tiendo Tổ 16"))
    assert "Kết nạp: 0/3 chỉ tiêu Ban Thường vụ Đảng ủy giao — chưa kết nạp được đảng viên nào" in text
    async with demo_bot.db.read() as session:
        quotas = await session.scalar(
            select(func.count()).where(CellQuota.year == 2026, CellQuota.quota == 3))
    assert quotas == 1


async def test_admin_sets_the_wards_quota_from_the_city(demo_bot: LocalBot) -> None:
    await demo_bot.say(ADMIN, "/chitieu")
    await demo_bot.press(ADMIN, "2026")
    await demo_bot.press(ADMIN, t("ct.ward", "vi"))
    await demo_bot.say(ADMIN, "50")
    await demo_bot.press(ADMIN, "Thành ủy Thái Nguyên giao")
    text = _text(await demo_bot.say(ADMIN, "/tonghop"))
    assert "chỉ tiêu Thành ủy Thái Nguyên giao, còn thiếu" in text


async def test_transfer_in_under_the_name_of_a_member_who_left_keeps_the_past_years(
    demo_bot: LocalBot,
) -> None:
    # Nguyễn Thúy My was struck off Tổ 16 on 25/04/2025. Someone of that name transferring in today
    # (a namesake, or she herself coming back) is a new stint: 2025's figures must not change,
    # and the old row's strike-off must stay recorded.
    before = _text(await demo_bot.say(SECRETARY, "/tiendo 2025"))
    assert "Đảng viên cuối năm 2025: 121," in before
    await demo_bot.say(SECRETARY, "/dangvien")
    await demo_bot.press(SECRETARY, t("dv.kind.transferred_in", "vi"))
    await demo_bot.say(SECRETARY, "Nguyễn Thúy My")
    await demo_bot.press(SECRETARY, t("dv.status.full", "vi"))
    await demo_bot.press(SECRETARY, t("button.today", "vi"))
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert _text(await demo_bot.say(SECRETARY, "/tiendo 2025")) == before
    assert (await _members_now(demo_bot)) == \
        "Đảng viên hiện nay: 122, tăng 1 so với cuối năm 2025 (chuyển đến 1)"
    async with demo_bot.db.read() as session:
        rows = (await session.execute(
            select(Member.active, Member.left_how, Member.left_on).join(Cell, Cell.id == Member.cell_id)
            .where(Cell.name == "Chi bộ tổ 16", Member.full_name.like("Nguyễn Thúy My%"))
            .order_by(Member.id))).all()
    assert [(a, how) for a, how, _ in rows] == [(False, "struck_off"), (True, "")]
    assert str(rows[0][2]) == "2025-04-25"


async def test_a_probationary_member_who_died_is_no_longer_followed_as_probationary(
    demo_bot: LocalBot,
) -> None:
    # Nguyễn Trọng Toàn, đảng viên dự bị since 16/12/2025, died: /tiendo must not list him among the
    # probationary members with a review to hold, and no reminder may ask about his probation.
    header = t("status.probationary_header", "vi", count=1)
    assert header in _text(await demo_bot.say(SECRETARY, "/tiendo"))
    await demo_bot.say(SECRETARY, "/dangvien")
    await demo_bot.press(SECRETARY, t("dv.kind.died", "vi"))
    await demo_bot.say(SECRETARY, "Trọng Toàn")
    await demo_bot.press(SECRETARY, "Nguyễn Trọng Toàn")
    await demo_bot.say(SECRETARY, "20/11/2026")
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    text = _text(await demo_bot.say(SECRETARY, "/tiendo"))
    assert "Đảng viên hiện nay: 120, giảm 1 so với cuối năm 2025 (từ trần 1)" in text
    assert header not in text and "Nguyễn Trọng Toàn" not in text, text
    async with demo_bot.db.read() as session:
        dropped = await session.scalar(select(Candidate.dropped_on).where(
            Candidate.full_name == "Nguyễn Trọng Toàn"))
    assert str(dropped) == "2026-11-20"
    assert "Nguyễn Trọng Toàn" not in _text(await demo_bot.say(SECRETARY, "/capnhat"))


async def test_a_date_before_joining_asks_the_date_again_not_the_summary(demo_bot: LocalBot) -> None:
    from datetime import date

    from sqlalchemy import update

    async with demo_bot.db.write() as session:
        await session.execute(update(Member).where(Member.full_name == "Trần Văn Bình")
                              .values(joined_on=date(2020, 8, 20)))
    await demo_bot.say(SECRETARY, "/dangvien")
    await demo_bot.press(SECRETARY, t("dv.kind.transferred_out", "vi"))
    await demo_bot.say(SECRETARY, "van binh")
    await demo_bot.press(SECRETARY, "Trần Văn Bình")
    await demo_bot.say(SECRETARY, "01/03/2019")
    refused = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert t("dv.error.before_joined", "vi", value="20/08/2020") in _text(refused)
    asked = t("dv.ask_date", "vi", kind=t("dv.kind.transferred_out", "vi"), name="Trần Văn Bình")
    assert refused[-1].text == asked  # straight back to the date, not the same summary again
    summary = await demo_bot.say(SECRETARY, "01/03/2026")
    assert "01/03/2026" in (summary[-1].text or "")
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    async with demo_bot.db.read() as session:
        row = (await session.execute(select(Member.left_on, Member.left_how).where(
            Member.full_name == "Trần Văn Bình"))).one()
    assert tuple(row) == (date(2026, 3, 1), "transferred_out")
