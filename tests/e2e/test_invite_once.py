"""/moi issues one code per run: old buttons, a number typed again on Zalo, or /huy afterwards say
which code was issued and change nothing. End to end on the demo ward, both channels."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.demo.ward import DEMO_USERS
from bot.domain.channels import TELEGRAM
from bot.sandbox.local import LocalBot
from bot.sandbox.records import SentMessage
from bot.store.db import Database
from bot.store.models import Invite
from bot.texts import t
from tests.e2e.conftest import toast_shown

ADMIN = DEMO_USERS["admin"]
ISSUED_UNTIL = "05/12/2026"  # the demo clock is 28/11/2026; invites last a week


async def _invites(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Invite)) or 0)


def _issued(replies: list[SentMessage]) -> str:
    """The code in "Mã mời cho …: ABCDE-FGHJK"."""
    return (replies[0].text or "").split(": ", 1)[1].split()[0]


async def test_one_code_per_run_and_later_taps_say_it_was_issued(demo_bot: LocalBot) -> None:
    before = await _invites(demo_bot.db)
    [roles] = await demo_bot.say(ADMIN, "/moi")
    [cells] = await demo_bot.press(ADMIN, t("role.secretary", "vi"))
    first_cell, second_cell = cells.button_texts[:2]
    old_tap = cells.button_data(second_cell)  # what a second, quick tap on the list would send
    issued = await demo_bot.press(ADMIN, first_cell)
    code = _issued(issued)
    assert await _invites(demo_bot.db) == before + 1
    already = t("invite.already_issued", "vi", code=code, expires=ISSUED_UNTIL)

    if demo_bot.channel == TELEGRAM:
        assert demo_bot.current(cells).buttons == []  # the list cannot be pressed again
        # A quick second tap on the list, and a tap on the role question above it.
        replies = await demo_bot.press_data(ADMIN, old_tap, message_id=cells.message_id)
        assert toast_shown(demo_bot, replies, already, alert=True)
        replies = await demo_bot.press(ADMIN, t("role.secretary", "vi"), message=roles)
        assert toast_shown(demo_bot, replies, already, alert=True)
    else:  # Zalo: the numbers of the old list, typed again
        assert [m.text for m in await demo_bot.say(ADMIN, "2")] == [already]
        assert [m.text for m in await demo_bot.say(ADMIN, second_cell)] == [already]
    assert await _invites(demo_bot.db) == before + 1

    # /huy afterwards: nothing to cancel, and the code stays as issued.
    cancelled = await demo_bot.say(ADMIN, "/huy")
    assert [m.text for m in cancelled] == [t("flow.nothing_to_cancel", "vi") + "\n" + already]
    assert await _invites(demo_bot.db) == before + 1

    # A new run issues a new code; what the old run issued no longer answers for it.
    await demo_bot.say(ADMIN, "/moi")
    await demo_bot.press(ADMIN, t("role.secretary", "vi"))
    second = await demo_bot.press(ADMIN, second_cell)
    assert _issued(second) != code and await _invites(demo_bot.db) == before + 2
    text = "xin cảm ơn"  # not a choice: the usual answer
    assert [m.text for m in await demo_bot.say(ADMIN, text)] == [t("free_text_hint", "vi")]
