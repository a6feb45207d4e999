"""A process that does not lead (bot.standby) polls neither Telegram nor Zalo: no getUpdates
reaches either platform, so it can never cut off the leader's poll; once it leads, it polls and
answers on both."""

from __future__ import annotations

import asyncio

from bot.config import Settings, TelegramSettings, ZaloSettings
from bot.domain.channels import TELEGRAM, ZALO, sample_external_id
from bot.runner import start_channels, stop_channels
from bot.runtime import Runtime
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.zalo_emulator import ZaloEmulator
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.texts import t

TOKEN = "616161:LEADER-polls-token"
ZALO_TOKEN = "7777777:LEADER-polls-zalo-token"
WARD = "Đảng bộ phường Hoàng Văn Thụ"


async def test_no_poll_leaves_a_process_that_does_not_lead(sqlite_db: Database) -> None:
    async with sqlite_db.write() as session:
        await upsert_committee(session, WARD, "Thành ủy Thái Nguyên")
    zalo = ZaloEmulator(token=ZALO_TOKEN)
    await zalo.start()
    try:
        async with BotApiEmulator(token=TOKEN) as emu:
            settings = Settings(
                telegram=TelegramSettings(base_url=emu.base_url, base_file_url=emu.base_file_url),
                zalo=ZaloSettings(base_url=zalo.base_url, poll_timeout_seconds=1))
            leads = False
            runtime = Runtime(settings, sqlite_db, leading=lambda: leads, poll_cap=1)
            running = await start_channels(runtime, {TELEGRAM: TOKEN, ZALO: ZALO_TOKEN})
            try:
                emu.add_user(5001, "Khách")
                emu.send_text(5001, "xin chào")
                zalo_user = sample_external_id(ZALO, 5002)
                zalo.send_text(zalo_user, "xin chào")
                await asyncio.sleep(2.5)  # a few of PTB's polling rounds
                assert emu.calls("getUpdates") == [] and zalo.calls_of("getUpdates") == []
                assert emu.messages(5001) == [] and zalo.messages(zalo_user) == []
                leads = True
                expected = t("stranger", "vi", committee=WARD)
                replies = await emu.wait_for_messages(5001, timeout=15)
                await zalo.wait_until(lambda: bool(zalo.messages(zalo_user)), timeout=15, what="Zalo reply")
                assert replies[0].text == expected
                assert [m.text for m in zalo.messages(zalo_user)] == [expected]
                # The long poll is cut to the lease's cap.
                assert {c.params.get("timeout") for c in emu.calls("getUpdates")} == {1}
            finally:
                await stop_channels(running)
    finally:
        await zalo.stop()
