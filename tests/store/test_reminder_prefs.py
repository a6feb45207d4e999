"""Reminder settings and snoozing through the services, on both backends: each change once, audited,
and only ever the acting user's own."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.domain.errors import InvalidInput, PermissionDenied
from bot.domain.reminders import Rule
from bot.domain.roles import Actor, Role
from bot.services.reminder_prefs import (
    EVENING,
    MORNING,
    ROLE_RULES,
    cancel_snooze,
    parse_time_of_day,
    reminder_prefs,
    reset_quiet_hours,
    set_quiet_hours,
    set_rule_muted,
    snooze_all,
    snooze_keys,
    snooze_reminder,
)
from bot.store.db import Database
from bot.store.models import AuditLog, Outbox, UserPrefs
from bot.store.outbox import enqueue
from tests.conftest import add_actor

SETTINGS = Settings()
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội


async def _audits(db: Database, user_id: int) -> list[AuditLog]:
    async with db.read() as session:
        return list(await session.scalars(
            select(AuditLog).where(AuditLog.actor_user_id == user_id, AuditLog.entity != "user")
            .order_by(AuditLog.id)))


async def _prefs_row(db: Database, user_id: int) -> UserPrefs | None:
    async with db.read() as session:
        return await session.get(UserPrefs, user_id)


async def _outbox(db: Database, user_id: int) -> list[Outbox]:
    async with db.read() as session:
        return list(await session.scalars(
            select(Outbox).where(Outbox.recipient_user_id == user_id).order_by(Outbox.id)))


def _reminder(user_id: int, rule: str, subject: str, period: str, group: str, **kw: Any) -> dict[str, Any]:
    row = {"rule": rule, "subject": subject, "period": period, "recipient_user_id": user_id,
           "payload": {"cell": "Chi bộ tổ 16"}, "due_at": NOW - timedelta(hours=2), "message_group": group,
           "created_at": NOW - timedelta(hours=3), "attempts": 0, "last_error": "", "sent_at": None,
           "gave_up_at": None}
    return row | kw


async def _sent_message(db: Database, user_id: int) -> list[int]:
    """A delivered sweep message of two reminders (plus one dropped because it was muted)."""
    group = "sweep:2026-12-01"
    async with db.write() as session:
        await enqueue(session, [
            _reminder(user_id, "quota_pace", "cell:1", "2026-12-01", group, sent_at=NOW),
            _reminder(user_id, "probation_ending", "candidate:7", "probation:2026-12-16", group, sent_at=NOW),
            _reminder(user_id, "member_absences", "member:3", "2026:2", group, gave_up_at=NOW),
        ])
    return [r.id for r in await _outbox(db, user_id)]


# --- parsing times -----------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "expected"), [
    ("21", time(21)), ("21h", time(21)), ("21:00", time(21)), ("21h30", time(21, 30)), (" 7 ", time(7)),
    ("6H30", time(6, 30)), ("21 giờ 30", time(21, 30)), ("0", time(0)), ("23:59", time(23, 59)),
    ("21g", time(21)), ("21.30", time(21, 30)),
])
def test_forgiving_times_are_understood(typed: str, expected: time) -> None:
    assert parse_time_of_day(typed) == expected


@pytest.mark.parametrize(("typed", "evening", "morning"), [
    ("9", time(21), time(9)), ("12", time(0), time(12)), ("6", time(18), time(6)), ("10h30", time(22, 30),
     time(10, 30)), ("21", time(21), time(21)), ("0", time(0), time(0)), ("1", time(1), time(1)),
    ("9 giờ tối", time(21), time(21)), ("12 giờ đêm", time(0), time(0)), ("7 giờ sáng", time(7), time(7)),
    ("2 giờ chiều", time(14), time(14)), ("11 giờ đêm", time(23), time(23)),
])
def test_a_bare_hour_is_read_as_the_question_means_it(typed: str, evening: time, morning: time) -> None:
    """"Từ mấy giờ tối?" — "12" is midnight, not noon; a part of the day said outright wins."""
    assert parse_time_of_day(typed, EVENING) == evening
    assert parse_time_of_day(typed, MORNING) == morning


@pytest.mark.parametrize("typed", ["", "abc", "24", "21h75", "9 giờ tốii", "21:5", "-1", "2100", "21:00:00"])
def test_nonsense_times_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_time_of_day(typed)
    assert caught.value.data["reason"] == "bad_time"


def test_snooze_keys_follow_the_pressed_row() -> None:
    assert snooze_keys("2026-12-01", "sweep:2026-12-01") == (1, "sweep:2026-12-01")
    assert snooze_keys("2026-12-01:snz1", "snooze:sweep:2026-12-01:1") == (2, "sweep:2026-12-01")
    assert snooze_keys("probation:2026-12-16:snz9", "snooze:sweep:2026-12-01:9") == (10, "sweep:2026-12-01")


# --- mute / unmute -----------------------------------------------------------------------------
async def test_muting_a_rule_twice_changes_it_once_and_unmuting_restores(db: Database) -> None:
    sec = await add_actor(db, Role.SECRETARY)
    view = await reminder_prefs(db, SETTINGS, sec, NOW)
    assert [r for r, _ in view.rules] == list(ROLE_RULES[Role.SECRETARY])
    assert not any(muted for _, muted in view.rules)
    assert (view.quiet_start, view.quiet_end, view.quiet_is_default) == ("21:00", "07:00", True)

    for _ in range(2):
        view = await set_rule_muted(db, SETTINGS, sec, "quota_pace", True, NOW)
    assert dict(view.rules)[Rule.QUOTA_PACE] is True
    row = await _prefs_row(db, sec.user_id)
    assert row is not None and row.muted_rules == ["quota_pace"]
    audits = await _audits(db, sec.user_id)
    assert [(a.action, a.before["muted_rules"], a.after["muted_rules"]) for a in audits] == [
        ("mute_rule", [], ["quota_pace"])]

    await set_rule_muted(db, SETTINGS, sec, "dossier_stale", True, NOW)
    view = await set_rule_muted(db, SETTINGS, sec, "quota_pace", False, NOW)
    assert {r.value for r, muted in view.rules if muted} == {"dossier_stale"}
    assert [a.action for a in await _audits(db, sec.user_id)] == ["mute_rule", "mute_rule", "unmute_rule"]


@pytest.mark.parametrize("rule", ["bogus", "digest_quota", "meeting_escalated", ""])
async def test_unknown_or_other_roles_rules_are_refused(db: Database, rule: str) -> None:
    sec = await add_actor(db, Role.SECRETARY)
    with pytest.raises(InvalidInput) as caught:
        await set_rule_muted(db, SETTINGS, sec, rule, True, NOW)
    assert caught.value.data["reason"] == "unknown_rule"
    assert await _prefs_row(db, sec.user_id) is None
    assert await _audits(db, sec.user_id) == []


async def test_each_role_sees_its_own_rules_and_switched_off_rules_are_hidden(db: Database) -> None:
    committee = await add_actor(db, Role.COMMITTEE)
    admin = await add_actor(db, Role.ADMIN)
    view = await reminder_prefs(db, SETTINGS, committee, NOW)
    assert [r.value for r, _ in view.rules] == ["quota_pace", "meeting_escalated", "committee_absent",
                                                 "ceremony_due", "review_overdue"]
    view = await reminder_prefs(db, SETTINGS, admin, NOW)
    assert [r.value for r, _ in view.rules] == ["digest_quota", "digest_meetings", "digest_committee",
                                                 "digest_unreachable", "decision_overdue"]
    from dataclasses import replace
    no_clocks = replace(SETTINGS, reminders=replace(SETTINGS.reminders, admission_clocks=False))
    view = await reminder_prefs(db, no_clocks, admin, NOW)
    assert Rule.DECISION_OVERDUE not in dict(view.rules)
    with pytest.raises(InvalidInput):
        await set_rule_muted(db, no_clocks, admin, "decision_overdue", True, NOW)


async def test_one_persons_changes_never_touch_anothers(db: Database) -> None:
    sec = await add_actor(db, Role.SECRETARY)
    other = await add_actor(db, Role.SECRETARY)
    await set_rule_muted(db, SETTINGS, sec, "quota_pace", True, NOW)
    await snooze_all(db, SETTINGS, sec, 3, NOW)
    await set_quiet_hours(db, SETTINGS, sec, "22:00", "06:00", NOW)
    assert await _prefs_row(db, other.user_id) is None
    view = await reminder_prefs(db, SETTINGS, other, NOW)
    assert not any(m for _, m in view.rules) and view.snoozed_until is None and view.quiet_is_default


# --- snoozing everything -------------------------------------------------------------------------
async def test_snooze_all_holds_queued_reminders_and_cancel_releases_them(db: Database) -> None:
    sec = await add_actor(db, Role.SECRETARY)
    other = await add_actor(db, Role.SECRETARY)
    async with db.write() as session:
        await enqueue(session, [
            _reminder(sec.user_id, "quota_pace", "cell:1", "2026-12-01", "sweep:2026-12-01", due_at=NOW),
            _reminder(sec.user_id, "meeting_missing", "cell:1", "2026-11", "sweep:2026-12-05",
                      due_at=NOW + timedelta(days=10)),
            _reminder(other.user_id, "quota_pace", "cell:2", "2026-12-01", "sweep:2026-12-01", due_at=NOW),
        ])
    with pytest.raises(InvalidInput):
        await snooze_all(db, SETTINGS, sec, 30, NOW)

    view = await snooze_all(db, SETTINGS, sec, 3, NOW)
    until = NOW + timedelta(days=3)
    assert view.snoozed_until == until
    again = await snooze_all(db, SETTINGS, sec, 3, NOW + timedelta(seconds=20))  # a double tap
    assert again.snoozed_until == until
    assert [r.due_at for r in await _outbox(db, sec.user_id)] == [until, NOW + timedelta(days=10)]
    assert [r.due_at for r in await _outbox(db, other.user_id)] == [NOW]
    assert [a.action for a in await _audits(db, sec.user_id)] == ["snooze_all"]

    later = NOW + timedelta(hours=5)
    view = await cancel_snooze(db, SETTINGS, sec, later)
    assert view.snoozed_until is None
    assert [r.due_at for r in await _outbox(db, sec.user_id)] == [later, NOW + timedelta(days=10)]
    await cancel_snooze(db, SETTINGS, sec, later)
    assert [a.action for a in await _audits(db, sec.user_id)] == ["snooze_all", "cancel_snooze"]
    row = await _prefs_row(db, sec.user_id)
    assert row is not None and row.snoozed_until is None


async def test_a_past_snooze_is_shown_as_none(db: Database) -> None:
    sec = await add_actor(db, Role.SECRETARY)
    await snooze_all(db, SETTINGS, sec, 7, NOW)
    assert (await reminder_prefs(db, SETTINGS, sec, NOW + timedelta(days=8))).snoozed_until is None


# --- quiet hours -----------------------------------------------------------------------------------
async def test_quiet_hours_are_saved_normalised_and_reset_to_default(db: Database) -> None:
    sec = await add_actor(db, Role.SECRETARY)
    view = await set_quiet_hours(db, SETTINGS, sec, "22:30", "6:00", NOW)
    assert (view.quiet_start, view.quiet_end, view.quiet_is_default) == ("22:30", "06:00", False)
    await set_quiet_hours(db, SETTINGS, sec, "22:30", "06:00", NOW)  # the same again: no change
    row = await _prefs_row(db, sec.user_id)
    assert row is not None and (row.quiet_start, row.quiet_end) == ("22:30", "06:00")

    for start, end, reason in [("21:00", "21:00", "same_time"), ("25:00", "06:00", "bad_time"),
                               ("21:00", "abc", "bad_time")]:
        with pytest.raises(InvalidInput) as caught:
            await set_quiet_hours(db, SETTINGS, sec, start, end, NOW)
        assert caught.value.data["reason"] == reason

    view = await reset_quiet_hours(db, SETTINGS, sec, NOW)
    assert (view.quiet_start, view.quiet_end, view.quiet_is_default) == ("21:00", "07:00", True)
    row = await _prefs_row(db, sec.user_id)
    assert row is not None and (row.quiet_start, row.quiet_end) == (None, None)
    audits = await _audits(db, sec.user_id)
    assert [(a.action, a.after["quiet_start"], a.after["quiet_end"]) for a in audits] == [
        ("quiet_hours", "22:30", "06:00"), ("quiet_hours_default", None, None)]


# --- snoozing one reminder message -----------------------------------------------------------------
async def test_snoozing_a_message_queues_its_rows_once(db: Database) -> None:
    sec = await add_actor(db, Role.SECRETARY)
    quota_id, probation_id, _muted_id = await _sent_message(db, sec.user_id)

    first = await snooze_reminder(db, SETTINGS, sec, probation_id, NOW)
    due = NOW + timedelta(days=SETTINGS.reminders.snooze_days)
    assert (first.until, first.queued) == (due, 2)
    second = await snooze_reminder(db, SETTINGS, sec, quota_id, NOW + timedelta(minutes=1))
    assert (second.until, second.queued) == (due, 0)

    copies = [r for r in await _outbox(db, sec.user_id) if r.message_group.startswith("snooze:")]
    assert [(c.rule, c.period, c.message_group, c.due_at, c.payload) for c in copies] == [
        ("quota_pace", "2026-12-01:snz1", "snooze:sweep:2026-12-01:1", due, {"cell": "Chi bộ tổ 16"}),
        ("probation_ending", "probation:2026-12-16:snz1", "snooze:sweep:2026-12-01:1", due,
         {"cell": "Chi bộ tổ 16"}),
    ]
    assert all(c.sent_at is None and c.gave_up_at is None for c in copies)
    audits = await _audits(db, sec.user_id)
    assert [(a.action, a.entity, a.entity_id) for a in audits] == [
        ("snooze_reminder", "outbox", probation_id)]

    # The copy, once delivered, can be snoozed again: a second generation, once.
    async with db.write() as session:
        for c in copies:
            (await session.get(Outbox, c.id)).sent_at = due  # type: ignore[union-attr]
    later = due + timedelta(hours=1)
    third = await snooze_reminder(db, SETTINGS, sec, copies[0].id, later)
    assert third.queued == 2
    assert (await snooze_reminder(db, SETTINGS, sec, copies[1].id, later)).queued == 0
    groups = [r.message_group for r in await _outbox(db, sec.user_id)]
    assert groups.count("snooze:sweep:2026-12-01:2") == 2


async def test_someone_elses_or_a_made_up_reminder_cannot_be_snoozed(db: Database) -> None:
    sec = await add_actor(db, Role.SECRETARY)
    intruder: Actor = await add_actor(db, Role.SECRETARY)
    ids = await _sent_message(db, sec.user_id)
    for row_id in (ids[0], 999_999):
        with pytest.raises(PermissionDenied) as caught:
            await snooze_reminder(db, SETTINGS, intruder, row_id, NOW)
        assert caught.value.data["reason"] == "not_your_reminder"
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Outbox)) == 3
    assert await _audits(db, intruder.user_id) == []
