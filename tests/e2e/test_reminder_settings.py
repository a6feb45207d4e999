"""/nhacnho and the buttons under a reminder, end to end through the real bot on the demo ward."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.demo.ward import DEMO_USERS
from bot.domain.channels import CHANNELS, sample_external_id
from bot.domain.reminders import Rule
from bot.domain.roles import Role
from bot.jobs.sender import Sender
from bot.sandbox.local import LocalBot
from bot.sandbox.records import SentMessage
from bot.services.onboarding import identify
from bot.services.reminder_prefs import ROLE_RULES
from bot.services.reminders import sweep
from bot.store.db import Database
from bot.store.models import AuditLog, Outbox, UserPrefs
from bot.texts import t
from bot.texts.reminders import render_reminders
from tests.e2e.conftest import edited_in_place, toast_shown

SECRETARY, COMMITTEE, ADMIN = DEMO_USERS["secretary"], DEMO_USERS["committee"], DEMO_USERS["admin"]
SWEEP_DAY = date(2026, 12, 1)  # the demo secretary gets four reminders that day
MORNING = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội, after the 08:00 sweep
SETTINGS_LABEL = t("nn.button.quiet", "vi")


def on(rule: Rule) -> str:
    return t("nn.rule_on", "vi", name=t(f"nn.rule.{rule.value}", "vi"))


def off(rule: Rule) -> str:
    return t("nn.rule_off", "vi", name=t(f"nn.rule.{rule.value}", "vi"))


def settings_text(*, start: str = "21:00", end: str = "07:00", default: bool = True,
                  snoozed_at: str | None = None) -> str:
    return "\n".join([
        t("nn.header", "vi"), "",
        t("nn.quiet", "vi", start=start, end=end, default=t("nn.quiet_default", "vi") if default else ""),
        t("nn.snoozed", "vi", at=snoozed_at) if snoozed_at else t("nn.not_snoozed", "vi"),
        "", t("nn.rules_header", "vi"),
    ])


async def _user_id(db: Database, telegram_id: int) -> int:
    """The demo user's id, on whichever channel the demo ward registered them."""
    found = [await identify(db, channel, sample_external_id(channel, telegram_id)) for channel in CHANNELS]
    [user] = [u for u in found if u is not None]
    return user.id


async def _prefs(db: Database, telegram_id: int) -> UserPrefs | None:
    user_id = await _user_id(db, telegram_id)
    async with db.read() as session:
        return await session.get(UserPrefs, user_id)


async def _audit_actions(db: Database, telegram_id: int) -> list[str]:
    user_id = await _user_id(db, telegram_id)
    async with db.read() as session:
        return list(await session.scalars(select(AuditLog.action).where(
            AuditLog.actor_user_id == user_id, AuditLog.action != "register").order_by(AuditLog.id)))


async def _outbox_rows(db: Database) -> list[Outbox]:
    async with db.read() as session:
        return list(await session.scalars(select(Outbox).order_by(Outbox.id)))


async def _deliver(demo_bot: LocalBot, at: datetime) -> SentMessage:
    """Moves the clock to `at`, delivers what is due, and returns the secretary's reminder message."""
    demo_bot.clock.now = at  # type: ignore[attr-defined]
    demo_bot.emulator.mark_seen(SECRETARY)
    assert demo_bot.app is not None
    await Sender(demo_bot.db, demo_bot.settings, demo_bot.clock).drain({demo_bot.channel: demo_bot.app.bot})
    await demo_bot.settle()
    [message] = demo_bot.emulator.new_messages(SECRETARY)
    return message


async def _reminder_message(demo_bot: LocalBot) -> SentMessage:
    """The sweep of 1/12/2026 decided and delivered: the secretary's one grouped message."""
    result = await sweep(demo_bot.db, demo_bot.settings, as_of=SWEEP_DAY, now=demo_bot.clock())
    assert result.queued > 0
    return await _deliver(demo_bot, MORNING)


