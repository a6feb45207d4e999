"""Random and malformed updates through the real Application and the Bot API emulator.

Two phases on the demo ward:
  1. input the bot must refuse — strangers, groups, channel posts, edits, unknown and unparsable
     update kinds, stickers and photos from nobody: no errors, and not one row changed;
  2. registered people typing and pressing anything — random Unicode, 20,000-character texts,
     commands with odd arguments, forged button data, stickers, photos: no errors.
"No errors" means no ERROR/CRITICAL log record and no "unexpected error" reply.

CI runs a few hundred updates (CHIBO_FUZZ_COUNT, default 300); the full run is
`CHIBO_FUZZ_COUNT=5000 python -m pytest tests/e2e/test_fuzz.py` (README, "Testing").
CHIBO_FUZZ_SEED picks another sequence; a failure prints the seed to replay it.
"""

from __future__ import annotations

import logging
import os
import random
import string
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.demo.ward import DEMO_USERS
from bot.domain.roles import Role
from bot.sandbox.local import LocalBot
from bot.store.models import Cell
from bot.store.users import upsert_user
from bot.texts import t
from tests.e2e.test_hardening import snapshot

pytestmark = pytest.mark.telegram_only  # raw Bot API updates and forged callback data are Telegram's

COUNT = int(os.environ.get("CHIBO_FUZZ_COUNT", "300"))
SEED = int(os.environ.get("CHIBO_FUZZ_SEED", "20261128"))
BATCH = 25  # updates queued before waiting for the bot to go quiet

# Many chats, as in real life: Telegram (and the bot's rate limiter) allow about one message a
# second per chat and twenty a minute per group, so a handful of chats would make the run wait.
STRANGERS = list(range(7_000_001, 7_000_041))
GROUPS = list(range(-1_001_234_600, -1_001_234_580))
CHANNEL = -1_009_876_543
EXTRA = list(range(7_100_001, 7_100_038))  # registered in the fixture, beside the demo users
REGISTERED = list(DEMO_USERS.values()) + EXTRA
COMMANDS = ["/start", "/trogiup", "/help", "/ungvien", "/capnhat", "/ketnap", "/sinhhoat",
            "/nhacnho", "/tiendo", "/tonghop", "/moi", "/huy", "/xyz", "/tiendo@chibo_demo_bot"]
PREFIXES = ["uv:", "cn:", "kn:", "sh:", "nn:", "nn:s:", "nn:m:", "rm:snz:", "rm:set", "inv:",
            "inv:r:", "go:", "go:tiendo", "st:", "cancel", "back", "uv:h:", "uv:hp:", "cn:c:"]
# Scripts and symbols a phone can send: Vietnamese, emoji, CJK, Arabic, combining marks,
# zero-width and direction marks, control characters.
RANGES = [(0x20, 0x7E), (0xC0, 0x1B0), (0x1EA0, 0x1EF9), (0x300, 0x36F), (0x200B, 0x200F),
          (0x202A, 0x202E), (0x600, 0x6FF), (0x4E00, 0x4EFF), (0x1F300, 0x1F64F), (0x1, 0x1F)]


def random_text(rng: random.Random, longest: int = 60) -> str:
    chars = []
    for _ in range(rng.randint(1, longest)):
        low, high = rng.choice(RANGES)
        chars.append(chr(rng.randint(low, high)))
    return "".join(chars)


def random_data(rng: random.Random) -> str:
    """Callback data as a modified client could send it (Telegram allows 1–64 bytes)."""
    kind = rng.random()
    if kind < 0.4:
        data = rng.choice(PREFIXES) + rng.choice(["", str(rng.randint(0, 10**12)), random_text(rng, 8),
                                                   rng.choice(string.ascii_lowercase)])
    elif kind < 0.7:
        data = ":".join(rng.choice(["uv", "cn", "kn", "sh", "nn", "rm", str(rng.randint(-5, 99))])
                        for _ in range(rng.randint(1, 4)))
    else:
        data = random_text(rng, 30)
    while len(data.encode("utf-8")) > 64:
        data = data[:-1]
    return data or "x"


