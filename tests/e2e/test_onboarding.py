"""Registration and access, end to end through the real Application and the emulator."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import build_application, start_webhook, stop
from bot.config import Settings, WebhookSettings
from bot.domain.channels import TELEGRAM
from bot.domain.invites import format_code
from bot.domain.roles import Role
from bot.handlers.menu import commands_for
from bot.runtime import Runtime
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.local import LocalBot, ManualClock
from bot.services.onboarding import create_invite
from bot.store.db import Database
from bot.store.models import Invite, User
from bot.texts import t

SECRETARY, OTHER, STRANGER, ADMIN = 1001, 1002, 1003, 1004


async def _invite(db: Database, clock: ManualClock, role: Role = Role.SECRETARY,
                  cells: list[str] | None = None) -> str:
    created = await create_invite(db, Settings(), role=role, cell_names_=cells if cells is not None else
                                  ["Chi bộ tổ 16"], now=clock(), actor_label="test")
    return created.code


async def _user_count(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def test_secretary_registers_with_a_code_and_gets_a_menu(
    local_bot: LocalBot, small_ward: dict[str, int], clock: ManualClock
) -> None:
    code = await _invite(local_bot.db, clock)
    local_bot.add_user(SECRETARY, "Nguyễn Văn Hùng")
    replies = await local_bot.say(SECRETARY, f"/start {code}")
    # Telegram shows "first last" (the emulator's user is Hùng / Nguyễn Văn); Zalo its display name.
    name = "Hùng Nguyễn Văn" if local_bot.channel == TELEGRAM else "Nguyễn Văn Hùng"
    assert [m.text for m in replies] == [t("greet.secretary", "vi", name=name, cell="Chi bộ tổ 16")]
    if local_bot.channel == TELEGRAM:  # Zalo has no command menu
        menu = local_bot.emulator.commands_for_chat(SECRETARY)
        assert menu == [(c.command, c.description) for c in commands_for(Role.SECRETARY, "vi")]
    again = await local_bot.say(SECRETARY, "/start")
    assert "Chi bộ tổ 16" in (again[0].text or "")


async def test_code_pasted_without_start_and_typed_loosely_works(
    local_bot: LocalBot, small_ward: dict[str, int], clock: ManualClock
) -> None:
    code = await _invite(local_bot.db, clock)
    local_bot.add_user(SECRETARY, "Hùng")
    replies = await local_bot.say(SECRETARY, format_code(code).lower())
    assert replies[0].text == t("greet.secretary", "vi", name="Hùng", cell="Chi bộ tổ 16")


async def test_stranger_gets_told_how_to_join_and_nothing_else(
    local_bot: LocalBot, small_ward: dict[str, int]
) -> None:
    local_bot.add_user(STRANGER, "Khách")
    expected = t("stranger", "vi", committee="Đảng bộ phường Hoàng Văn Thụ")
    for text in ("xin chào", "/tiendo", "/start", "/moi"):
        replies = await local_bot.say(STRANGER, text)
        assert [m.text for m in replies] == [expected], text
    local_bot.emulator.send_sticker(STRANGER)
    await local_bot.settle()
    assert [m.text for m in local_bot.emulator.new_messages(STRANGER)] == [expected]
    if local_bot.channel == TELEGRAM:  # a forged button: Zalo has no button data to forge
        replies = await local_bot.press_data(STRANGER, "inv:r:admin")
        assert [m.text for m in replies] == [expected]
    assert await _user_count(local_bot.db) == 0


async def test_used_expired_and_wrong_codes_say_which(
    local_bot: LocalBot, small_ward: dict[str, int], clock: ManualClock
) -> None:
    code = await _invite(local_bot.db, clock)
    local_bot.add_user(SECRETARY, "Hùng")
    local_bot.add_user(OTHER, "Lan")
    await local_bot.say(SECRETARY, f"/start {code}")
    used = await local_bot.say(OTHER, f"/start {code}")
    assert used[0].text == t("invite.error.invite_used", "vi")
    wrong = await local_bot.say(OTHER, "/start ACDEF-GHJKX")
    assert wrong[0].text == t("invite.error.invite_unknown", "vi", code="ACDEF-GHJKX")
    late = await _invite(local_bot.db, clock)
    clock.now += timedelta(days=8)
    expired = await local_bot.say(OTHER, f"/start {late}")
    assert expired[0].text == t("invite.error.invite_expired", "vi", date="05/12/2026")
    assert await _user_count(local_bot.db) == 1


async def test_new_secretary_replaces_the_old_one(
    local_bot: LocalBot, small_ward: dict[str, int], clock: ManualClock
) -> None:
    local_bot.add_user(SECRETARY, "Hùng")
    local_bot.add_user(OTHER, "Lan")
    await local_bot.say(SECRETARY, f"/start {await _invite(local_bot.db, clock)}")
    await local_bot.say(OTHER, f"/start {await _invite(local_bot.db, clock)}")
    notice = local_bot.emulator.new_messages(SECRETARY)
    assert [m.text for m in notice] == [t("replaced_notice", "vi", cell="Chi bộ tổ 16")]
    if local_bot.channel == TELEGRAM:
        assert local_bot.emulator.commands_for_chat(SECRETARY) == []
    after = await local_bot.say(SECRETARY, "/tiendo")
    assert after[0].text == t("stranger", "vi", committee="Đảng bộ phường Hoàng Văn Thụ")


async def _admin_chooses_secretary(local_bot: LocalBot, clock: ManualClock) -> None:
    """An admin registers, sends /moi and picks "secretary" (the cell question comes next)."""
    local_bot.add_user(ADMIN, "Văn phòng")
    await local_bot.say(ADMIN, f"/start {await _invite(local_bot.db, clock, Role.ADMIN, [])}")
    await local_bot.say(ADMIN, "/moi")
    await local_bot.press(ADMIN, t("role.secretary", "vi"))


async def test_admin_creates_an_invite_in_chat_and_a_forged_button_does_nothing(
    local_bot: LocalBot, small_ward: dict[str, int], clock: ManualClock
) -> None:
    await _admin_chooses_secretary(local_bot, clock)
    replies = await local_bot.press(ADMIN, "Chi bộ tổ 3")
    assert replies[0].text is not None and "Chi bộ tổ 3" in replies[0].text
    code = replies[0].text.split(": ", 1)[1].split()[0]  # "Mã mời cho …: ABCDE-FGHJK"
    how = ("Trên Telegram: mở liên kết https://t.me/" if local_bot.channel == TELEGRAM
           else "Trên Zalo: nhắn mã")
    assert how in replies[0].text
    local_bot.add_user(OTHER, "Lan")
    greeting = await local_bot.say(OTHER, f"/start {code}")
    assert greeting[0].text == t("greet.secretary", "vi", name="Lan", cell="Chi bộ tổ 3")
    async with local_bot.db.read() as session:
        before = await session.scalar(select(func.count()).select_from(Invite))
    if local_bot.channel == TELEGRAM:  # a forged button: Zalo has no button data to forge
        forged = await local_bot.press_data(OTHER, "inv:r:admin")
        assert forged[0].text == t("error.admin_only", "vi")
    else:  # what a Zalo user can do: type the old choice's number; it is plain text to them
        assert [m.text for m in await local_bot.say(OTHER, "2")] == [t("free_text_hint", "vi")]
    async with local_bot.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Invite)) == before


async def test_admin_invites_a_committee_member_for_several_cells_going_back_once(
    local_bot: LocalBot, small_ward: dict[str, int], clock: ManualClock
) -> None:
    await _admin_chooses_secretary(local_bot, clock)
    assert [m.text for m in await local_bot.press(ADMIN, t("button.back", "vi"))] == [
        t("invite.choose_role", "vi")]
    await local_bot.press(ADMIN, t("role.committee", "vi"))
    await local_bot.press(ADMIN, "Chi bộ tổ 3")
    await local_bot.press(ADMIN, "Chi bộ tổ 5")
    replies = await local_bot.press(ADMIN, t("button.done", "vi"))
    text = replies[-1].text or ""
    assert "Chi bộ tổ 3" in text and "Chi bộ tổ 5" in text and "Chi bộ tổ 16" not in text
    code = text.split(": ", 1)[1].split()[0]
    local_bot.add_user(OTHER, "Lan")
    greeting = await local_bot.say(OTHER, f"/start {code}")
    assert greeting[0].text == t("greet.committee", "vi", name="Lan", cells="Chi bộ tổ 3, Chi bộ tổ 5")


async def test_group_chats_and_huge_messages_are_refused(
    local_bot: LocalBot, small_ward: dict[str, int], clock: ManualClock
) -> None:
    local_bot.add_user(SECRETARY, "Hùng")
    await local_bot.say(SECRETARY, f"/start {await _invite(local_bot.db, clock)}")
    local_bot.emulator.add_group(-100200, "Chi bộ tổ 16 (Zalo cũ)")
    local_bot.emulator.send_text(SECRETARY, "/tiendo", chat_id=-100200)
    await local_bot.settle()
    assert [m.text for m in local_bot.emulator.new_messages(-100200)] == [t("private_only", "vi")]
    huge = await local_bot.say(SECRETARY, "a" * 5000)
    assert huge[0].text == t("error.too_long", "vi", length=5000, limit=1000)


async def test_the_token_never_reaches_the_logs(
    sqlite_db: Database, small_ward: dict[str, int], clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    token = "987654321:SECRET-token-that-must-never-be-logged"
    caplog.set_level(logging.DEBUG)  # the noisiest setting: httpx and PTB log URLs and updates here
    async with LocalBot(Settings(), sqlite_db, clock=clock, token=token) as bot:
        bot.add_user(SECRETARY, "Hùng")
        await bot.say(SECRETARY, f"/start {await _invite(sqlite_db, clock)}")
        await bot.say(SECRETARY, "/tiendo")
    assert any("getUpdates" in r.getMessage() or "sendMessage" in r.getMessage() for r in caplog.records), \
        "the test must see request logs, or it proves nothing"
    assert token not in caplog.text
    assert token.split(":")[1] not in caplog.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_webhook_refuses_requests_without_the_secret(
    sqlite_db: Database, small_ward: dict[str, int], clock: ManualClock
) -> None:
    port = _free_port()
    settings = Settings(webhook=WebhookSettings(listen="127.0.0.1", port=port, url_path="hook",
                                                public_url=f"http://127.0.0.1:{port}/hook"))
    secret = "webhook-secret_123"
    async with BotApiEmulator(token="1:WEBHOOK") as emu:
        app = build_application(Runtime(settings, sqlite_db, clock), "1:WEBHOOK",
                                base_url=emu.base_url, base_file_url=emu.base_file_url)
        await start_webhook(app, settings, secret)
        try:
            assert emu.webhook is not None and emu.webhook.secret_token == secret
            emu.add_user(STRANGER, "Khách")
            update = emu.send_text(STRANGER, "xin chào")
            assert await emu.deliver_via_webhook(update, secret_token="wrong") == 403
            assert await emu.deliver_via_webhook(update, secret_token=None) == 403
            assert await emu.deliver_via_webhook(update) == 200
            await emu.wait_for_messages(STRANGER)
            await emu.wait_idle()
            # One reply: the two refused deliveries never reached a handler.
            assert [m.text for m in emu.messages(STRANGER)] == [
                t("stranger", "vi", committee="Đảng bộ phường Hoàng Văn Thụ")]
        finally:
            await stop(app)


@pytest.mark.telegram_only  # Zalo has no command menu
async def test_registered_people_get_their_role_menu_at_start_up(demo_bot: LocalBot) -> None:
    from bot.demo.ward import DEMO_USERS

    await demo_bot.emulator.wait_until(
        lambda: bool(demo_bot.emulator.commands_for_chat(DEMO_USERS["admin"])), timeout=10,
        what="the admin's menu")
    for role in (Role.SECRETARY, Role.COMMITTEE, Role.ADMIN):
        expected = [(c.command, c.description) for c in commands_for(role, "vi")]
        await demo_bot.emulator.wait_until(
            lambda r=role, e=expected: demo_bot.emulator.commands_for_chat(DEMO_USERS[r.value]) == e,
            timeout=10, what=f"the {role.value} menu")


async def test_a_flow_left_over_a_restart_expires_instead_of_blocking_commands(demo_bot: LocalBot) -> None:
    """A restart loses PTB's idle timers; a flow older than the idle limit must not linger."""
    from datetime import timedelta as _td

    from bot.demo.ward import DEMO_USERS

    secretary = DEMO_USERS["secretary"]
    await demo_bot.say(secretary, "/sinhhoat")
    await demo_bot.restart()  # stopping saves the flow as it was
    demo_bot.clock.now += _td(hours=1)  # type: ignore[attr-defined]  # down far past the idle limit
    await demo_bot.restart()
    replies = await demo_bot.say(secretary, "/tiendo")
    assert replies[0].text is not None and replies[0].text.startswith("📊 Chi bộ tổ 16")


async def test_a_flow_restored_after_a_restart_still_expires_when_answered_late(demo_bot: LocalBot) -> None:
    from datetime import timedelta as _td

    from bot.demo.ward import DEMO_USERS
    from bot.texts import t as _t

    secretary = DEMO_USERS["secretary"]
    await demo_bot.say(secretary, "/ungvien")
    await demo_bot.restart()  # the conversation comes back, but PTB's idle timer does not
    demo_bot.clock.now += _td(minutes=30)  # type: ignore[attr-defined]
    late = await demo_bot.say(secretary, "Nguyễn Thị Mai")
    assert [m.text for m in late] == [_t("flow.expired", "vi", minutes=20)]
    progress = await demo_bot.say(secretary, "/tiendo")  # and nothing blocks the next command
    assert (progress[0].text or "").startswith("📊 Chi bộ tổ 16")
