"""`chibo run` as a real process: it polls the (local) Bot API named in its config, answers,
stops cleanly on SIGTERM, and never prints its token."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.domain.channels import ZALO, sample_external_id
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.zalo_emulator import ZaloEmulator
from bot.texts import t

TOKEN = "424242:RUN-token-that-must-stay-secret"
ZALO_TOKEN = "8888888:ZALO-run-token-that-must-stay-secret"


async def _init_and_run(config: Path, committee: str, **tokens: str) -> asyncio.subprocess.Process:
    """`chibo init` the ward, then start `chibo run` at DEBUG with `tokens` in its environment."""
    init = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "init", "--config", str(config), "--committee", committee)
    assert await init.wait() == 0
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), "--log-level", "DEBUG",
        env={**os.environ, **tokens}, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


async def test_chibo_run_polls_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    db = tmp_path / "ward.db"
    async with BotApiEmulator(token=TOKEN) as emu:
        config = tmp_path / "chibo.toml"
        config.write_text(
            f'[database]\nurl = "{db}"\n[telegram]\nbase_url = "{emu.base_url}"\n'
            f'base_file_url = "{emu.base_file_url}"\n[reminders]\nenabled = false\n', encoding="utf-8")
        proc = await _init_and_run(config, "Đảng bộ phường Hoàng Văn Thụ", CHIBO_TELEGRAM_TOKEN=TOKEN)
        try:
            await emu.wait_until(lambda: bool(emu.calls("getUpdates")), timeout=30, what="polling")
            emu.add_user(5001, "Khách")
            emu.send_text(5001, "xin chào")
            replies = await emu.wait_for_messages(5001, timeout=15)
            assert replies[0].text == t("stranger", "vi", committee="Đảng bộ phường Hoàng Văn Thụ")
        finally:
            proc.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0, output.decode()
    log = output.decode()
    assert "running on telegram (polling)" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert "xin chào" not in log  # update contents stay out of the logs, even at DEBUG


async def test_chibo_run_serves_zalo_and_telegram_in_one_process(tmp_path: Path) -> None:
    db = tmp_path / "ward.db"
    stranger = "Đảng bộ phường Hoàng Văn Thụ"
    zalo = ZaloEmulator(token=ZALO_TOKEN)
    await zalo.start()
    try:
        async with BotApiEmulator(token=TOKEN) as emu:
            config = tmp_path / "chibo.toml"
            config.write_text(
                f'[database]\nurl = "{db}"\n[telegram]\nbase_url = "{emu.base_url}"\n'
                f'base_file_url = "{emu.base_file_url}"\n[zalo]\nbase_url = "{zalo.base_url}"\n'
                'poll_timeout_seconds = 2\n[reminders]\nenabled = false\n', encoding="utf-8")
            proc = await _init_and_run(config, stranger, CHIBO_TELEGRAM_TOKEN=TOKEN,
                                       CHIBO_ZALO_TOKEN=ZALO_TOKEN)
            try:
                await emu.wait_until(lambda: bool(emu.calls("getUpdates")), timeout=30, what="polling")
                emu.add_user(5001, "Khách")
                emu.send_text(5001, "xin chào")
                zalo_user = sample_external_id(ZALO, 5002)
                zalo.send_text(zalo_user, "xin chào")
                replies = await emu.wait_for_messages(5001, timeout=15)
                await zalo.wait_until(lambda: bool(zalo.messages(zalo_user)), timeout=15, what="Zalo reply")
                expected = t("stranger", "vi", committee=stranger)
                assert replies[0].text == expected
                assert [m.text for m in zalo.messages(zalo_user)] == [expected]
            finally:
                proc.send_signal(signal.SIGTERM)
                output, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    finally:
        await zalo.stop()
    assert proc.returncode == 0, output.decode()
    log = output.decode()
    assert "running on telegram (polling)" in log and "running on zalo (polling)" in log
    for secret in (TOKEN, ZALO_TOKEN):
        assert secret not in log and secret.split(":")[1] not in log
    assert "xin chào" not in log
