"""Every failure branch of the Zalo transport, reached through PTB's own `Bot` (its public entry).

Zalo's answers are scripted with httpx.MockTransport, so each test shows that one arm of
`ZaloRequest` runs — a timeout, a broken connection, a 200 that is not JSON, a refusal while
polling, a photo given as bytes, a malformed event — and what PTB makes of it. No rate limiter or
retry wrapper sits in between: what is asserted is the transport's own handling.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut

from bot.channels.zalo_request import ZaloRequest
from bot.store.db import Database
from bot.store.models import ChannelInbox

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
CHAT = "zalo-chat-1"

Answer = Callable[[str, dict[str, Any]], httpx.Response]


class ScriptedZalo:
    """Answers each Zalo method with what the test says; records every call (method, payload)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.answers: dict[str, Answer] = {}

    def ok(self, method: str, result: Any) -> None:
        self.answers[method] = lambda _m, _p: httpx.Response(200, json={"ok": True, "result": result})

    def handle(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[1]
        payload = json.loads(request.content or b"{}")
        self.calls.append((method, payload))
        answer = self.answers.get(method)
        if answer is None:
            return httpx.Response(200, json={"ok": True, "result": {"message_id": f"m{len(self.calls)}"}})
        return answer(method, payload)

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]


@pytest.fixture
async def zalo(sqlite_db: Database) -> AsyncIterator[tuple[Bot, ZaloRequest, ScriptedZalo]]:
    scripted = ScriptedZalo()
    scripted.ok("getMe", {"id": "4242", "account_name": "Trợ lý chi bộ"})
    request = ZaloRequest(sqlite_db, lang="vi", clock=lambda: NOW,
                          transport=httpx.MockTransport(scripted.handle))
    bot = Bot("zalo-test-token", base_url="https://zalo.test/bot", request=request,
              get_updates_request=request)
    async with bot:
        yield bot, request, scripted


def text_event(message_id: str, text: str, **message: Any) -> dict[str, Any]:
    return {"event_name": "message.text.received", "message": {
        "message_id": message_id, "date": 1_764_300_000_000, "text": text,
        "from": {"id": "u1", "display_name": "Bình"}, "chat": {"id": CHAT, "chat_type": "PRIVATE"},
        **message}}


# --- the wire: what goes wrong between us and Zalo ------------------------------------------------
async def test_a_timeout_is_ptbs_timed_out_and_names_no_url(zalo) -> None:
    bot, _, scripted = zalo

    def slow(_m: str, _p: dict[str, Any]) -> httpx.Response:
        raise httpx.ReadTimeout("too slow")

    scripted.answers["sendMessage"] = slow
    with pytest.raises(TimedOut) as caught:
        await bot.send_message(CHAT, "xin chào")
    assert "zalo-test-token" not in str(caught.value) and "sendMessage" in str(caught.value)


async def test_a_broken_connection_is_a_network_error(zalo) -> None:
    bot, _, scripted = zalo

    def refused(_m: str, _p: dict[str, Any]) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    scripted.answers["sendMessage"] = refused
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(CHAT, "xin chào")
    assert not isinstance(caught.value, TimedOut) and "ConnectError" in str(caught.value)


async def test_a_200_that_is_not_json_is_a_network_error(zalo) -> None:
    bot, _, scripted = zalo
    scripted.answers["sendMessage"] = lambda _m, _p: httpx.Response(200, text="<html>proxy</html>")
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "xin chào")


# --- polling ------------------------------------------------------------------------------------
async def test_polling_without_a_wait_asks_zalo_nothing(zalo) -> None:
    bot, _, scripted = zalo
    assert await bot.get_updates(timeout=0) == ()
    assert "getUpdates" not in scripted.methods()  # Zalo has no offset: a call would lose an update


async def test_polling_that_times_out_is_an_empty_batch(zalo) -> None:
    bot, _, scripted = zalo
    scripted.answers["getUpdates"] = lambda _m, _p: httpx.Response(
        408, json={"ok": False, "error_code": 408, "description": "Request timeout"})
    assert await bot.get_updates(timeout=5) == ()


async def test_polling_refused_for_another_reason_raises(zalo) -> None:
    bot, _, scripted = zalo
    scripted.answers["getUpdates"] = lambda _m, _p: httpx.Response(
        200, json={"ok": False, "error_code": 403, "description": "bot disabled"})
    with pytest.raises(Forbidden):
        await bot.get_updates(timeout=5)


async def test_a_polled_event_becomes_a_message_once(zalo) -> None:
    bot, _, scripted = zalo
    scripted.ok("getUpdates", text_event("z-1", "/tiendo"))
    first = await bot.get_updates(timeout=5)
    again = await bot.get_updates(timeout=5)  # Zalo delivered the same event twice
    assert [u.message.text for u in first] == ["/tiendo"] and again == ()
    assert first[0].message.chat.id == CHAT and first[0].message.entities[0].type == "bot_command"


@pytest.mark.parametrize("event", [
    "not an object",
    {"event_name": "message.text.received"},  # no message at all
    {"event_name": "message.text.received", "message": {"message_id": "z-2", "text": "hi",
                                                         "from": {"id": "u1"}}},  # no chat
    {"event_name": "message.text.received", "message": {"message_id": "z-3", "text": "hi",
                                                         "chat": {"id": CHAT}}},  # no sender
])
async def test_a_malformed_event_is_skipped_not_fatal(zalo, event: Any) -> None:
    bot, _, scripted = zalo
    scripted.ok("getUpdates", event)
    assert await bot.get_updates(timeout=5) == ()