def _user_json(user_id: int, rng: random.Random) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": random_text(rng, 20)}


def _raw_message(bot: LocalBot, rng: random.Random, chat: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"message_id": rng.randint(1, 10**6), "date": int(time.time()), "chat": chat, **extra}


def refused_update(bot: LocalBot, rng: random.Random) -> None:
    """One update the bot must turn away without changing anything."""
    emu = bot.emulator
    someone = rng.choice(REGISTERED)
    stranger, group = rng.choice(STRANGERS), rng.choice(GROUPS)
    private = {"id": stranger, "type": "private", "first_name": "Lạ"}
    choices: list[Callable[[], Any]] = [
        lambda: emu.send_text(stranger, random_text(rng)),
        lambda: emu.send_text(stranger, rng.choice(COMMANDS) + " " + random_text(rng, 12)),
        lambda: emu.send_text(stranger, "x" * 20_000),
        lambda: emu.send_text(stranger, "/start " + random_text(rng, 30)),
        lambda: emu.press_button(stranger, rng.randint(1, 50), random_data(rng), forged=True),
        lambda: emu.send_sticker(stranger),
        lambda: emu.send_photo(stranger, caption=random_text(rng)),
        lambda: emu.send_text(someone, rng.choice(COMMANDS), chat_id=group),
        lambda: emu.send_text(someone, random_text(rng), chat_id=group),
        lambda: emu.press_button(someone, rng.randint(1, 50), random_data(rng), chat_id=group,
                                 forged=True),
        lambda: emu.send_update({"channel_post": _raw_message(
            bot, rng, {"id": CHANNEL, "type": "channel", "title": "Kênh"}, text=random_text(rng))}),
        lambda: emu.send_update({"edited_channel_post": _raw_message(
            bot, rng, {"id": CHANNEL, "type": "channel", "title": "Kênh"}, text="/tiendo",
            edit_date=int(time.time()))}),
        lambda: emu.send_update({"edited_message": _raw_message(
            bot, rng, {"id": someone, "type": "private", "first_name": "A"},
            text=rng.choice(["Lưu", "/huy", random_text(rng)]), edit_date=int(time.time()),
            **{"from": _user_json(someone, rng)})}),
        lambda: emu.send_update({rng.choice(["future_update", "business_message", "chat_boost"]): {
            "anything": random_text(rng), "id": rng.randint(1, 99)}}),
        lambda: emu.send_update({"message": {"message_id": "?", "date": random_text(rng, 5),
                                             "chat": private, "from": _user_json(stranger, rng)}}),
        lambda: emu.send_update({"callback_query": {"id": "1", "data": random_data(rng)}}),
        lambda: emu.send_update({"my_chat_member": {
            "chat": private, "from": _user_json(stranger, rng), "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": _user_json(1, rng)},
            "new_chat_member": {"status": "kicked", "user": _user_json(1, rng), "until_date": 0}}}),
        lambda: emu.send_update({"message": _raw_message(
            bot, rng, private, **{"from": _user_json(stranger, rng)},
            poll={"id": "p", "question": random_text(rng), "options": [], "total_voter_count": 0,
                  "is_closed": False, "is_anonymous": True, "type": "regular",
                  "allows_multiple_answers": False})}),
    ]
    rng.choice(choices)()


