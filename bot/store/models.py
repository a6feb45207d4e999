"""ORM models. Times are stored in UTC (`UtcDateTime`); calendar dates (`Date`) are local dates.

Enums are stored as their string values (portable across SQLite and PostgreSQL, readable in SQL).
Nothing is ever hard-deleted: candidates drop out, members leave, users are deactivated.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Deterministic constraint names, so Alembic migrations read the same on both backends.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Committee(Base):
    """A ward party committee (đảng bộ phường, `kind` "ward") and its superior committee's name,
    or the province above the wards (`kind` "province", Tỉnh ủy / Thành ủy) that one deployment
    serves. A ward's `parent_id` is its province; a single-ward database has no province row."""

    __tablename__ = "committees"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    superior_name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), default="ward", server_default="ward")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class YearQuota(Base):
    """The ward's admission quota for a year, as the superior committee set it.

    Absent for a year, the ward's quota is the sum of its cells' quotas.
    """

    __tablename__ = "year_quotas"
    __table_args__ = (UniqueConstraint("committee_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"))
    year: Mapped[int] = mapped_column(Integer)
    quota: Mapped[int] = mapped_column(Integer)
    # Who set it, as reports name them: "Thành ủy Thái Nguyên giao". Empty: the superior committee.
    set_by: Mapped[str] = mapped_column(String(200), default="", server_default="")


