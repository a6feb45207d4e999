"""Use-cases behind /nhacnho and the reminder buttons: a person sees and changes their own reminder
settings (mute a rule, snooze everything, quiet hours) and snoozes one reminder message.

Settings are always the acting user's own: no call takes a user id from button data. Every change
is written with an audit row in the same transaction; a request that changes nothing writes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.config import Settings, parse_hhmm
from bot.domain.errors import InvalidInput, NotFound, PermissionDenied
from bot.domain.reminders import RULE_SWITCH, Rule
from bot.domain.roles import Actor, Role
from bot.services.access import confirm_actor
from bot.store.audit import add_audit
from bot.store.db import Database
from bot.store.outbox import enqueue, get_row
from bot.store.prefs import (
    PrefsInfo,
    get_group_due,
    get_prefs,
    list_shown_rows,
    mark_muted,
    mark_quiet_hours,
    mark_snoozed,
    postpone_pending,
    release_postponed,
)

# The reminders that can reach each role, in the order /nhacnho lists them.
ROLE_RULES: dict[Role, tuple[Rule, ...]] = {
    Role.SECRETARY: (Rule.QUOTA_PACE, Rule.MEETING_MISSING, Rule.MEMBER_ABSENCES, Rule.CEREMONY_DUE,
                     Rule.PROBATION_ENDING, Rule.REVIEW_OVERDUE, Rule.CERTIFICATE_EXPIRING,
                     Rule.DOSSIER_STALE),
    Role.COMMITTEE: (Rule.QUOTA_PACE, Rule.MEETING_ESCALATED, Rule.COMMITTEE_ABSENT, Rule.CEREMONY_DUE,
                     Rule.REVIEW_OVERDUE),
    Role.ADMIN: (Rule.DIGEST_QUOTA, Rule.DIGEST_MEETINGS, Rule.DIGEST_COMMITTEE, Rule.DIGEST_UNREACHABLE,
                 Rule.DECISION_OVERDUE),
}
SNOOZE_ALL_DAYS = (3, 7)  # the "snooze everything" choices /nhacnho offers
_SNOOZE_SUFFIX = re.compile(r":snz(\d+)$")
_SNOOZE_GROUP = re.compile(r"^snooze:(.+):(\d+)$")


@dataclass(frozen=True)
class ReminderPrefs:
    """What /nhacnho shows: the role's rules (muted or not), the snooze and the quiet hours."""

    rules: tuple[tuple[Rule, bool], ...]  # (rule, muted), only rules switched on in config
    snoozed_until: datetime | None  # UTC, only while it lies ahead
    quiet_start: str  # "HH:MM", the person's own or the default
    quiet_end: str
    quiet_is_default: bool
    reminders_enabled: bool  # False: the ward switched reminders off altogether


@dataclass(frozen=True)
class SnoozedReminder:
    until: datetime  # UTC: when the copy of the message is due
    queued: int  # new outbox rows (0 when this message was snoozed already)


# --- parsing what people type ------------------------------------------------------------------
_TIME = re.compile(r"^(\d{1,2})\s*(?:(?:h|g|giờ|:|\.)\s*(?:(\d{2})\s*(?:phút|p)?)?)?"
                   r"\s*(sáng|trưa|chiều|tối|đêm|khuya)?$")
EVENING, MORNING = "evening", "morning"  # how a bare "9" is read: 21:00 at "từ mấy giờ tối"


def _twelve_to_24(hours: int, part: str | None, reading: str | None) -> int:
    """A 12-hour clock reading made 24-hour: by the part of the day said ("9 giờ tối"), else by
    the question asked (`reading`: EVENING reads 6–11 as 18–23 and 12 as midnight)."""
    if hours > 12:
        return hours  # already 24-hour, whatever was added
    if part in ("chiều", "tối") or (part == "trưa" and hours < 11):
        return 0 if hours == 12 else hours + 12
    if part in ("đêm", "khuya"):
        return 0 if hours == 12 else hours + 12 if hours >= 6 else hours
    if part == "sáng":
        return 0 if hours == 12 else hours
    if part is None and reading == EVENING:
        return 0 if hours == 12 else hours + 12 if hours >= 6 else hours
    return hours