def registered_update(bot: LocalBot, rng: random.Random) -> None:
    """Anything a registered person could type or press."""
    emu = bot.emulator
    someone = rng.choice(REGISTERED)
    sent = emu.messages(someone)
    message_id = rng.choice(sent).message_id if sent and rng.random() < 0.8 else rng.randint(1, 500)
    choices: list[Callable[[], Any]] = [
        lambda: emu.send_text(someone, random_text(rng)),
        lambda: emu.send_text(someone, rng.choice(COMMANDS)),
        lambda: emu.send_text(someone, rng.choice(COMMANDS) + " " + random_text(rng, 15)),
        lambda: emu.send_text(someone, random_text(rng, 3) * 7000),  # over 20,000 characters
        lambda: emu.send_text(someone, str(rng.randint(-10, 10**15))),
        lambda: emu.press_button(someone, message_id, random_data(rng), forged=True),
        lambda: emu.send_sticker(someone),
        lambda: emu.send_photo(someone, caption=random_text(rng) if rng.random() < 0.5 else None),
    ]
    rng.choice(choices)()


def _problems(bot: LocalBot, caplog: pytest.LogCaptureFixture) -> list[str]:
    errors = [f"{r.levelname} {r.name}: {r.getMessage()[:300]}" for r in caplog.records
              if r.levelno >= logging.ERROR]
    unexpected = t("error.unexpected", "vi")
    for chat in [*REGISTERED, *STRANGERS, *GROUPS]:
        errors += [f"unexpected-error reply in chat {chat}"
                   for m in bot.emulator.messages(chat) if m.text == unexpected]
    return errors


async def _feed(bot: LocalBot, rng: random.Random, count: int,
                make: Callable[[LocalBot, random.Random], None]) -> None:
    for start in range(0, count, BATCH):
        for _ in range(min(BATCH, count - start)):
            make(bot, rng)
        await bot.settle(timeout=120)


@pytest.fixture
async def fuzz_bot(demo_bot: LocalBot) -> LocalBot:
    """The demo ward with 37 more registered people (secretaries of other cells, committee
    members, admins), 40 strangers, 20 groups and a channel."""
    async with demo_bot.db.write() as session:
        cells = list(await session.scalars(
            select(Cell.id).where(Cell.name != "Chi bộ tổ 16").order_by(Cell.id)))
        for n, user_id in enumerate(EXTRA):
            role = (Role.SECRETARY, Role.COMMITTEE, Role.ADMIN)[n % 3]
            await upsert_user(
                session, channel="telegram", external_id=str(user_id), chat_id=user_id,
                display_name=f"Người dùng {n}", role=role,
                cell_id=cells[n // 3] if role is Role.SECRETARY else None,
                cell_ids=frozenset(cells[n // 3:n // 3 + 3]) if role is Role.COMMITTEE else frozenset())
    for n, user_id in enumerate(EXTRA):
        demo_bot.add_user(user_id, f"Người dùng {n}")
    for user_id in STRANGERS:
        demo_bot.emulator.add_user(user_id, "Người", "Lạ")
    for group in GROUPS:
        demo_bot.emulator.add_group(group, "Chi bộ tổ 16 (nhóm Zalo cũ)")
    demo_bot.emulator.add_group(CHANNEL, "Kênh", kind="channel")
    return demo_bot


async def test_refused_input_changes_nothing_and_raises_nothing(
    fuzz_bot: LocalBot, caplog: pytest.LogCaptureFixture,
) -> None:
    rng = random.Random(SEED)
    before = await snapshot(fuzz_bot)
    with caplog.at_level(logging.WARNING):
        await _feed(fuzz_bot, rng, COUNT // 2, refused_update)
    assert _problems(fuzz_bot, caplog) == [], f"replay with CHIBO_FUZZ_SEED={SEED}"
    assert await snapshot(fuzz_bot) == before, f"replay with CHIBO_FUZZ_SEED={SEED}"


async def test_anything_a_registered_person_sends_is_answered_without_error(
    fuzz_bot: LocalBot, caplog: pytest.LogCaptureFixture,
) -> None:
    rng = random.Random(SEED + 1)
    with caplog.at_level(logging.WARNING):
        await _feed(fuzz_bot, rng, COUNT - COUNT // 2, registered_update)
    assert _problems(fuzz_bot, caplog) == [], f"replay with CHIBO_FUZZ_SEED={SEED}"
    assert fuzz_bot.emulator.unanswered_callbacks() == []