class CellQuota(Base):
    """A cell's admission quota for one year, as the plan sets it ("Đảng ủy giao").

    Absent for a year, the cell's standing `Cell.quota` applies, else its kind's default.
    """

    __tablename__ = "cell_quotas"
    __table_args__ = (UniqueConstraint("cell_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("cells.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quota: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Cell(Base):
    """A party cell (chi bộ). `quota` overrides the per-kind default from config when set."""

    __tablename__ = "cells"
    __table_args__ = (UniqueConstraint("committee_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    quota: Mapped[int | None] = mapped_column(Integer, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Member(Base):
    """A party member of a cell. Optional: imported so absences can name people."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("cell_id", "full_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("cells.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20))  # full | probationary (MemberStatus)
    admitted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # moved away, died, removed
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # How and when the member came into this cell (bot.domain.membership.JoinKind). No date: on
    # the list from the start (counted from `admitted_on`, or always when that is unknown too).
    joined_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    joined_how: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # How they left (LeaveKind), with `left_on`; empty while they stay (or for an old unknown reason).
    left_how: Mapped[str] = mapped_column(String(20), default="", server_default="")
    left_note: Mapped[str] = mapped_column(String(200), default="", server_default="")


class Candidate(Base):
    """A person moving through the admission pipeline; `stage` is the last step recorded."""

    __tablename__ = "candidates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("cells.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    birth_year: Mapped[int] = mapped_column(Integer)
    birth_month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    birth_day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    gender: Mapped[str] = mapped_column(String(10), default="")
    background: Mapped[str] = mapped_column(String(20), default="")
    helper_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    helper_name: Mapped[str] = mapped_column(String(120), default="")
    # The member row the person became at the ceremony (not matched by name: names repeat).
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    stage: Mapped[str] = mapped_column(String(20))
    dropped_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    dropped_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    events: Mapped[list[CandidateEvent]] = relationship(
        back_populates="candidate", order_by="CandidateEvent.happened_on", lazy="raise"
    )


class CandidateEvent(Base):
    """One dated step of a candidate's pipeline; `details` holds e.g. decision number, introducers."""

    __tablename__ = "candidate_events"
    __table_args__ = (UniqueConstraint("candidate_id", "stage"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    happened_on: Mapped[date] = mapped_column(Date, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    candidate: Mapped[Candidate] = relationship(back_populates="events", lazy="raise")


class Meeting(Base):
    """A cell meeting (sinh hoạt chi bộ): one per cell and date."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("cell_id", "held_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("cells.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20))  # regular | thematic | both
    expected: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)
    absent_excused: Mapped[int] = mapped_column(Integer, default=0)
    absent_unexcused: Mapped[int] = mapped_column(Integer, default=0)
    committee_member_attended: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MeetingAbsence(Base):
    """A named member absent from a meeting, with or without a valid reason."""

    __tablename__ = "meeting_absences"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    excused: Mapped[bool] = mapped_column(Boolean)


class User(Base):
    """A chat identity (channel + external id) with a role. A secretary has one cell."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))  # "telegram" | "zalo"
    external_id: Mapped[str] = mapped_column(String(64))
    # The private chat for pushes, as text: Telegram's integer ids and Zalo's string ids alike.
    chat_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20))
    cell_id: Mapped[int | None] = mapped_column(ForeignKey("cells.id"), nullable=True)
    # The ward they belong to (a province user: the province). Every user has one after 0005;
    # None only for rows written without it, which then mean the database's only ward.
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"), nullable=True,
                                                     index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    unreachable_since: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CommitteeAssignment(Base):
    """A committee member (cấp ủy viên) in charge of a cell."""

    __tablename__ = "committee_assignments"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("cells.id"), primary_key=True)


class Invite(Base):
    """A one-time registration code, stored as a hash; `cell_ids` for a committee member's cells."""

    __tablename__ = "invites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    cell_id: Mapped[int | None] = mapped_column(ForeignKey("cells.id"), nullable=True)
    cell_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"), nullable=True)
    note: Mapped[str] = mapped_column(String(120), default="")  # who it is for, as the admin typed
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class AuditLog(Base):
    """Every change: who (user id, or a CLI label), when, what, and the values before and after."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    actor_label: Mapped[str] = mapped_column(String(60), default="")
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class ConversationState(Base):
    """PTB persistence rows: conversation states and per-user/chat data that must survive restarts."""

    __tablename__ = "conversation_state"
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # conversation | user | chat | bot
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Outbox(Base):
    """A reminder decided by a sweep, waiting to be delivered. The unique key makes sweeps idempotent."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("rule", "subject", "period", "recipient_user_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(80))  # e.g. "cell:12", "candidate:7"
    period: Mapped[str] = mapped_column(String(60))  # e.g. "2026-10", "2026-Q4", "probation:2026-12-15"
    recipient_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Items decided by one sweep for one person go out as one message.
    message_group: Mapped[str] = mapped_column(String(40), default="")
    # A sender that took the row owns it until then; a crash lets another sender retry it after.
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sent_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    gave_up_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class UserPrefs(Base):
    """A person's reminder settings (/nhacnho): muted rules, a snooze, their own quiet hours."""

    __tablename__ = "user_prefs"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    muted_rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    snoozed_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    quiet_start: Mapped[str | None] = mapped_column(String(5), nullable=True)  # "21:00"; None: default
    quiet_end: Mapped[str | None] = mapped_column(String(5), nullable=True)


class JobRun(Base):
    """When each scheduled job last ran to completion, for catch-up after downtime."""

    __tablename__ = "job_runs"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class ChannelChoices(Base):
    """The numbered choices last offered in a chat of a channel without buttons (Zalo).

    Kept in the database so that typing "2" after a restart still presses the second button.
    """

    __tablename__ = "channel_choices"
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger)  # the (synthetic) id of the message they were under
    text: Mapped[str] = mapped_column(Text)  # that message's text, to ask it again for a stale number
    choices: Mapped[list[list[list[str]]]] = mapped_column(JSON)  # rows of [label, callback data]
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ChannelInbox(Base):
    """Incoming message ids already handled, for channels that may deliver an update twice (Zalo)."""

    __tablename__ = "channel_inbox"
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class Menu(Base):
    """The command menu last set in a person's chat (a signature of its commands and texts), so a
    start-up sends setMyCommands only to those whose menu changed."""

    __tablename__ = "menus"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    signature: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
