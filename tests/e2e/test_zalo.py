"""What only Zalo has: repeated updates, its webhook header, 2,000-character messages, typed numbers
for buttons, its error replies, and people on both channels at once. (Every conversation test also
runs on Zalo through the `channel` fixture; these are the Zalo-specific cases.)"""

from __future__ import annotations

import logging
import socket

import pytest
from sqlalchemy import func, select
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.app import build_application, share_bots, stop
from bot.channels.zalo_render import TEXT_LIMIT
from bot.config import Settings, ZaloSettings
from bot.demo.ward import DEMO_USERS
from bot.domain.channels import TELEGRAM, ZALO, sample_external_id
from bot.domain.roles import Role
from bot.runner import start_zalo_webhook
from bot.runtime import Runtime
from bot.sandbox.local import LocalBot, ManualClock
from bot.sandbox.zalo_emulator import ZaloEmulator
from bot.sandbox.zalo_local import ZaloLocalBot
from bot.services.onboarding import create_invite
from bot.store.db import Database
from bot.store.models import Candidate, User
from bot.texts import t
from tests.conftest import load_demo_ward

SECRETARY = DEMO_USERS["secretary"]
STRANGER = 1003


async def _candidates(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Candidate)) or 0)


@pytest.fixture
async def zalo_bot(sqlite_db: Database, clock: ManualClock) -> ZaloLocalBot:
    from bot.demo.ward import demo_display_name

    await load_demo_ward(sqlite_db, today=clock().date(), channel=ZALO)
    bot = ZaloLocalBot(Settings(), sqlite_db, clock=clock, idle_seconds=600)
    await bot.start()
    bot.add_user(SECRETARY, demo_display_name("secretary"))
    yield bot  # type: ignore[misc]
    await bot.stop()


async def test_a_repeated_update_is_handled_once(zalo_bot: ZaloLocalBot) -> None:
    await zalo_bot.say(SECRETARY, "/ungvien")
    zalo_bot.zalo.repeat_next_update(times=2)  # Zalo hands the same event out three times
    replies = await zalo_bot.say(SECRETARY, "Nguyễn Thị Mai")
    assert [m.text for m in replies] == [t("uv.ask.birth", "vi", name="Nguyễn Thị Mai")]
    # The same for a typed choice: "Lưu" delivered twice saves once.
    await zalo_bot.say(SECRETARY, "1998")
    await zalo_bot.press(SECRETARY, t("gender.female", "vi"))
    await zalo_bot.press(SECRETARY, t("background.worker", "vi"))
    await zalo_bot.press(SECRETARY, t("button.today", "vi"))
    summary = await zalo_bot.press(SECRETARY, t("button.skip", "vi"))
    before = await _candidates(zalo_bot.db)
    zalo_bot.zalo.repeat_next_update()
    saved = await zalo_bot.press(SECRETARY, t("button.save", "vi"), summary[-1])
    assert len(saved) == 1 and (saved[0].text or "").startswith("✅")
    assert await _candidates(zalo_bot.db) == before + 1


async def test_typing_the_save_number_twice_saves_once(zalo_bot: ZaloLocalBot) -> None:
    await zalo_bot.say(SECRETARY, "/ungvien")
    await zalo_bot.say(SECRETARY, "Trần Văn Khải")
    await zalo_bot.say(SECRETARY, "1998")
    await zalo_bot.press(SECRETARY, t("gender.male", "vi"))
    await zalo_bot.press(SECRETARY, t("background.worker", "vi"))
    await zalo_bot.press(SECRETARY, t("button.today", "vi"))
    summary = (await zalo_bot.press(SECRETARY, t("button.skip", "vi")))[-1]
    before = await _candidates(zalo_bot.db)
    replies = await zalo_bot.double_tap(SECRETARY, t("button.save", "vi"), summary)
    assert (replies[0].text or "").startswith("✅")
    assert [m.text for m in replies[1:]] in (
        [t("error.stale_button", "vi")], [t("free_text_hint", "vi")])
    assert await _candidates(zalo_bot.db) == before + 1


