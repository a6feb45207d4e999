"""Trouble from outside, met quietly: a gate whose own reply fails, buttons pressed long after,
a double tap, forged numbers, updates the Bot API library cannot parse (issue #8)."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select

from bot.demo.ward import DEMO_USERS
from bot.sandbox.local import LocalBot
from bot.store.models import Base
from bot.texts import t

# Telegram's own trouble: emulator faults, callback answers, getUpdates batches.
pytestmark = pytest.mark.telegram_only

SECRETARY = DEMO_USERS["secretary"]
STRANGER = 424_242
TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


# What a refused update must leave alone: every table but the bookkeeping ones (conversation
# state, seen updates, job runs, the menus sent at start-up, which a background task may still be
# writing) and users (a registered user's contact time is noted).
_BOOKKEEPING = {"conversation_state", "channel_inbox", "channel_choices", "job_runs", "menus", "users"}


async def snapshot(bot: LocalBot) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every data table, for "nothing changed" checks."""
    rows: dict[str, list[tuple[object, ...]]] = {}
    async with bot.db.read() as session:
        for table in Base.metadata.sorted_tables:
            if table.name not in _BOOKKEEPING:
                result = await session.execute(select(table))
                rows[table.name] = sorted(map(tuple, result.all()), key=repr)
    return rows


@pytest.mark.parametrize("method", ["answerCallbackQuery", "sendMessage"])
async def test_the_gate_stops_a_strangers_button_even_when_its_own_answer_fails(
    demo_bot: LocalBot, caplog: pytest.LogCaptureFixture, method: str,
) -> None:
    demo_bot.emulator.add_user(STRANGER, "Người", "Lạ")
    before = await snapshot(demo_bot)
    demo_bot.emulator.inject_fault(method, 502, times=1)
    with caplog.at_level(logging.INFO):
        await demo_bot.press_data(STRANGER, "nn:m:quota", message_id=1)
    assert _errors(caplog) == []
    assert await snapshot(demo_bot) == before


async def test_the_gate_stops_a_strangers_command_even_when_its_reply_fails(
    demo_bot: LocalBot, caplog: pytest.LogCaptureFixture,
) -> None:
    demo_bot.emulator.add_user(STRANGER, "Người", "Lạ")
    demo_bot.emulator.inject_fault("sendMessage", 502, times=1)
    with caplog.at_level(logging.INFO):
        await demo_bot.say(STRANGER, "/tiendo")
    assert _errors(caplog) == []
    assert demo_bot.emulator.messages(STRANGER) == []  # /tiendo was never reached


async def test_a_button_pressed_before_downtime_is_handled_quietly(
    demo_bot: LocalBot, caplog: pytest.LogCaptureFixture,
) -> None:
    await demo_bot.say(DEMO_USERS["secretary"], "/nhacnho")
    demo_bot.emulator.inject_fault("answerCallbackQuery", 400, description=TOO_OLD, times=1)
    with caplog.at_level(logging.INFO):
        replies = await demo_bot.press_data(SECRETARY, "nn:x")
    assert _errors(caplog) == []
    assert t("error.unexpected", "vi") not in [m.text for m in replies]
    # The press still did its job: the settings message was closed.
    shown = demo_bot.emulator.last_message(SECRETARY)
    assert shown.buttons == []