# --- /nhacnho ------------------------------------------------------------------------------------
async def test_secretary_sees_her_settings_and_a_toggle_mutes_once(demo_bot: LocalBot) -> None:
    [view] = await demo_bot.say(SECRETARY, "/nhacnho")
    assert view.text == settings_text()
    rules = ROLE_RULES[Role.SECRETARY]
    assert view.button_texts == [*(on(r) for r in rules), t("nn.button.snooze", "vi", days=3),
                                 t("nn.button.snooze", "vi", days=7), SETTINGS_LABEL, t("button.done", "vi")]

    replies = await demo_bot.press(SECRETARY, on(Rule.QUOTA_PACE))
    assert edited_in_place(demo_bot, replies)
    shown = demo_bot.current(view)
    assert off(Rule.QUOTA_PACE) in shown.button_texts and on(Rule.QUOTA_PACE) not in shown.button_texts
    assert toast_shown(demo_bot, replies, t("nn.toast.muted", "vi", name=t("nn.rule.quota_pace", "vi")))
    prefs = await _prefs(demo_bot.db, SECRETARY)
    assert prefs is not None and prefs.muted_rules == ["quota_pace"]

    if demo_bot.channel == "telegram":
        # A double tap sends the old "mute" button again: it is muted already, nothing changes.
        await demo_bot.press_data(SECRETARY, "nn:m:quota_pace", message_id=view.message_id)
    assert await _audit_actions(demo_bot.db, SECRETARY) == ["mute_rule"]

    await demo_bot.press(SECRETARY, off(Rule.QUOTA_PACE))
    prefs = await _prefs(demo_bot.db, SECRETARY)
    assert prefs is not None and prefs.muted_rules == []
    assert on(Rule.QUOTA_PACE) in demo_bot.current(view).button_texts
    assert await _audit_actions(demo_bot.db, SECRETARY) == ["mute_rule", "unmute_rule"]

    await demo_bot.press(SECRETARY, on(Rule.DOSSIER_STALE))
    await demo_bot.press(SECRETARY, t("button.done", "vi"))
    done = demo_bot.current(view)
    assert done.buttons == []
    assert t("nn.muted_list", "vi", names=t("nn.rule.dossier_stale", "vi")) in (done.text or "")
    assert (done.text or "").endswith(t("nn.done", "vi"))


async def test_committee_member_and_admin_see_the_rules_of_their_role(demo_bot: LocalBot) -> None:
    for who, role in ((COMMITTEE, Role.COMMITTEE), (ADMIN, Role.ADMIN)):
        [view] = await demo_bot.say(who, "/nhacnho")
        toggles = [b for b in view.button_texts if b.startswith("🔔")]
        assert toggles == [on(r) for r in ROLE_RULES[role]], role


@pytest.mark.telegram_only  # a Zalo user can only type: there is no button data to forge
async def test_forged_settings_buttons_change_nothing(demo_bot: LocalBot) -> None:
    [view] = await demo_bot.say(SECRETARY, "/nhacnho")
    refusals = {
        "nn:m:digest_quota": t("nn.error.unknown_rule", "vi"),  # an admin's rule
        "nn:m:bogus": t("nn.error.unknown_rule", "vi"),
        "nn:s:30": t("nn.error.bad_snooze", "vi"),
        "nn:x:1": t("error.stale_button", "vi"),
    }
    for data, expected in refusals.items():
        assert await demo_bot.press_data(SECRETARY, data, message_id=view.message_id) == []
        answer = demo_bot.emulator.callback_answers(SECRETARY)[-1]
        assert (answer.text, answer.show_alert) == (expected, True), data
    assert await _prefs(demo_bot.db, SECRETARY) is None
    assert await _audit_actions(demo_bot.db, SECRETARY) == []
    assert demo_bot.current(view).text == settings_text()


async def test_pause_everything_then_resume(demo_bot: LocalBot) -> None:
    [view] = await demo_bot.say(SECRETARY, "/nhacnho")
    await demo_bot.press(SECRETARY, t("nn.button.snooze", "vi", days=7))
    until = t("nn.at", "vi", time="10:00", date="05/12/2026")  # the demo clock is 10:00 on 28/11
    shown = demo_bot.current(view)
    assert shown.text == settings_text(snoozed_at=until)
    prefs = await _prefs(demo_bot.db, SECRETARY)
    assert prefs is not None and prefs.snoozed_until == datetime(2026, 12, 5, 3, 0, tzinfo=UTC)

    await demo_bot.press(SECRETARY, t("nn.button.unsnooze", "vi"))
    assert demo_bot.current(view).text == settings_text()
    assert t("nn.button.unsnooze", "vi") not in demo_bot.current(view).button_texts
    prefs = await _prefs(demo_bot.db, SECRETARY)
    assert prefs is not None and prefs.snoozed_until is None
    assert await _audit_actions(demo_bot.db, SECRETARY) == ["snooze_all", "cancel_snooze"]


