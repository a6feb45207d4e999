"""The Bot API emulator, driven by the real python-telegram-bot stack over HTTP.

Every test talks to the emulator through `telegram.Bot` or a polling `Application`, so what is
proven is that PTB accepts the emulator's replies (shapes and errors) as if they came from
Telegram, and that the user side sees what the bot did.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import logging
import os
import socket
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox.emulator import BotApiEmulator

TOKEN = "123:ABC"
LAN = 1001  # a private chat id is the user id
MINH = 1002


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="chibo_demo_bot") as emulator:
        emulator.add_user(LAN, "Lan", "Nguyễn", username="lan_nguyen")
        emulator.add_user(MINH, "Minh")
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as client:
        yield client


@contextlib.asynccontextmanager
async def polling_app(
    emu: BotApiEmulator, *handlers: BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]
) -> AsyncIterator[Application]:
    """A real Application polling the emulator, shut down completely on exit."""
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    for handler in handlers:
        app.add_handler(handler)
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in pairs]])


# ── plain Bot calls ─────────────────────────────────────────────────────────────────────


async def test_get_me_describes_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123, True, "chibo_demo_bot")
    assert me.can_join_groups is True
    assert bot.username == "chibo_demo_bot"  # Bot.initialize() cached it from getMe


async def test_send_message_with_inline_keyboard_round_trips(bot: Bot, emu: BotApiEmulator) -> None:
    markup = keyboard(("Đồng ý", "consent:yes"), ("Không", "consent:no"))
    sent = await bot.send_message(
        LAN, "<b>Chào</b> Lan &amp; Minh", parse_mode="HTML", reply_markup=markup
    )

    # PTB de-serialised a complete Message, keyboard included.
    assert sent.chat.id == LAN and sent.chat.type == "private"
    assert sent.from_user is not None and sent.from_user.is_bot
    assert sent.text == "Chào Lan & Minh"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 4)]
    assert sent.reply_markup == markup

    # The user side sees the same message.
    seen = emu.last_message(LAN)
    assert seen.message_id == sent.message_id
    assert seen.text == "Chào Lan & Minh" and seen.raw_text == "<b>Chào</b> Lan &amp; Minh"
    assert seen.buttons == [[("Đồng ý", "consent:yes"), ("Không", "consent:no")]]
    assert seen.button_data("Không") == "consent:no"

    # callback_data is limited to 64 *bytes*: 33 × "đ" is 66 bytes though only 33 characters.
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(LAN, "x", reply_markup=keyboard(("Dài", "đ" * 33)))


async def test_reply_keyboard_remove_is_recorded_but_not_echoed(
    bot: Bot, emu: BotApiEmulator
) -> None:
    sent = await bot.send_message(LAN, "Đã xong", reply_markup=ReplyKeyboardRemove())
    assert sent.reply_markup is None  # Telegram echoes only inline keyboards
    assert emu.last_message(LAN).removes_keyboard


async def test_reply_parameters_link_the_reply(bot: Bot, emu: BotApiEmulator) -> None:
    first = await bot.send_message(LAN, "một")
    reply = await bot.send_message(LAN, "hai", reply_to_message_id=first.message_id)
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "một"
    assert emu.last_message(LAN).reply_to_message_id == first.message_id
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(LAN, "ba", reply_to_message_id=999)


async def test_text_limits_are_telegrams(bot: Bot, emu: BotApiEmulator) -> None:
    await bot.send_message(LAN, "x" * 4096)  # exactly the limit is fine
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(LAN, "x" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(LAN, "   ")
    # The limit applies after HTML parsing: markup does not count.
    await bot.send_message(LAN, "<b>" + "y" * 4096 + "</b>", parse_mode="HTML")
    assert [len(m.text or "") for m in emu.messages(LAN)] == [4096, 4096]
    assert [r.status for r in emu.calls("sendMessage")] == [200, 400, 400, 200]


async def test_html_errors_are_telegrams(bot: Bot, emu: BotApiEmulator) -> None:
    # PTB .capitalize()s API errors, lower-casing everything after the first letter.
    with pytest.raises(BadRequest, match='unsupported start tag "br" at byte offset 7'):
        await bot.send_message(LAN, "dòng 1<br>dòng 2", parse_mode="HTML")
    with pytest.raises(BadRequest, match="can't find end tag corresponding to start tag"):
        await bot.send_message(LAN, "<b>đậm", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(LAN, "1 < 2", parse_mode="HTML")
    assert emu.messages(LAN) == []


async def test_unknown_chat_and_blocked_user(bot: Bot, emu: BotApiEmulator) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999_999, "ai đó?")
    emu.block_user(MINH)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(MINH, "chào")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(MINH, "typing")
    emu.block_user(MINH, blocked=False)
    await bot.send_message(MINH, "chào lại")
    assert [m.text for m in emu.messages(MINH)] == ["chào lại"]


async def test_edits_and_not_modified(bot: Bot, emu: BotApiEmulator) -> None:
    markup = keyboard(("A", "a"))
    sent = await bot.send_message(LAN, "trước", reply_markup=markup)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("trước", LAN, sent.message_id, reply_markup=markup)

    edited = await bot.edit_message_text("sau", LAN, sent.message_id)
    assert isinstance(edited, type(sent)) and edited.text == "sau"
    assert edited.reply_markup is None  # omitting reply_markup drops the keyboard, as live

    record = emu.message(LAN, sent.message_id)
    assert (record.text, record.buttons) == ("sau", [])
    assert [(e.text, e.buttons) for e in record.edits] == [("trước", [[("A", "a")]])]

    await bot.edit_message_reply_markup(LAN, sent.message_id, reply_markup=keyboard(("B", "b")))
    assert record.buttons == [[("B", "b")]]

    assert await bot.delete_message(LAN, sent.message_id) is True
    assert record.deleted
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("muộn", LAN, sent.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(LAN, sent.message_id)


async def test_send_document_and_photo_keep_bytes(bot: Bot, emu: BotApiEmulator) -> None:
    payload = bytes(range(256)) * 257 + os.urandom(1000)  # every byte value, not a round size
    sent = await bot.send_document(
        LAN, payload, filename="báo cáo tháng 5.xlsx", caption="<i>Báo cáo</i>", parse_mode="HTML"
    )
    assert sent.document is not None
    assert (sent.document.file_name, sent.document.file_size) == (
        "báo cáo tháng 5.xlsx",
        len(payload),
    )
    assert sent.caption == "Báo cáo"

    record = emu.last_message(LAN)
    assert record.kind == "document" and record.text == "Báo cáo"
    assert record.file is not None
    assert record.file.filename == "báo cáo tháng 5.xlsx" and record.file.data == payload

    # The file is downloadable through base_file_url, like a real one.
    downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == payload

    photo = await bot.send_photo(LAN, b"\x89PNG\r\n\x1a\n" + b"\0" * 8 + b"\0\0\0\x02\0\0\0\x03")
    assert (photo.photo[-1].width, photo.photo[-1].height) == (2, 3)
    assert emu.last_message(LAN).kind == "photo"
    assert emu.calls("sendDocument")[0].params["document"]["size"] == len(payload)


def _png_header(width: int, height: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\0" * 8 + width.to_bytes(4, "big") + height.to_bytes(4, "big")


async def test_photos_are_refused_as_telegram_refuses_them(bot: Bot, emu: BotApiEmulator) -> None:
    from telegram.error import BadRequest

    with pytest.raises(BadRequest, match=r"(?i)photo_invalid_dimensions"):
        await bot.send_photo(LAN, _png_header(9000, 2000))  # width + height over 10000
    with pytest.raises(BadRequest, match=r"(?i)photo_invalid_dimensions"):
        await bot.send_photo(LAN, _png_header(2100, 100))  # more than 20 times as wide as high
    with pytest.raises(BadRequest, match=r"(?i)photo_save_file_invalid"):
        await bot.send_photo(LAN, _png_header(100, 100) + b"\0" * (10 * 1024 * 1024))
    sent = await bot.send_photo(LAN, _png_header(1080, 1500))
    assert (sent.photo[-1].width, sent.photo[-1].height) == (1080, 1500)


async def test_set_my_commands_is_stored_per_scope(bot: Bot, emu: BotApiEmulator) -> None:
    await bot.set_my_commands([BotCommand("start", "Bắt đầu")])
    await bot.set_my_commands(
        [BotCommand("start", "Bắt đầu"), BotCommand("duyet", "Duyệt hồ sơ")],
        scope=BotCommandScopeChat(LAN),
        language_code="vi",
    )
    assert emu.commands() == [("start", "Bắt đầu")]
    assert emu.commands_for_chat(LAN, "vi") == [("start", "Bắt đầu"), ("duyet", "Duyệt hồ sơ")]
    assert emu.commands_for_chat(LAN) == []  # no fallback across language codes
    assert emu.commands_for_chat(MINH, "vi") == []

    fetched = await bot.get_my_commands(scope=BotCommandScopeChat(LAN), language_code="vi")
    assert [c.command for c in fetched] == ["start", "duyet"]

    await bot.delete_my_commands(scope=BotCommandScopeChat(LAN), language_code="vi")
    assert emu.commands_for_chat(LAN, "vi") == []
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.set_my_commands([BotCommand("a", "b")], scope=BotCommandScopeChat(777))


# ── faults, tokens, protocol ────────────────────────────────────────────────────────────


# PTB 22 warns (even inside RetryAfter.__init__) that the int form of retry_after is deprecated.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_429_becomes_retry_after(bot: Bot, emu: BotApiEmulator) -> None:
    emu.inject_fault(method="sendMessage", status=429, retry_after=2, times=2)
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(LAN, "gấp")
        retry_after = caught.value.retry_after
        if isinstance(retry_after, dtm.timedelta):
            retry_after = retry_after.total_seconds()
        assert retry_after == 2

    await bot.send_message(LAN, "gấp")  # the fault is used up
    assert [r.status for r in emu.calls("sendMessage")] == [429, 429, 200]
    assert len(emu.messages(LAN)) == 1  # faulted calls had no effect
    assert emu.calls("sendMessage")[0].description == "Too Many Requests: retry after 2"


@pytest.mark.parametrize("status", [500, 502])
async def test_injected_server_errors_become_network_errors(
    bot: Bot, emu: BotApiEmulator, status: int
) -> None:
    emu.inject_fault(method="sendMessage", status=status)
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(LAN, "xin chào")
    assert not isinstance(caught.value, BadRequest)
    await bot.get_me()  # other methods are untouched
    await bot.send_message(LAN, "xin chào")
    assert [r.status for r in emu.calls("sendMessage")] == [status, 200]


async def test_a_slow_reply_times_out_but_still_delivers(bot: Bot, emu: BotApiEmulator) -> None:
    # The classic duplicate-send trap: the client gives up, Telegram still sends the message.
    emu.inject_fault(method="sendMessage", status=None, delay=0.3)
    with pytest.raises(TimedOut):
        await bot.send_message(LAN, "chậm", read_timeout=0.05)
    await emu.wait_until(lambda: len(emu.messages(LAN)) == 1, timeout=2, what="the slow send")
    assert emu.calls("sendMessage")[0].status == 200


async def test_concurrent_polls_conflict_and_stop_ends_a_long_poll() -> None:
    emu = await BotApiEmulator(token=TOKEN).start()
    try:
        async with (
            Bot(TOKEN, base_url=emu.base_url) as first,
            Bot(TOKEN, base_url=emu.base_url) as second,
        ):
            older = asyncio.create_task(first.get_updates(timeout=5))
            await asyncio.sleep(0.05)
            newer = asyncio.create_task(second.get_updates(timeout=5))
            with pytest.raises(Conflict, match="terminated by other getUpdates request"):
                await older
            started = time.monotonic()
            await emu.stop()
            assert await newer == ()  # woken by stop(), not left hanging for 5 s
            assert time.monotonic() - started < 1.0
    finally:
        await emu.stop()


async def test_wrong_token_and_unknown_method(emu: BotApiEmulator) -> None:
    intruder = Bot("123:WRONG", base_url=emu.base_url)
    try:
        with pytest.raises(InvalidToken, match="rejected by the server"):
            await intruder.initialize()  # getMe with the wrong token
    finally:
        await intruder.shutdown()

    async with httpx.AsyncClient() as client:
        reply = await client.post(f"{emu.base_url}{TOKEN}/getChatBoosts", data={"chat_id": "1"})
        assert reply.status_code == 404
        assert reply.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        reply = await client.post(f"{emu.base_url}999:NOPE/getMe")
        assert reply.status_code == 401
        assert reply.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_the_token_never_reaches_logs_or_reprs(
    bot: Bot, emu: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await bot.send_message(LAN, "bí mật")
        async with httpx.AsyncClient() as client:
            await client.post(f"{emu.base_url}{TOKEN}/noSuchMethod")
    ours = [r.getMessage() for r in caplog.records if r.name.startswith(("bot.", "tornado"))]
    assert ours, "the emulator should log requests at DEBUG"
    assert all(TOKEN not in line for line in ours)
    assert TOKEN not in repr(emu) and TOKEN not in repr(emu.requests)


async def test_get_updates_long_poll_and_offset(bot: Bot, emu: BotApiEmulator) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    emu.send_text(LAN, "/start@chibo_demo_bot ref42")
    updates = await poll
    assert time.monotonic() - started < 1.0  # answered when the update arrived, not at 5 s
    [update] = updates
    assert update.message is not None and update.message.text == "/start@chibo_demo_bot ref42"
    entity = update.message.entities[0]
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 21)
    assert update.message.from_user is not None
    assert update.message.from_user.language_code == "vi"

    # Unconfirmed updates come again; an offset past them confirms them.
    assert [u.update_id for u in await bot.get_updates()] == [update.update_id]
    assert await bot.get_updates(offset=update.update_id + 1) == ()
    assert emu.pending_updates == []

    started = time.monotonic()
    assert await bot.get_updates(timeout=0.2) == ()  # nothing queued: waits out the timeout
    assert 0.15 < time.monotonic() - started < 1.0


# ── a real polling Application ──────────────────────────────────────────────────────────


async def test_start_command_reaches_a_handler(emu: BotApiEmulator) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_user is not None and update.effective_message is not None
        await update.effective_message.reply_text(
            f"Xin chào {update.effective_user.first_name}! args={context.args}"
        )

    async with polling_app(emu, CommandHandler("start", start)):
        emu.send_text(LAN, "/start ref42")
        [reply] = await emu.wait_for_messages(LAN, 1, timeout=3)
        assert reply.text == "Xin chào Lan! args=['ref42']"
        emu.send_text(MINH, "/start")
        [reply] = await emu.wait_for_messages(MINH, 1, timeout=3)
        assert reply.text == "Xin chào Minh! args=[]"
    assert emu.calls("getMe") and emu.calls("deleteWebhook")  # PTB's own bootstrap


async def test_button_press_reaches_a_callback_handler(emu: BotApiEmulator) -> None:
    async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            "Bạn có đồng ý?", reply_markup=keyboard(("Có", "consent:yes"), ("Không", "consent:no"))
        )

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer(f"Đã ghi nhận: {query.data}")
        await query.edit_message_text(f"Bạn chọn {query.data} cho tin {query.message.message_id}")

    events: list[tuple[str, int]] = []
    emu.add_listener(lambda event, message: events.append((event, message.message_id)))
    async with polling_app(emu, CommandHandler("ask", ask), CallbackQueryHandler(answer)):
        emu.send_text(LAN, "/ask")
        [question] = await emu.wait_for_messages(LAN, 1, timeout=3)
        emu.press_button(LAN, question.message_id, question.button_data("Không"))
        await emu.wait_until(lambda: bool(question.edits), timeout=3, what="the edit")

    assert question.text == f"Bạn chọn consent:no cho tin {question.message_id}"
    assert question.buttons == []
    [ack] = emu.callback_answers(LAN)
    assert (ack.text, ack.show_alert) == ("Đã ghi nhận: consent:no", False)
    assert emu.unanswered_callbacks() == []
    assert events == [("sent", question.message_id), ("edited", question.message_id)]


async def test_forged_callbacks_and_silence(emu: BotApiEmulator) -> None:
    seen: list[tuple[int, str | None]] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        seen.append((query.message.message_id, query.data))

    with pytest.raises(ValueError, match="forged=True"):
        emu.press_button(LAN, 4242, "admin:delete_all")

    async with polling_app(emu, CallbackQueryHandler(record), MessageHandler(filters.TEXT, record)):
        emu.press_button(LAN, 4242, "admin:delete_all", forged=True)
        emu.send_sticker(LAN)  # no handler matches: the bot must stay silent
        emu.send_photo(LAN)
        await emu.wait_idle(quiet=0.2, timeout=3)

    assert seen == [(4242, "admin:delete_all")]
    assert emu.messages(LAN) == []
    assert len(emu.unanswered_callbacks()) == 1  # nobody answered the forged query


async def test_webhook_delivery_checks_the_secret(emu: BotApiEmulator) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("qua webhook")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", echo))
    await app.initialize()
    await app.start()
    try:
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token="s3cret-token",
        )
        assert emu.webhook is not None and emu.webhook.url.endswith("/hook")
        assert "s3cret" not in repr(emu.webhook)

        forged = emu.send_text(LAN, "/start")
        assert await emu.deliver_via_webhook(forged, secret_token="wrong") == 403
        assert await emu.deliver_via_webhook(forged) == 200
        [reply] = await emu.wait_for_messages(LAN, 1, timeout=3)
        assert reply.text == "qua webhook"
        assert emu.pending_updates == []

        async with Bot(TOKEN, base_url=emu.base_url) as other:  # polling now conflicts
            with pytest.raises(Exception, match="webhook is active"):
                await other.get_updates()
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