def parse_time_of_day(text: str, reading: str | None = None) -> time:
    """ "21", "21h", "21:00", "21h30", "21 giờ 30", "9 giờ tối" → a time; InvalidInput(reason=
    "bad_time") otherwise. `reading`=EVENING: a bare hour is an evening one ("9" → 21:00, "12" →
    0:00), as the question "từ mấy giờ tối" means it; MORNING or None: as typed."""
    cleaned = unicodedata.normalize("NFC", text).strip().lower()
    match = _TIME.match(cleaned)
    if match is None:
        raise InvalidInput(field="time", reason="bad_time", value=text[:20])
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        raise InvalidInput(field="time", reason="bad_time", value=text[:20])
    return time(_twelve_to_24(hours, match.group(3), reading), minutes)


def hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


# --- reading -----------------------------------------------------------------------------------
def _rules_for(actor: Actor, settings: Settings) -> tuple[Rule, ...]:
    return tuple(r for r in ROLE_RULES[actor.role] if getattr(settings.reminders, RULE_SWITCH[r]))


def _view(prefs: PrefsInfo, actor: Actor, settings: Settings, now: datetime) -> ReminderPrefs:
    r = settings.reminders
    snoozed = prefs.snoozed_until if prefs.snoozed_until and prefs.snoozed_until > now else None
    return ReminderPrefs(
        rules=tuple((rule, rule.value in prefs.muted_rules) for rule in _rules_for(actor, settings)),
        snoozed_until=snoozed,
        quiet_start=prefs.quiet_start or r.quiet_start, quiet_end=prefs.quiet_end or r.quiet_end,
        quiet_is_default=prefs.quiet_start is None and prefs.quiet_end is None,
        reminders_enabled=r.enabled,
    )


def _audit_values(prefs: PrefsInfo) -> dict[str, object]:
    return {"muted_rules": list(prefs.muted_rules),
            "snoozed_until": prefs.snoozed_until.isoformat() if prefs.snoozed_until else None,
            "quiet_start": prefs.quiet_start, "quiet_end": prefs.quiet_end}


async def reminder_prefs(db: Database, settings: Settings, actor: Actor, now: datetime) -> ReminderPrefs:
    async with db.read() as session:
        prefs = await get_prefs(session, actor.user_id)
    return _view(prefs, actor, settings, now)


# --- changing ----------------------------------------------------------------------------------
async def set_rule_muted(db: Database, settings: Settings, actor: Actor, rule_name: str, muted: bool,
                         now: datetime) -> ReminderPrefs:
    """Mutes (or unmutes) one of the actor's rules; pressing the same button twice changes nothing more."""
    if rule_name not in {r.value for r in _rules_for(actor, settings)}:
        raise InvalidInput(field="rule", reason="unknown_rule", value=rule_name[:40])
    async with db.write() as session:
        await confirm_actor(session, actor)
        before = await get_prefs(session, actor.user_id)
        rules = set(before.muted_rules)
        rules = rules | {rule_name} if muted else rules - {rule_name}
        after = before
        if rules != set(before.muted_rules):
            after = await mark_muted(session, actor.user_id, sorted(rules))
            await add_audit(session, action="mute_rule" if muted else "unmute_rule", entity="user_prefs",
                            entity_id=actor.user_id, actor_user_id=actor.user_id,
                            before=_audit_values(before), after=_audit_values(after))
    return _view(after, actor, settings, now)


async def snooze_all(db: Database, settings: Settings, actor: Actor, days: int,
                     now: datetime) -> ReminderPrefs:
    """No reminders for `days` days: new ones wait, and so do the ones already queued."""
    if days not in SNOOZE_ALL_DAYS:
        raise InvalidInput(field="days", reason="bad_snooze", value=days)
    until = (now + timedelta(days=days)).replace(second=0, microsecond=0)
    async with db.write() as session:
        await confirm_actor(session, actor)
        before = await get_prefs(session, actor.user_id)
        after = before
        if before.snoozed_until != until:
            after = await mark_snoozed(session, actor.user_id, until)
            moved = await postpone_pending(session, actor.user_id, until)
            await add_audit(session, action="snooze_all", entity="user_prefs", entity_id=actor.user_id,
                            actor_user_id=actor.user_id, before=_audit_values(before),
                            after=_audit_values(after) | {"postponed": moved})
    return _view(after, actor, settings, now)