# --- quiet hours ---------------------------------------------------------------------------------
async def test_quiet_hours_typed_loosely_survive_a_restart_and_save_once(demo_bot: LocalBot) -> None:
    await demo_bot.say(SECRETARY, "/nhacnho")
    [question] = await demo_bot.press(SECRETARY, SETTINGS_LABEL)
    assert question.text == t("nn.ask_quiet_start", "vi")
    assert question.button_texts == ["20:00", "21:00", "22:00", t("button.cancel", "vi")]

    [question] = await demo_bot.say(SECRETARY, "21h30")
    assert question.text == t("nn.ask_quiet_end", "vi", start="21 giờ 30 tối")
    await demo_bot.restart()  # the answer so far is kept
    [confirm] = await demo_bot.say(SECRETARY, "6")
    assert confirm.text == t("nn.confirm_quiet", "vi", start="21 giờ 30 tối", end="6 giờ sáng")

    saved, view = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert saved.text == t("nn.saved_quiet", "vi", start="21 giờ 30 tối", end="6 giờ sáng")
    assert view.text == settings_text(start="21:30", end="06:00", default=False)
    assert demo_bot.current(confirm).buttons == []
    prefs = await _prefs(demo_bot.db, SECRETARY)
    assert prefs is not None and (prefs.quiet_start, prefs.quiet_end) == ("21:30", "06:00")

    if demo_bot.channel == "telegram":
        # A second tap on "Lưu" (stale) saves nothing more.
        assert await demo_bot.press_data(SECRETARY, "nn:save", message_id=confirm.message_id) == []
        assert demo_bot.emulator.callback_answers(SECRETARY)[-1].text == t("error.stale_button", "vi")
    assert await _audit_actions(demo_bot.db, SECRETARY) == ["quiet_hours"]

    await demo_bot.press(SECRETARY, t("nn.button.quiet_default", "vi", start="21:00", end="07:00"))
    assert demo_bot.current(view).text == settings_text()
    prefs = await _prefs(demo_bot.db, SECRETARY)
    assert prefs is not None and (prefs.quiet_start, prefs.quiet_end) == (None, None)
    assert await _audit_actions(demo_bot.db, SECRETARY) == ["quiet_hours", "quiet_hours_default"]


async def test_evening_hours_typed_as_on_a_clock_face_are_read_as_evening(demo_bot: LocalBot) -> None:
    """"12" for "từ mấy giờ tối" is midnight, "9" is 21:00, and the answer is read back in words."""
    await demo_bot.say(SECRETARY, "/nhacnho")
    await demo_bot.press(SECRETARY, SETTINGS_LABEL)
    [question] = await demo_bot.say(SECRETARY, "12")
    assert question.text == t("nn.ask_quiet_end", "vi", start="0 giờ (nửa đêm)")
    [confirm] = await demo_bot.say(SECRETARY, "6")
    assert (confirm.text or "").startswith("🌙 Không làm phiền từ 0 giờ (nửa đêm) đến 6 giờ sáng.")
    await demo_bot.press(SECRETARY, t("button.back", "vi"))
    [start_again] = await demo_bot.press(SECRETARY, t("button.back", "vi"))
    assert start_again.text == t("nn.ask_quiet_start", "vi")
    await demo_bot.say(SECRETARY, "9")
    [confirm] = await demo_bot.say(SECRETARY, "6")
    assert (confirm.text or "").startswith("🌙 Không làm phiền từ 21 giờ tối đến 6 giờ sáng.")
    [saved, _view] = await demo_bot.press(SECRETARY, t("button.save", "vi"))
    assert saved.text == t("nn.saved_quiet", "vi", start="21 giờ tối", end="6 giờ sáng")
    prefs = await _prefs(demo_bot.db, SECRETARY)
    assert prefs is not None and (prefs.quiet_start, prefs.quiet_end) == ("21:00", "06:00")


