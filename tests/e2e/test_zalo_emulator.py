"""The Zalo emulator keeps Zalo's published rules, so a bot that passes here meets them there."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bot.sandbox.zalo_emulator import TEXT_LIMIT, ZaloEmulator


@pytest.fixture
async def emulator() -> ZaloEmulator:
    emu = ZaloEmulator()
    await emu.start()
    yield emu  # type: ignore[misc]
    await emu.stop()


async def _call(emu: ZaloEmulator, method: str, body: dict[str, Any], token: str | None = None) -> Any:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emu.base_url}{token or emu.token}/{method}", json=body, timeout=10)
    return response.status_code, response.json()


async def test_replies_say_ok_and_errors_come_with_http_200_and_a_code(emulator: ZaloEmulator) -> None:
    emulator.add_user("u1", "Lan")
    status, body = await _call(emulator, "sendMessage", {"chat_id": "u1", "text": "chào"})
    assert status == 200 and body["ok"] is True and isinstance(body["result"]["message_id"], str)
    assert isinstance(body["result"]["date"], int) and body["result"]["date"] > 10**12  # milliseconds
    assert await _call(emulator, "sendMessage", {"chat_id": "u1", "text": "x" * (TEXT_LIMIT + 1)}) == (
        200, {"ok": False, "error_code": 400, "description": "text is longer than 2000 characters"})
    status, body = await _call(emulator, "editMessageText", {"chat_id": "u1", "text": "x"})
    assert (status, body["ok"], body["error_code"]) == (200, False, 404)  # no such method on Zalo
    status, body = await _call(emulator, "getMe", {}, token="1:wrong")
    assert (body["ok"], body["error_code"]) == (False, 401)
    status, body = await _call(emulator, "sendMessage", {"chat_id": 123, "text": "x"})
    assert body["error_code"] == 400  # ids are strings


async def test_get_updates_hands_out_one_event_per_call_and_408_when_none(emulator: ZaloEmulator) -> None:
    emulator.send_text("u1", "một")
    emulator.send_text("u1", "hai")
    first = (await _call(emulator, "getUpdates", {"timeout": "1"}))[1]
    second = (await _call(emulator, "getUpdates", {"timeout": "1"}))[1]
    assert first["result"]["event_name"] == "message.text.received"
    assert [first["result"]["message"]["text"], second["result"]["message"]["text"]] == ["một", "hai"]
    assert first["result"]["message"]["chat"] == {"id": "u1", "chat_type": "PRIVATE"}
    assert (await _call(emulator, "getUpdates", {"timeout": "0"}))[1]["error_code"] == 408
    emulator.send_text("u1", "ba")
    emulator.repeat_next_update()
    again = [(await _call(emulator, "getUpdates", {"timeout": "1"}))[1]["result"] for _ in range(2)]
    assert again[0] == again[1]  # the same event twice, as Zalo has been seen to do


async def test_faults_and_refusals(emulator: ZaloEmulator) -> None:
    emulator.add_user("u1", "Lan")
    emulator.inject_fault("sendMessage", 429, retry_after=3)
    assert (await _call(emulator, "sendMessage", {"chat_id": "u1", "text": "x"}))[1]["parameters"] == {
        "retry_after": 3}
    emulator.inject_fault("sendMessage", 502)
    assert (await _call(emulator, "sendMessage", {"chat_id": "u1", "text": "x"}))[0] == 502
    emulator.block_user("u1")
    assert (await _call(emulator, "sendMessage", {"chat_id": "u1", "text": "x"}))[1]["error_code"] == 403
    photo = {"chat_id": "u2", "photo": "/tmp/a.png"}  # a local path, not a URL
    assert (await _call(emulator, "sendPhoto", photo))[1]["error_code"] == 400
    hook = {"url": "https://x.example/zalo", "secret_token": "short"}
    assert (await _call(emulator, "setWebhook", hook))[1]["error_code"] == 400  # secret: 8-256 chars
    await _call(emulator, "setWebhook", {"url": "https://x.example/zalo", "secret_token": "long-enough"})
    assert (await _call(emulator, "getUpdates", {"timeout": "0"}))[1]["error_code"] == 409