async def cancel_snooze(db: Database, settings: Settings, actor: Actor, now: datetime) -> ReminderPrefs:
    """Reminders again from now on; the ones the snooze held back are due at once."""
    async with db.write() as session:
        await confirm_actor(session, actor)
        before = await get_prefs(session, actor.user_id)
        after = before
        if before.snoozed_until is not None:
            after = await mark_snoozed(session, actor.user_id, None)
            moved = 0
            if before.snoozed_until > now:
                moved = await release_postponed(session, actor.user_id, before.snoozed_until, now)
            await add_audit(session, action="cancel_snooze", entity="user_prefs", entity_id=actor.user_id,
                            actor_user_id=actor.user_id, before=_audit_values(before),
                            after=_audit_values(after) | {"released": moved})
    return _view(after, actor, settings, now)


def check_quiet_hours(start: time, end: time) -> None:
    """A quiet span must have a length: the same time twice means nothing (refused)."""
    if start == end:
        raise InvalidInput(field="quiet_hours", reason="same_time", value=hhmm(start))


async def set_quiet_hours(db: Database, settings: Settings, actor: Actor, start: str, end: str,
                          now: datetime) -> ReminderPrefs:
    """The actor's own quiet hours, as "HH:MM" strings (local time); the span may cross midnight."""
    start_at, end_at = parse_hhmm(start), parse_hhmm(end)
    if start_at is None or end_at is None:
        raise InvalidInput(field="time", reason="bad_time", value=(start if start_at is None else end)[:20])
    check_quiet_hours(start_at, end_at)
    return await _store_quiet(db, settings, actor, hhmm(start_at), hhmm(end_at), now)


async def reset_quiet_hours(db: Database, settings: Settings, actor: Actor, now: datetime) -> ReminderPrefs:
    """Back to the ward's default quiet hours."""
    return await _store_quiet(db, settings, actor, None, None, now)


async def _store_quiet(db: Database, settings: Settings, actor: Actor, start: str | None, end: str | None,
                       now: datetime) -> ReminderPrefs:
    async with db.write() as session:
        await confirm_actor(session, actor)
        before = await get_prefs(session, actor.user_id)
        after = before
        if (before.quiet_start, before.quiet_end) != (start, end):
            after = await mark_quiet_hours(session, actor.user_id, start, end)
            await add_audit(session, action="quiet_hours" if start else "quiet_hours_default",
                            entity="user_prefs", entity_id=actor.user_id, actor_user_id=actor.user_id,
                            before=_audit_values(before), after=_audit_values(after))
    return _view(after, actor, settings, now)


# --- snoozing one reminder message ---------------------------------------------------------------
def snooze_keys(period: str, group: str) -> tuple[int, str]:
    """(n, root group) for the next snooze of a message: a sweep's message gives n = 1; the copy made
    by snooze n gives n + 1. Derived from the pressed row alone, so pressing twice gives the same keys."""
    found = _SNOOZE_SUFFIX.search(period)
    n = int(found.group(1)) + 1 if found else 1
    root = _SNOOZE_GROUP.match(group)
    return n, root.group(1) if root else group


def snoozed_period(period: str, n: int) -> str:
    return f"{_SNOOZE_SUFFIX.sub('', period)}:snz{n}"


async def snooze_reminder(db: Database, settings: Settings, actor: Actor, row_id: int,
                          now: datetime) -> SnoozedReminder:
    """Queues the whole message that outbox row `row_id` went out in again, `snooze_days` from now.

    Only the person it was sent to may snooze it: someone else's (or a made-up) id changes nothing.
    """
    async with db.write() as session:
        await confirm_actor(session, actor)
        pressed = await get_row(session, row_id)
        if pressed is None or pressed.recipient_user_id != actor.user_id:
            raise PermissionDenied(reason="not_your_reminder")
        n, root = snooze_keys(pressed.period, pressed.message_group)
        group = f"snooze:{root}:{n}"
        due = now + timedelta(days=settings.reminders.snooze_days)
        rows = await list_shown_rows(session, actor.user_id, pressed.message_group)
        copies = [{"rule": r.rule, "subject": r.subject, "period": snoozed_period(r.period, n),
                   "recipient_user_id": actor.user_id, "payload": r.payload, "due_at": due,
                   "message_group": group, "created_at": now, "attempts": 0, "last_error": ""}
                  for r in rows]
        queued = await enqueue(session, copies)
        until = await get_group_due(session, actor.user_id, group)
        if until is None:  # every row of that message was dropped (muted): nothing to repeat
            raise NotFound(reason="reminder_gone")
        if queued:
            await add_audit(session, action="snooze_reminder", entity="outbox", entity_id=row_id,
                            actor_user_id=actor.user_id,
                            after={"group": group, "rows": queued, "due_at": until.isoformat()})
    return SnoozedReminder(until, queued)