async def test_nonsense_quiet_hours_are_refused_with_an_example(demo_bot: LocalBot) -> None:
    await demo_bot.say(SECRETARY, "/nhacnho")
    await demo_bot.press(SECRETARY, SETTINGS_LABEL)
    ask_start = t("nn.ask_quiet_start", "vi")
    for typed in ("abc", "25h", "21h75", "9 giờ tốii"):
        replies = await demo_bot.say(SECRETARY, typed)
        assert [m.text for m in replies] == [t("nn.error.bad_time", "vi", value=typed), ask_start], typed
    demo_bot.emulator.mark_seen(SECRETARY)
    demo_bot.emulator.send_sticker(SECRETARY)
    await demo_bot.settle()
    sticker_answer, question = [m.text or "" for m in demo_bot.emulator.new_messages(SECRETARY)]
    assert sticker_answer == t("flow.not_text", "vi") and question == ask_start

    await demo_bot.say(SECRETARY, "22")
    replies = await demo_bot.say(SECRETARY, "22:00")
    assert [m.text for m in replies] == [t("nn.error.same_time", "vi", value="22:00"),
                                         t("nn.ask_quiet_end", "vi", start="22 giờ tối")]
    [again] = await demo_bot.press(SECRETARY, t("button.back", "vi"))
    assert again.text == ask_start
    if demo_bot.channel == "telegram":
        replies = await demo_bot.press_data(SECRETARY, "nn:ts:9999:v")  # a forged preset
        assert [m.text for m in replies] == [t("nn.error.bad_time", "vi", value="99:99"), ask_start]
    await demo_bot.say(SECRETARY, "7 giờ sáng")  # said so: not read as 19:00
    replies = await demo_bot.press(SECRETARY, "07:00")  # the same time by button
    assert [m.text for m in replies] == [t("nn.error.same_time", "vi", value="07:00"),
                                         t("nn.ask_quiet_end", "vi", start="7 giờ sáng")]
    await demo_bot.press(SECRETARY, t("button.back", "vi"))
    [end_question] = await demo_bot.press(SECRETARY, "20:00")
    assert end_question.text == t("nn.ask_quiet_end", "vi", start="20 giờ tối")
    busy = await demo_bot.say(SECRETARY, "/sinhhoat")
    assert busy[0].text == t("flow.busy", "vi", flow=t("flow.name.nhacnho", "vi"), command="/sinhhoat")
    assert [m.text for m in await demo_bot.say(SECRETARY, "/huy")] == [t("cancelled", "vi")]
    assert await _prefs(demo_bot.db, SECRETARY) is None
    assert await _audit_actions(demo_bot.db, SECRETARY) == []
    if demo_bot.channel == "telegram":
        assert demo_bot.emulator.unanswered_callbacks() == []


# --- the buttons under a reminder ------------------------------------------------------------------
async def test_snoozing_a_delivered_reminder_repeats_it_once_in_three_days(demo_bot: LocalBot) -> None:
    message = await _reminder_message(demo_bot)
    mine = [r for r in await _outbox_rows(demo_bot.db)
            if r.recipient_user_id == await _user_id(demo_bot.db, SECRETARY)]
    assert message.text == render_reminders([(r.rule, r.payload) for r in mine], "vi")
    snooze = t("rm.button.snooze", "vi", days=3)
    assert message.button_texts == [t("rm.button.update_candidate", "vi"), t("rm.button.progress", "vi"),
                                    snooze, t("rm.button.settings", "vi")]

    snooze_data = message.button_data(snooze)
    replies = await demo_bot.press(SECRETARY, snooze)
    assert edited_in_place(demo_bot, replies)
    snoozed = t("nn.snoozed_reminder", "vi", date="04/12/2026")
    assert toast_shown(demo_bot, replies, snoozed, alert=True)
    assert demo_bot.current(message).button_texts == [
        t("rm.button.update_candidate", "vi"), t("rm.button.progress", "vi"), t("rm.button.settings", "vi")]

    due = MORNING + timedelta(days=3)
    copies = [r for r in await _outbox_rows(demo_bot.db) if r.message_group.startswith("snooze:")]
    assert sorted((c.rule, c.period) for c in copies) == sorted((r.rule, f"{r.period}:snz1") for r in mine)
    assert {(c.message_group, c.due_at, c.sent_at) for c in copies} == {
        ("snooze:sweep:2026-12-01:1", due, None)}

    # The same button again (a double tap, or forged): still one copy of each.
    if demo_bot.channel == "telegram":
        await demo_bot.press_data(SECRETARY, snooze_data, message_id=message.message_id)
        assert demo_bot.emulator.callback_answers(SECRETARY)[-1].text == snoozed
    assert len([r for r in await _outbox_rows(demo_bot.db) if r.message_group.startswith("snooze:")]) == 4
    assert await _audit_actions(demo_bot.db, SECRETARY) == ["snooze_reminder"]

    again = await _deliver(demo_bot, due + timedelta(minutes=1))
    assert again.text == message.text
    assert snooze in again.button_texts