async def test_a_stale_or_wrong_number_is_answered_with_the_current_question(zalo_bot: ZaloLocalBot) -> None:
    await zalo_bot.say(SECRETARY, "/ungvien")
    await zalo_bot.say(SECRETARY, "Nguyễn Thị Mai")
    [gender] = await zalo_bot.say(SECRETARY, "12/3/1998")
    assert gender.button_texts[:2] == [t("gender.male", "vi"), t("gender.female", "vi")]
    replies = await zalo_bot.say(SECRETARY, "9")  # there is no choice 9: not a button, and not an answer
    assert [m.text for m in replies] == [
        t("flow.type_number", "vi", choices="1 (Nam), 2 (Nữ), 3 (Quay lại), 4 (Hủy)"), gender.text]
    assert replies[-1].button_texts == gender.button_texts  # the same choices, still numbered
    await zalo_bot.say(SECRETARY, "/huy")
    assert [m.text for m in await zalo_bot.say(SECRETARY, "1")] == [t("free_text_hint", "vi")]


async def test_choices_survive_a_restart(zalo_bot: ZaloLocalBot) -> None:
    await zalo_bot.say(SECRETARY, "/ungvien")
    await zalo_bot.say(SECRETARY, "Nguyễn Thị Mai")
    await zalo_bot.say(SECRETARY, "12/3/1998")
    await zalo_bot.restart()  # the numbers under the last question are remembered in the database
    replies = await zalo_bot.say(SECRETARY, "2")
    assert [m.text for m in replies] == [t("uv.ask.background", "vi", name="Nguyễn Thị Mai")]


async def test_a_long_reply_arrives_in_pieces_of_at_most_2000_characters(zalo_bot: ZaloLocalBot) -> None:
    assert zalo_bot.app is not None
    lines = [f"• Chi bộ số {i}: " + "đạt chỉ tiêu " * 8 for i in range(50)]
    text = "\n".join(lines)
    assert len(text) > 5000
    zalo_bot.zalo.mark_seen(zalo_bot.zalo_id(SECRETARY))
    await zalo_bot.app.bot.send_message(zalo_bot.zalo_id(SECRETARY), text)
    pieces = [m.text for m in zalo_bot.zalo.new_messages(zalo_bot.zalo_id(SECRETARY))]
    assert len(pieces) >= 3 and all(len(p) <= TEXT_LIMIT for p in pieces)
    assert "\n".join(pieces) == text  # cut at line breaks only