async def test_pictures_stickers_and_unsupported_content_arrive_without_text(zalo) -> None:
    bot, _, scripted = zalo
    image = text_event("z-4", "", caption="ảnh biên bản")
    image["event_name"] = "message.image.received"
    sticker = text_event("z-5", "")
    sticker["event_name"] = "message.sticker.received"
    other = text_event("z-6", "")
    other["event_name"] = "message.unsupported.received"
    got = []
    for event in (image, sticker, other):
        scripted.ok("getUpdates", event)
        got.extend(await bot.get_updates(timeout=5))
    photo, stuck, unknown = (u.message for u in got)
    assert photo.photo and photo.caption == "ảnh biên bản" and photo.text is None
    assert stuck.sticker is not None and stuck.text is None
    assert unknown.text is None and not unknown.photo and unknown.sticker is None


# --- sending what Zalo cannot take --------------------------------------------------------------
async def test_a_method_zalo_lacks_is_a_bad_request_without_a_call(zalo) -> None:
    bot, _, scripted = zalo
    with pytest.raises(BadRequest, match=r"(?i)not available on zalo"):
        await bot.send_poll(CHAT, "Câu hỏi?", ["Có", "Không"])
    assert "sendPoll" not in scripted.methods()


async def test_a_photo_as_bytes_is_refused_and_a_url_is_sent_with_its_caption(zalo) -> None:
    bot, _, scripted = zalo
    with pytest.raises(BadRequest, match=r"(?i)by url only"):
        await bot.send_photo(CHAT, photo=b"\x89PNG....")
    with pytest.raises(BadRequest, match=r"(?i)by url only"):
        await bot.send_photo(CHAT, photo="AgACAgIAAxkBAAI")  # a Telegram file_id means nothing here
    sent = await bot.send_photo(CHAT, photo="https://chibo.example/f/abc.png", caption="Biểu đồ")
    assert scripted.calls[-1] == ("sendPhoto", {"chat_id": CHAT, "photo": "https://chibo.example/f/abc.png",
                                                "caption": "Biểu đồ"})
    assert sent.caption == "Biểu đồ" and sent.photo[0].file_id == "https://chibo.example/f/abc.png"
    assert scripted.methods().count("sendPhoto") == 1


# --- the bot's own settings ---------------------------------------------------------------------
async def test_webhook_set_read_and_deleted_the_zalo_way(zalo) -> None:
    bot, _, scripted = zalo
    scripted.ok("getWebhookInfo", {"url": "https://chibo.example/zalo", "updated_at": 1})
    assert await bot.set_webhook("https://chibo.example/zalo", secret_token="s3cret-token-1")
    info = await bot.get_webhook_info()
    assert await bot.delete_webhook()
    assert info.url == "https://chibo.example/zalo" and info.pending_update_count == 0
    assert ("setWebhook", {"url": "https://chibo.example/zalo",
                           "secret_token": "s3cret-token-1"}) in scripted.calls
    assert scripted.methods()[-1] == "deleteWebhook"


async def test_a_name_without_ascii_still_gives_ptb_a_username(sqlite_db: Database) -> None:
    scripted = ScriptedZalo()
    scripted.ok("getMe", {"id": "not-digits", "account_name": "Ủỷ"})
    request = ZaloRequest(sqlite_db, lang="vi", clock=lambda: NOW,
                          transport=httpx.MockTransport(scripted.handle))
    bot = Bot("zalo-test-token", base_url="https://zalo.test/bot", request=request)
    async with bot:
        assert bot.username == "chibo_zalo" and bot.first_name == "Ủỷ" and bot.id > 0


async def test_menus_and_commands_succeed_without_asking_zalo(zalo) -> None:
    bot, _, scripted = zalo
    before = len(scripted.calls)
    assert await bot.set_my_commands([("tiendo", "Tiến độ")])
    assert await bot.get_my_commands() == ()
    assert len(scripted.calls) == before


async def test_a_toast_for_a_press_this_process_never_saw_says_nothing(zalo) -> None:
    bot, _, scripted = zalo
    before = len(scripted.calls)
    assert await bot.answer_callback_query("unknown-press", text="Đã chọn")
    assert len(scripted.calls) == before  # no chat to say it in: nothing is sent anywhere


async def test_typing_is_shown_and_a_photo_may_come_without_caption(zalo) -> None:
    bot, _, scripted = zalo
    assert await bot.send_chat_action(CHAT, "typing")
    await bot.send_photo(CHAT, photo="https://chibo.example/f/x.png")
    assert scripted.calls[-2:] == [("sendChatAction", {"chat_id": CHAT, "action": "typing"}),
                                   ("sendPhoto", {"chat_id": CHAT, "photo": "https://chibo.example/f/x.png"})]


async def test_the_inbox_of_seen_ids_is_pruned_as_events_keep_coming(sqlite_db: Database) -> None:
    now = [NOW - timedelta(days=8)]  # the first half arrives more than a week before the rest
    scripted = ScriptedZalo()
    scripted.ok("getMe", {"id": "4242", "account_name": "chibo"})
    seen = iter(range(10_000))
    scripted.answers["getUpdates"] = lambda _m, _p: httpx.Response(
        200, json={"ok": True, "result": text_event(f"z-{next(seen)}", "xin chào")})
    request = ZaloRequest(sqlite_db, lang="vi", clock=lambda: now[0],
                          transport=httpx.MockTransport(scripted.handle))
    async with Bot("zalo-test-token", base_url="https://zalo.test/bot", request=request,
                   get_updates_request=request) as bot:
        for n in range(1000):
            if n == 500:
                now[0] = NOW
            await bot.get_updates(timeout=5)
    async with sqlite_db.read() as session:
        kept = (await session.execute(select(func.count()).select_from(ChannelInbox))).scalar_one()
    assert kept == 500  # at the 1000th event, ids older than a week went; this week's stay
