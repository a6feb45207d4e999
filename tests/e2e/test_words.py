"""Words as people read them in the chat, end to end on both channels: the ward office is greeted
as the office, and nothing addresses anyone as "bạn"."""

from __future__ import annotations

from bot.config import Settings
from bot.demo.ward import DEMO_USERS
from bot.domain.roles import Role
from bot.sandbox.local import LocalBot, ManualClock
from bot.services.onboarding import create_invite
from bot.texts import t

ADMIN, SECRETARY = DEMO_USERS["admin"], DEMO_USERS["secretary"]
NEW_ADMIN = 1004


async def test_the_ward_office_is_greeted_as_the_office(demo_bot: LocalBot) -> None:
    replies = await demo_bot.say(ADMIN, "/start")
    assert replies[0].text == "Chào Văn phòng Đảng ủy. Gõ /trogiup để xem các lệnh."
    assert all("đồng chí Văn phòng" not in (m.text or "") for m in replies)


async def test_a_new_administrator_is_welcomed_by_the_office_name(
    local_bot: LocalBot, small_ward: dict[str, int], clock: ManualClock
) -> None:
    created = await create_invite(local_bot.db, Settings(), role=Role.ADMIN, cell_names_=[], now=clock(),
                                  actor_label="test")
    local_bot.add_user(NEW_ADMIN, "Hà")
    [welcome] = await local_bot.say(NEW_ADMIN, f"/start {created.code}")
    assert welcome.text == t("greet.admin", "vi", person=" (đồng chí Hà)",
                             committee="Đảng bộ phường Hoàng Văn Thụ")
    assert (welcome.text or "").startswith("Chào Văn phòng Đảng ủy (đồng chí Hà)! ")


async def test_refusals_and_stray_text_say_đồng_chí(demo_bot: LocalBot) -> None:
    [stray] = await demo_bot.say(SECRETARY, "xin chào")
    [unknown] = await demo_bot.say(SECRETARY, "/xyz")
    for text in (stray.text or "", unknown.text or ""):
        assert "đồng chí" in text and "bạn" not in text.casefold()