async def test_show_all_on_a_list_that_already_shows_all_is_quiet(
    demo_bot: LocalBot, caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.e2e.test_candidate_report import to_helper

    helper_q = await to_helper(demo_bot)
    with caplog.at_level(logging.INFO):
        replies = await demo_bot.press_data(SECRETARY, "uv:hall", message_id=helper_q[-1].message_id)
    assert _errors(caplog) == []
    assert t("error.unexpected", "vi") not in [m.text for m in replies]
    assert demo_bot.emulator.unanswered_callbacks() == []


@pytest.mark.parametrize("data", ["rm:snz:10000000000", "rm:snz:99999999999", "rm:snz:0"])
async def test_a_forged_reminder_number_is_refused_quietly(
    demo_bot: LocalBot, caplog: pytest.LogCaptureFixture, data: str,
) -> None:
    await demo_bot.say(SECRETARY, "/tiendo")
    before = await snapshot(demo_bot)
    with caplog.at_level(logging.INFO):
        replies = await demo_bot.press_data(SECRETARY, data)
    assert _errors(caplog) == []
    assert t("error.unexpected", "vi") not in [m.text for m in replies]
    assert demo_bot.emulator.unanswered_callbacks() == []
    assert await snapshot(demo_bot) == before


SECRET_NAME = "Nguyễn Thị Bí Mật"


def _all_log_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(caplog.text.splitlines() + [r.getMessage() for r in caplog.records])


def _leaks(text: str, name: str) -> list[str]:
    """The name as typed, or escaped as repr() and JSON write it."""
    escaped = name.encode("unicode_escape").decode("ascii")
    last = name.split()[-1]
    return [form for form in (name, escaped, last, last.encode("unicode_escape").decode("ascii"))
            if form in text]


async def test_an_update_the_library_cannot_parse_is_skipped_once_without_personal_data(
    demo_bot: LocalBot, caplog: pytest.LogCaptureFixture,
) -> None:
    broken = {"message": {
        "message_id": 7, "date": "not a date", "text": "hello",
        "chat": {"id": 77, "type": "private", "first_name": SECRET_NAME},
        "from": {"id": 77, "is_bot": False, "first_name": SECRET_NAME},
    }}
    with caplog.at_level(logging.INFO):
        demo_bot.emulator.send_update(broken)
        replies = await demo_bot.say(SECRETARY, "/trogiup")  # the bot goes on with the next one
    assert replies, "the bot stopped after an update it could not parse"
    assert [r.levelname for r in caplog.records if r.levelno >= logging.ERROR] == []
    skipped = [r for r in caplog.records if "could not be parsed" in r.getMessage()]
    assert len(skipped) == 1 and skipped[0].levelno == logging.WARNING
    assert _leaks(_all_log_text(caplog), SECRET_NAME) == []
    assert demo_bot.emulator.pending_updates == []  # confirmed: Telegram will not send it again


def test_a_library_log_line_carrying_received_data_keeps_the_data_out() -> None:
    """PTB's own "Received data was …" lines (webhook mode, polling) repeat the raw update."""
    from bot.logging_setup import setup_logging

    setup_logging("WARNING")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("telegram.ext.Updater")
    logger.addHandler(handler)
    try:
        logger.critical("Error while parsing updates! Received data was %r",
                        [{"message": {"from": {"first_name": SECRET_NAME}}}])
    finally:
        logger.removeHandler(handler)
    text = "\n".join(r.getMessage() for r in records)
    assert "Error while parsing updates" in text
    assert _leaks(text, SECRET_NAME) == []


async def test_at_debug_level_no_typed_name_reaches_the_logs(
    demo_bot: LocalBot, caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.logging_setup import setup_logging

    setup_logging("DEBUG")  # as `chibo run --log-level DEBUG` does
    with caplog.at_level(logging.DEBUG):
        await demo_bot.say(SECRETARY, "/ungvien")
        await demo_bot.say(SECRETARY, SECRET_NAME)  # kept in the draft, persisted in the DB
        await demo_bot.say(SECRETARY, "12/3/1998")
        await demo_bot.press(SECRETARY, t("gender.female", "vi"))
        await demo_bot.press(SECRETARY, t("background.youth_union", "vi"))
        await demo_bot.press(SECRETARY, t("button.today", "vi"))
        await demo_bot.press(SECRETARY, t("button.skip", "vi"))
        saved = await demo_bot.press(SECRETARY, t("button.save", "vi"))  # the candidate row
        await demo_bot.restart()  # flushes the conversation state
    assert any(SECRET_NAME in (m.text or "") for m in saved)
    assert any(r.levelno == logging.DEBUG for r in caplog.records)  # DEBUG did log something
    assert _leaks(_all_log_text(caplog), SECRET_NAME) == []


async def test_polling_waits_long_on_the_bot_api_as_configured(
    sqlite_db: object, clock: object,
) -> None:
    """An idle bot should cost nearly nothing: one long poll at a time, not one call a second."""
    import dataclasses

    from bot.config import Settings

    assert Settings().telegram.poll_timeout_seconds >= 20
    settings = Settings()
    settings = dataclasses.replace(
        settings, telegram=dataclasses.replace(settings.telegram, poll_timeout_seconds=7))
    bot = LocalBot(settings, sqlite_db, clock=clock)  # type: ignore[arg-type]
    await bot.start()
    try:
        for _ in range(100):  # the first poll is on its way
            if polls := bot.emulator.calls("getUpdates"):
                break
            await asyncio.sleep(0.05)
    finally:
        await bot.stop()
    assert polls and {p.params.get("timeout") for p in polls} == {7}


async def test_a_settings_button_on_a_message_that_is_gone_still_shows_the_result(
    demo_bot: LocalBot, caplog: pytest.LogCaptureFixture,
) -> None:
    """Found by the fuzz run: a forged (or deleted) message id under a settings button."""
    with caplog.at_level(logging.INFO):
        replies = await demo_bot.press_data(SECRETARY, "nn:m:quota_pace", message_id=99_999)
    assert _errors(caplog) == []
    assert t("error.unexpected", "vi") not in [m.text for m in replies]
    assert replies and replies[-1].buttons  # the settings, sent anew since they could not be edited
    assert demo_bot.emulator.unanswered_callbacks() == []
