"""One deployment for a province, through the real bot on both channels: the demo province with
three wards (`chibo demo --wards 3`). Each ward's people see only their own ward (/tonghop,
/tiendo, /moi, /chitieu, even with a forged button); the province sees every ward, behind first,
in one message, opens one, and sets a ward's yearly quota."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.demo.ward import DEMO_PROVINCE_ID, DEMO_USERS, OTHER_WARD_NAMES, WARD_ID_STEP, WARD_NAME
from bot.domain.channels import TELEGRAM
from bot.sandbox.local import LocalBot
from bot.store.db import Database
from bot.store.models import Cell, Committee, Invite, YearQuota
from bot.texts import t
from tests.conftest import load_demo_ward
from tests.e2e.conftest import IDLE, START, make_bot

ADMIN, COMMITTEE, SECRETARY = DEMO_USERS["admin"], DEMO_USERS["committee"], DEMO_USERS["secretary"]
ADMIN_2 = ADMIN + WARD_ID_STEP  # the office of the second ward (Phan Đình Phùng)
SECRETARY_2 = SECRETARY + WARD_ID_STEP
WARD_2, WARD_3 = OTHER_WARD_NAMES[0], OTHER_WARD_NAMES[1]


@pytest.fixture
async def province_bot(sqlite_db: Database, clock, channel: str) -> AsyncIterator[LocalBot]:  # type: ignore[no-untyped-def]
    await load_demo_ward(sqlite_db, today=START.date(), channel=channel, wards=3)
    bot = make_bot(channel, Settings(), sqlite_db, clock=clock, idle_seconds=IDLE)
    await bot.start()
    for user_id, name in ((ADMIN, "Văn phòng Đảng ủy"), (COMMITTEE, "Nguyễn Minh Đức"),
                          (SECRETARY, "Trần Văn Bình"), (ADMIN_2, "Văn phòng Đảng ủy"),
                          (SECRETARY_2, "Bí thư tổ 16"), (DEMO_PROVINCE_ID, "Ban Tổ chức Thành ủy")):
        bot.add_user(user_id, name)
    try:
        yield bot
    finally:
        await bot.stop()


def _text(replies: list) -> str:  # type: ignore[type-arg]
    return "\n".join(m.text or "" for m in replies)


async def _ward_id(db: Database, name: str) -> int:
    async with db.read() as session:
        found = await session.scalar(select(Committee.id).where(Committee.name == name))
    assert found is not None
    return int(found)


async def _cell_id(db: Database, ward: str, cell: str) -> int:
    async with db.read() as session:
        found = await session.scalar(select(Cell.id).join(Committee, Committee.id == Cell.committee_id)
                                     .where(Committee.name == ward, Cell.name == cell))
    assert found is not None
    return int(found)


async def test_each_wards_admin_and_secretary_see_only_their_own_ward(province_bot: LocalBot) -> None:
    first = _text(await province_bot.say(ADMIN, "/tonghop 2023"))
    assert first.startswith(t("report.header", "vi", committee=WARD_NAME, year=2023))
    # The seed's ward keeps the seed's figures among three wards.
    assert ("Năm 2023, Đảng bộ kết nạp được 45 đảng viên, đạt 104,65 % chỉ tiêu Thành ủy giao "
            "(vượt 4,65 %), bằng 375 % so với cùng kỳ năm 2022 (12 đảng viên).") in first
    second = _text(await province_bot.say(ADMIN_2, "/tonghop 2023"))
    assert second.startswith(t("report.header", "vi", committee=WARD_2, year=2023))
    assert WARD_NAME not in second and WARD_3 not in second
    # The same cell name in two wards: each secretary reads their own cell's figures.
    mine = _text(await province_bot.say(SECRETARY, "/tiendo 2023"))
    theirs = _text(await province_bot.say(SECRETARY_2, "/tiendo 2023"))
    assert "Đảng viên cuối năm 2023: 119, tăng 2 so với cuối năm 2022" in mine
    assert mine != theirs


async def test_a_forged_button_for_another_wards_cell_shows_nothing_of_it(
    province_bot: LocalBot, channel: str
) -> None:
    if channel == TELEGRAM:  # (Zalo's numbered choices are kept by the bot: nothing to forge)
        other = await _cell_id(province_bot.db, WARD_NAME, "Chi bộ tổ 16")
        await province_bot.say(ADMIN_2, "/tonghop")  # any message of theirs to press under
        replies = await province_bot.press_data(ADMIN_2, f"td:{other}:2023")
        text = _text(replies)
        assert "119" not in text and t("error.other_cell", "vi") in text
        # /dangvien: the other ward's cell is not one the admin may pick.
        await province_bot.say(ADMIN_2, "/dangvien")
        picked = _text(await province_bot.press_data(ADMIN_2, f"dv:c:{other}"))
        assert t("error.stale_button", "vi") in picked
        await province_bot.say(ADMIN_2, "/huy")
    # An admin naming a cell gets their own ward's cell of that name, never the other ward's.
    own = _text(await province_bot.say(ADMIN_2, "/tiendo Tổ 16 2023"))
    first = _text(await province_bot.say(ADMIN, "/tiendo Tổ 16 2023"))
    assert "Đảng viên cuối năm 2023: 119, tăng 2" in first and own != first


async def test_an_invite_made_in_a_ward_joins_that_ward_and_cannot_take_another_wards_cell(
    province_bot: LocalBot, channel: str
) -> None:
    other = await _cell_id(province_bot.db, WARD_NAME, "Chi bộ tổ 16")
    await province_bot.say(ADMIN_2, "/moi")
    await province_bot.press(ADMIN_2, t("role.secretary", "vi"))
    if channel == TELEGRAM:
        refused = _text(await province_bot.press_data(ADMIN_2, f"inv:c:{other}"))
        assert t("invite.error.unknown_cell", "vi", value=other) in refused
    await province_bot.press(ADMIN_2, "Chi bộ tổ 1")
    async with province_bot.db.read() as session:
        invites = list(await session.execute(select(Invite.committee_id, Invite.cell_id)))
    ward_2, own = (await _ward_id(province_bot.db, WARD_2),
                   await _cell_id(province_bot.db, WARD_2, "Chi bộ tổ 1"))
    assert [tuple(i) for i in invites] == [(ward_2, own)]


async def test_the_province_sees_every_ward_behind_first_and_opens_one(province_bot: LocalBot) -> None:
    # Ward 3 falls furthest behind: the province asks far more of it for this year.
    await province_bot.say(ADMIN, "/tonghop")  # (nothing changes for the wards themselves)
    await province_bot.say(DEMO_PROVINCE_ID, "/chitieu")
    await province_bot.press(DEMO_PROVINCE_ID, "2026")
    await province_bot.say(DEMO_PROVINCE_ID, "Gia Sàng")
    await province_bot.say(DEMO_PROVINCE_ID, "500")
    saved = _text(await province_bot.press(DEMO_PROVINCE_ID, "Thành ủy Thái Nguyên giao"))
    assert t("ct.saved", "vi", target=WARD_3, year=2026, quota=500,
             set_by="Thành ủy Thái Nguyên giao") in saved
    async with province_bot.db.read() as session:
        quotas = list(await session.execute(
            select(Committee.name, YearQuota.quota).join(Committee, Committee.id == YearQuota.committee_id)
            .where(YearQuota.year == 2026)))
    assert (WARD_3, 500) in [tuple(q) for q in quotas]

    replies = await province_bot.say(DEMO_PROVINCE_ID, "/tonghop")
    assert len(replies) == 1
    text = replies[0].text or ""
    assert text.startswith(t("province.header", "vi", province="Thành ủy Thái Nguyên", wards=3, year=2026))
    lines = [line for line in text.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert len(lines) == 3 and lines[0].startswith(f"1. {WARD_3}: ") and "/500" in lines[0]
    assert {WARD_NAME, WARD_2} == {line.split(". ", 1)[1].split(":")[0] for line in lines[1:]}

    opened = _text(await province_bot.press(DEMO_PROVINCE_ID, WARD_NAME))
    assert opened.startswith(t("report.header", "vi", committee=WARD_NAME, year=2026))
    typed = _text(await province_bot.say(DEMO_PROVINCE_ID, "/tonghop Hoàng Văn Thụ 2023"))
    assert "đạt 104,65 % chỉ tiêu Thành ủy giao (vượt 4,65 %), bằng 375 %" in typed
    unknown = _text(await province_bot.say(DEMO_PROVINCE_ID, "/tonghop Bến Thành"))
    assert "Bến Thành" in unknown and WARD_2 in unknown
    cells = _text(await province_bot.say(DEMO_PROVINCE_ID, "/tiendo Tổ 16"))
    assert cells == t("province.use_tonghop", "vi")


async def test_a_ward_admin_cannot_open_another_ward_nor_plan_for_the_province(
    province_bot: LocalBot, channel: str
) -> None:
    if channel == TELEGRAM:
        ward_1 = await _ward_id(province_bot.db, WARD_NAME)
        await province_bot.say(ADMIN_2, "/tonghop")
        refused = _text(await province_bot.press_data(ADMIN_2, f"tw:{ward_1}:2023"))
        assert refused == t("error.province_only", "vi")
    # A ward admin naming another ward is answered about the year, never shown that ward.
    named = _text(await province_bot.say(ADMIN_2, f"/tonghop {WARD_NAME}"))
    assert "45 đảng viên" not in named and not named.startswith(
        t("report.header", "vi", committee=WARD_NAME, year=2026))
    # The ward admin's /chitieu plans their own ward only: the ward's own quota lands on it.
    await province_bot.say(ADMIN_2, "/chitieu")
    await province_bot.press(ADMIN_2, "2026")
    await province_bot.press(ADMIN_2, t("ct.ward", "vi"))
    await province_bot.say(ADMIN_2, "7")
    await province_bot.press(ADMIN_2, t("ct.ward_committee", "vi"))
    async with province_bot.db.read() as session:
        rows = list(await session.execute(
            select(Committee.name, YearQuota.quota).join(Committee, Committee.id == YearQuota.committee_id)
            .where(YearQuota.year == 2026)))
    assert [tuple(r) for r in rows if r[1] == 7] == [(WARD_2, 7)]


async def test_past_years_and_the_report_follow_each_users_own_ward(province_bot: LocalBot) -> None:
    """With several wards there is no "the" ward: the years on record and /baocao are the user's
    own ward's (both looked up "the only ward" before, which several wards do not have)."""
    past = _text(await province_bot.say(DEMO_PROVINCE_ID, "/tonghop 2023"))
    assert "đạt 104,65 %" in past  # each ward repeats the seed's 2023
    assert "1.712 đảng viên" in past  # thousands written as Vietnamese reports write them
    assert "Trợ lý chưa có số liệu" not in past
    before = _text(await province_bot.say(ADMIN_2, "/tonghop 2021"))
    assert before.startswith("Trợ lý chưa có số liệu kết nạp năm 2021")
    # The province's reports are its /tonghop; /baocao is a ward's (it said "chibo init" before).
    assert _text(await province_bot.say(DEMO_PROVINCE_ID, "/baocao 2023")) == t("province.use_tonghop", "vi")
    report = _text(await province_bot.say(ADMIN_2, "/baocao 2023"))
    assert "Năm 2023, Đảng bộ kết nạp được 45 đảng viên" in report
    assert WARD_NAME not in report  # the second ward's own report, not the first ward's