async def test_zalo_refusals_become_the_errors_the_rest_of_the_bot_handles(zalo_bot: ZaloLocalBot) -> None:
    assert zalo_bot.app is not None
    bot, emulator, chat = zalo_bot.app.bot, zalo_bot.zalo, zalo_bot.zalo_id(SECRETARY)
    emulator.inject_fault("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter) as waited:
        await bot.send_message(chat, "x")
    assert waited.value.retry_after in (7, 7.0) or getattr(waited.value.retry_after, "seconds", 0) == 7
    emulator.inject_fault("sendMessage", 502)
    with pytest.raises(NetworkError):
        await bot.send_message(chat, "x")
    emulator.block_user(chat)
    with pytest.raises(Forbidden):
        await bot.send_message(chat, "x")
    with pytest.raises(BadRequest):
        await bot.send_message(sample_external_id(ZALO, 424242), "nobody")  # unknown chat
    with pytest.raises(BadRequest):  # Zalo cannot upload files
        await bot.send_document(chat, b"%PDF", filename="a.pdf")
    assert await bot.set_my_commands([("tiendo", "x")]) is True  # no menus on Zalo: a no-op


async def test_the_webhook_refuses_a_missing_or_wrong_secret_and_handles_a_right_one_once(
    sqlite_db: Database, small_ward: dict[str, int], clock: ManualClock,
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings(zalo=ZaloSettings(webhook_port=port, webhook_url_path="zalo",
                                          webhook_public_url=f"http://127.0.0.1:{port}/zalo"))
    secret = "zalo-webhook-secret-123"
    async with ZaloEmulatorRunning() as emulator:
        app = build_application(Runtime(settings, sqlite_db, clock), emulator.token, channel=ZALO,
                                base_url=emulator.base_url, schedule_jobs=False)
        server = await start_zalo_webhook(app, settings, secret)
        try:
            assert emulator.webhook is not None and emulator.webhook.secret_token == secret
            stranger = sample_external_id(ZALO, STRANGER)
            emulator.add_user(stranger, "Khách")
            event = emulator._event(stranger, "message.text.received", text="xin chào")
            assert await emulator.deliver_via_webhook(event, secret_token="wrong-secret") == 403
            assert await emulator.deliver_via_webhook(event, secret_token=None) == 403
            assert await emulator.deliver_via_webhook(event) == 200
            assert await emulator.deliver_via_webhook(event) == 200  # delivered again: handled once
            await emulator.wait_until(lambda: bool(emulator.messages(stranger)), timeout=10)
            await emulator.wait_idle(quiet=0.3)
            assert [m.text for m in emulator.messages(stranger)] == [
                t("stranger", "vi", committee="Đảng bộ phường Hoàng Văn Thụ")]
            # getUpdates is refused while a webhook is set, as on Zalo.
            assert emulator.calls_of("getUpdates") == []
        finally:
            await server.stop()
            await stop(app)


class ZaloEmulatorRunning:
    async def __aenter__(self) -> ZaloEmulator:
        self.emulator = ZaloEmulator()
        return await self.emulator.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.emulator.stop()


async def test_the_token_never_reaches_the_logs_on_zalo(
    sqlite_db: Database, small_ward: dict[str, int], clock: ManualClock, caplog: pytest.LogCaptureFixture,
) -> None:
    token = "555666777:ZALO-secret-that-must-never-be-logged"
    caplog.set_level(logging.DEBUG)
    async with ZaloLocalBot(Settings(), sqlite_db, clock=clock, token=token) as bot:
        await bot.say(STRANGER, "xin chào")
        await bot.say(STRANGER, "/start ACDEF-GHJKM")
    assert any("zalo" in r.getMessage().lower() or "getUpdates" in r.getMessage() or "HTTP" in r.getMessage()
               for r in caplog.records), "the test must see request logs, or it proves nothing"
    assert token not in caplog.text and token.split(":")[1] not in caplog.text


async def test_a_secretary_on_telegram_replaced_by_one_on_zalo_is_told_on_telegram(
    sqlite_db: Database, small_ward: dict[str, int], clock: ManualClock,
) -> None:
    old, new = 2001, 2002
    async with LocalBot(Settings(), sqlite_db, clock=clock) as telegram, \
            ZaloLocalBot(Settings(), sqlite_db, clock=clock) as zalo:
        assert telegram.app is not None and zalo.app is not None
        share_bots(zalo.app, [zalo.app, telegram.app])  # one deployment serving both channels
        telegram.add_user(old, "Hùng")
        first = await create_invite(sqlite_db, Settings(), role=Role.SECRETARY, cell_names_=["Chi bộ tổ 16"],
                                    now=clock(), actor_label="test")
        await telegram.say(old, f"/start {first.code}")
        second = await create_invite(sqlite_db, Settings(), role=Role.SECRETARY, cell_names_=["Chi bộ tổ 16"],
                                     now=clock(), actor_label="test")
        telegram.emulator.mark_seen(old)
        greeting = await zalo.say(new, second.code)  # the code alone, without /start
        assert greeting[0].text == t("greet.secretary", "vi", name="Người dùng Zalo", cell="Chi bộ tổ 16")
        await telegram.settle()
        assert [m.text for m in telegram.emulator.new_messages(old)] == [
            t("replaced_notice", "vi", cell="Chi bộ tổ 16")]
        assert telegram.emulator.commands_for_chat(old) == []
    async with sqlite_db.read() as session:
        rows = (await session.execute(select(User.channel, User.external_id, User.active))).all()
    assert sorted(rows) == [(TELEGRAM, str(old), False), (ZALO, sample_external_id(ZALO, new), True)]