@pytest.mark.telegram_only  # a Zalo user can only type: there is no button data to forge
async def test_a_forged_snooze_of_someone_elses_reminder_changes_nothing(demo_bot: LocalBot) -> None:
    await _reminder_message(demo_bot)
    committee_id = await _user_id(demo_bot.db, COMMITTEE)
    before = await _outbox_rows(demo_bot.db)
    theirs = next(r for r in before if r.recipient_user_id == committee_id)
    assert await demo_bot.press_data(SECRETARY, f"rm:snz:{theirs.id}") == []
    answer = demo_bot.emulator.callback_answers(SECRETARY)[-1]
    assert (answer.text, answer.show_alert) == (t("nn.error.not_your_reminder", "vi"), True)
    assert len(await _outbox_rows(demo_bot.db)) == len(before)
    assert await _audit_actions(demo_bot.db, SECRETARY) == []
    async with demo_bot.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "snooze_reminder")) == 0


async def test_reminder_buttons_lead_to_the_action(demo_bot: LocalBot) -> None:
    message = await _reminder_message(demo_bot)
    if demo_bot.channel != "telegram":
        # Zalo: only the newest message's choices press, so the action is chosen right away.
        update = await demo_bot.press(SECRETARY, t("rm.button.update_candidate", "vi"), message)
        assert update[-1].buttons, "the candidate list of /capnhat"
        return
    progress = await demo_bot.press(SECRETARY, t("rm.button.progress", "vi"), message)
    assert (progress[0].text or "").startswith(t("status.header", "vi", cell="Chi bộ tổ 16", year=2026))
    # The action buttons start the flows themselves.
    meeting = await demo_bot.press_data(SECRETARY, "go:sinhhoat", message_id=message.message_id)
    assert (meeting[-1].text or "").startswith(t("meeting.ask_date", "vi", cell="Chi bộ tổ 16",
                                                 example="28/11/2026")[:30])
    await demo_bot.say(SECRETARY, "/huy")
    update = await demo_bot.press_data(SECRETARY, "go:capnhat", message_id=message.message_id)
    assert update[-1].buttons, "the candidate list of /capnhat"
    await demo_bot.say(SECRETARY, "/huy")
    [view] = await demo_bot.press(SECRETARY, t("rm.button.settings", "vi"), message)
    assert view.text == settings_text()
    assert demo_bot.emulator.unanswered_callbacks() == []


async def test_a_small_hour_typed_on_zalo_is_an_hour_not_a_preset_number(demo_bot: LocalBot) -> None:
    # Zalo numbers the choices under a question. "5" typed for "đến mấy giờ sáng" once pressed the
    # fifth choice (Hủy) and "1" the first preset (06:00): an hour typed is an hour, and the preset
    # times are typed by their words (on Telegram they stay buttons).
    await demo_bot.say(SECRETARY, "/nhacnho")
    await demo_bot.press(SECRETARY, SETTINGS_LABEL)
    [question] = await demo_bot.say(SECRETARY, "11")
    assert question.text == t("nn.ask_quiet_end", "vi", start="23 giờ tối")
    [confirm] = await demo_bot.say(SECRETARY, "5")
    assert (confirm.text or "").startswith("🌙 Không làm phiền từ 23 giờ tối đến 5 giờ sáng."), confirm.text
    await demo_bot.press(SECRETARY, t("button.back", "vi"))
    [confirm] = await demo_bot.say(SECRETARY, "1")  # 1 giờ sáng, not the preset 06:00
    assert (confirm.text or "").startswith("🌙 Không làm phiền từ 23 giờ tối đến 1 giờ sáng."), confirm.text
    await demo_bot.press(SECRETARY, t("button.back", "vi"))
    [confirm] = await demo_bot.press(SECRETARY, "06:00")  # the preset, as a button or typed
    assert (confirm.text or "").startswith("🌙 Không làm phiền từ 23 giờ tối đến 6 giờ sáng."), confirm.text
    await demo_bot.press(SECRETARY, t("button.save", "vi"))
    prefs = await _prefs(demo_bot.db, SECRETARY)
    assert prefs is not None and (prefs.quiet_start, prefs.quiet_end) == ("23:00", "06:00")
