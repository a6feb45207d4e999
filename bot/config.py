"""Typed settings read from a TOML file (every key documented in config.example.toml) plus the environment.

Errors are one line naming the key and what was expected (`ConfigError`); the CLI prints it and exits 2.
Secrets never live in the TOML: the token comes from `CHIBO_TELEGRAM_TOKEN` or a `token_file`.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import typing
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_CONFIG_NAME = "chibo.toml"
DEFAULT_DB_NAME = "chibo.db"
TOKEN_ENV = "CHIBO_TELEGRAM_TOKEN"
WEBHOOK_SECRET_ENV = "CHIBO_WEBHOOK_SECRET"
ZALO_TOKEN_ENV = "CHIBO_ZALO_TOKEN"
ZALO_WEBHOOK_SECRET_ENV = "CHIBO_ZALO_WEBHOOK_SECRET"
CONFIG_ENV = "CHIBO_CONFIG"


class ConfigError(Exception):
    """A bad configuration: the message is one line naming the key and what was expected."""


@dataclass(frozen=True)
class DatabaseSettings:
    # SQLAlchemy URL or a plain file path; relative SQLite paths are resolved next to the config file.
    url: str = f"sqlite:///{DEFAULT_DB_NAME}"


@dataclass(frozen=True)
class TelegramSettings:
    token_file: str = ""  # a file outside the repo holding the token; env CHIBO_TELEGRAM_TOKEN wins
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    bot_username: str = ""  # used in invite links; learnt from getMe when the bot runs
    # Long polling: how long one getUpdates call waits for news. Telegram answers at once when
    # something arrives, so a long wait costs no latency and keeps an idle bot nearly silent.
    poll_timeout_seconds: int = 30


@dataclass(frozen=True)
class WebhookSettings:
    listen: str = "127.0.0.1"
    port: int = 8443
    url_path: str = "telegram"
    public_url: str = ""  # e.g. https://chibo.example.org/telegram, what Telegram calls
    secret_token_file: str = ""  # env CHIBO_WEBHOOK_SECRET wins


@dataclass(frozen=True)
class ZaloSettings:
    """The Zalo Bot Platform channel: on when a token is configured (env CHIBO_ZALO_TOKEN wins)."""

    token_file: str = ""
    base_url: str = "https://bot-api.zaloplatforms.com/bot"
    poll_timeout_seconds: int = 30  # long-poll wait of getUpdates when polling
    max_per_second: int = 5  # Zalo publishes no limit: a conservative overall sending cap
    per_chat_interval_ms: int = 1000  # at least this long between two pushes to one chat
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8444
    webhook_url_path: str = "zalo"
    webhook_public_url: str = ""  # e.g. https://chibo.example.org/zalo, what Zalo calls
    webhook_secret_file: str = ""  # 8-256 chars sent in X-Bot-Api-Secret-Token; env wins


@dataclass(frozen=True)
class GeneralSettings:
    timezone: str = "Asia/Ho_Chi_Minh"
    language: Literal["vi", "en"] = "vi"


@dataclass(frozen=True)
class InviteSettings:
    valid_days: int = 7


@dataclass(frozen=True)
class QuotaSettings:
    residential: int = 1
    agency: int = 2
    school: int = 2
    unit: int = 2
    enterprise: int = 2
    # Which date makes an admission count toward a year's quota.
    count_by: Literal["decision", "ceremony"] = "decision"


@dataclass(frozen=True)
class RuleSettings:
    certificate_valid_months: int = 60
    dossier_max_age_months: int = 12
    introducer_known_months: int = 12
    min_age_months: int = 18 * 12
    max_age_months: int = 60 * 12
    # Youth Union age (Luật Thanh niên, Điều lệ Đoàn: "từ đủ 16 tuổi đến 30 tuổi"): 30 tuổi 11 tháng
    # is still 30, so youth age ends the day before the 31st birthday.
    youth_min_age_months: int = 16 * 12
    youth_max_age_months: int = 31 * 12 - 1
    decision_due_working_days: int = 60
    ceremony_due_working_days: int = 30
    probation_months: int = 12
    full_membership_review_working_days: int = 30
    absence_warning: int = 2
    absence_removal: int = 3
    committee_attendance_window: Literal["month", "quarter", "half_year"] = "quarter"
    meeting_report_max_age_days: int = 31


@dataclass(frozen=True)
class ReminderSettings:
    enabled: bool = True
    sweep_time: str = "08:00"  # local time of the daily sweep that decides reminders
    send_interval_seconds: int = 15  # how often the sender drains the outbox
    quiet_start: str = "21:00"  # no pushes from here …
    quiet_end: str = "07:00"  # … until here (local time); they wait, never dropped
    max_per_second: int = 25  # overall sending cap (Telegram allows about 30)
    max_attempts: int = 8  # network errors retried with backoff this many times
    quota_pace: bool = True
    quota_from_month: int = 7
    quota_day_of_month: int = 1  # monthly on this day; every Monday in December
    meeting_missing: bool = True
    meeting_missing_day: int = 5  # day of the next month the secretary is reminded
    meeting_escalate_after_days: int = 5  # then the committee member in charge
    committee_attendance: bool = True
    member_absences: bool = True
    admission_clocks: bool = True
    ceremony_warn_working_days: int = 25
    probation_warn_days: int = 30
    certificate_warn_days: int = 90
    snooze_days: int = 3


@dataclass(frozen=True)
class FileSettings:
    """Links to files the bot serves itself (Zalo takes pictures and files only by URL)."""

    public_url: str = ""  # e.g. https://chibo.example.org/files; empty: no links, Zalo gets none
    listen: str = "127.0.0.1"
    port: int = 8445
    url_path: str = "files"
    link_hours: int = 24  # a link stops working this long after it was sent


@dataclass(frozen=True)
class ConversationSettings:
    idle_minutes: int = 20


@dataclass(frozen=True)
class StandbySettings:
    """Two `chibo run` on one PostgreSQL database: one leads, the other takes over (bot.standby)."""

    # At most this long after the leader dies or hangs, the standby serves in its place. Shorter
    # means quicker takeovers but a leader whose event loop stalls a third of it steps down.
    takeover_seconds: int = 30


@dataclass(frozen=True)
class Settings:
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    zalo: ZaloSettings = field(default_factory=ZaloSettings)
    general: GeneralSettings = field(default_factory=GeneralSettings)
    invites: InviteSettings = field(default_factory=InviteSettings)
    quotas: QuotaSettings = field(default_factory=QuotaSettings)
    rules: RuleSettings = field(default_factory=RuleSettings)
    conversation: ConversationSettings = field(default_factory=ConversationSettings)
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    standby: StandbySettings = field(default_factory=StandbySettings)
    files: FileSettings = field(default_factory=FileSettings)
    # Where relative paths are resolved: the config file's folder (or the working directory).
    base_dir: Path = field(default_factory=Path.cwd)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.general.timezone)

    @property
    def database_url(self) -> str:
        return normalise_database_url(self.database.url, self.base_dir)

    def telegram_token(self) -> str | None:
        """The bot token from the environment or the token file; None when neither is set."""
        return _secret(TOKEN_ENV, self.telegram.token_file, self.base_dir, "telegram.token_file")

    def zalo_token(self) -> str | None:
        """The Zalo bot token (`<bot_id>:<secret>`) from the environment or its file; None: no Zalo."""
        return _secret(ZALO_TOKEN_ENV, self.zalo.token_file, self.base_dir, "zalo.token_file")

    def zalo_webhook_secret(self) -> str | None:
        return _secret(
            ZALO_WEBHOOK_SECRET_ENV, self.zalo.webhook_secret_file, self.base_dir, "zalo.webhook_secret_file",
        )

    def webhook_secret(self) -> str | None:
        return _secret(
            WEBHOOK_SECRET_ENV, self.webhook.secret_token_file, self.base_dir,
            "webhook.secret_token_file",
        )


def _secret(env: str, file_setting: str, base_dir: Path, key: str) -> str | None:
    value = os.environ.get(env, "").strip()
    if value:
        return value
    if file_setting:
        path = (base_dir / file_setting).expanduser()
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{key}: cannot read {path} ({exc.strerror})") from None
        return value or None
    return None


def normalise_database_url(url_or_path: str, base_dir: Path) -> str:
    """An async SQLAlchemy URL from what a person writes: a path, sqlite:///x.db or postgresql://…"""
    text = url_or_path.strip()
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + text.split("://", 1)[1]
    if text.startswith("postgresql+asyncpg://"):
        return text
    if text.startswith("sqlite+aiosqlite:///") or text.startswith("sqlite:///"):
        path = text.split(":///", 1)[1]
    elif "://" in text:
        raise ConfigError(
            f"database.url: expected sqlite:///FILE, a file path or postgresql://…, got {text!r}"
        )
    else:
        path = text
    if path == ":memory:":
        return "sqlite+aiosqlite:///:memory:"
    resolved = (base_dir / Path(path).expanduser()).resolve()
    return f"sqlite+aiosqlite:///{resolved}"


# Section name → its settings class, e.g. "rules" → RuleSettings.
_SECTIONS: dict[str, type] = {
    name: cls for name, cls in typing.get_type_hints(Settings).items() if name != "base_dir"
}


def _check_value(key: str, value: Any, annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is Literal:
        options = typing.get_args(annotation)
        if value not in options:
            raise ConfigError(f"{key}: expected one of {', '.join(map(repr, options))}, got {value!r}")
        return value
    if annotation is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: expected true or false, got {value!r}")
        return value
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{key}: expected a whole number ≥ 0, got {value!r}")
        return value
    if annotation is str:
        if not isinstance(value, str):
            raise ConfigError(f"{key}: expected a text in quotes, got {value!r}")
        return value
    raise ConfigError(f"{key}: unsupported setting type")  # pragma: no cover


def _build_section(name: str, cls: type, raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{name}: expected a [{name}] table, got {raw!r}")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    for key in raw:
        if key not in known:
            raise ConfigError(f"{name}.{key}: unknown key (known: {', '.join(sorted(known))})")
    values = {key: _check_value(f"{name}.{key}", raw[key], hints[key]) for key in raw}
    return cls(**values)


def settings_from_mapping(data: dict[str, Any], base_dir: Path) -> Settings:
    """Validate a parsed TOML document into Settings (unknown keys and wrong types are errors)."""
    sections: dict[str, Any] = {}
    for name, raw in data.items():
        if name not in _SECTIONS:
            raise ConfigError(f"{name}: unknown section (known: {', '.join(sorted(_SECTIONS))})")
        sections[name] = _build_section(name, _SECTIONS[name], raw)
    settings = Settings(**sections, base_dir=base_dir)
    _validate(settings)
    return settings


def _validate(s: Settings) -> None:
    try:
        ZoneInfo(s.general.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"general.timezone: expected an IANA time zone such as 'Asia/Ho_Chi_Minh', "
            f"got {s.general.timezone!r}"
        ) from None
    if s.invites.valid_days < 1:
        raise ConfigError(f"invites.valid_days: expected at least 1, got {s.invites.valid_days}")
    if s.conversation.idle_minutes < 1:
        raise ConfigError(
            f"conversation.idle_minutes: expected at least 1, got {s.conversation.idle_minutes}"
        )
    if s.rules.min_age_months >= s.rules.max_age_months:
        raise ConfigError("rules.min_age_months: expected less than rules.max_age_months")
    if s.rules.youth_min_age_months >= s.rules.youth_max_age_months:
        raise ConfigError("rules.youth_min_age_months: expected less than rules.youth_max_age_months")
    if not 1 <= s.webhook.port <= 65535:
        raise ConfigError(f"webhook.port: expected 1–65535, got {s.webhook.port}")
    if not 1 <= s.zalo.webhook_port <= 65535:
        raise ConfigError(f"zalo.webhook_port: expected 1–65535, got {s.zalo.webhook_port}")
    if not 1 <= s.files.port <= 65535:
        raise ConfigError(f"files.port: expected 1–65535, got {s.files.port}")
    if s.files.link_hours < 1:
        raise ConfigError(f"files.link_hours: expected at least 1, got {s.files.link_hours}")
    if s.files.public_url and not s.files.public_url.startswith(("https://", "http://")):
        raise ConfigError(f"files.public_url: expected an address starting with https://, got "
                          f"{s.files.public_url!r}")
    if not 1 <= s.telegram.poll_timeout_seconds <= 50:
        raise ConfigError("telegram.poll_timeout_seconds: expected 1–50 (Telegram waits at most 50), "
                          f"got {s.telegram.poll_timeout_seconds}")
    for key in ("max_per_second", "poll_timeout_seconds"):
        if getattr(s.zalo, key) < 1:
            raise ConfigError(f"zalo.{key}: expected at least 1, got {getattr(s.zalo, key)}")
    normalise_database_url(s.database.url, s.base_dir)  # raises on a malformed URL
    r = s.reminders
    for key in ("sweep_time", "quiet_start", "quiet_end"):
        if parse_hhmm(getattr(r, key)) is None:
            raise ConfigError(f"reminders.{key}: expected a time such as \"08:00\", got {getattr(r, key)!r}")
    if not 1 <= r.quota_from_month <= 12:
        raise ConfigError(f"reminders.quota_from_month: expected 1–12, got {r.quota_from_month}")
    for key in ("quota_day_of_month", "meeting_missing_day"):
        if not 1 <= getattr(r, key) <= 28:
            raise ConfigError(f"reminders.{key}: expected 1–28 (every month has it), got {getattr(r, key)}")
    for key in ("send_interval_seconds", "max_per_second", "max_attempts", "snooze_days"):
        if getattr(r, key) < 1:
            raise ConfigError(f"reminders.{key}: expected at least 1, got {getattr(r, key)}")
    if not 5 <= s.standby.takeover_seconds <= 3600:
        raise ConfigError("standby.takeover_seconds: expected 5–3600 (seconds), "
                          f"got {s.standby.takeover_seconds}")


def parse_hhmm(text: str) -> time | None:
    """ "08:00" → time(8, 0); None when it is not a 24-hour HH:MM time."""
    hours, sep, minutes = text.partition(":")
    if not sep or not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        return None
    if not (0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59):
        return None
    return time(int(hours), int(minutes))


def load_settings(path: str | os.PathLike[str] | None = None, db: str | None = None) -> Settings:
    """Settings from `path` (or $CHIBO_CONFIG, or ./chibo.toml), with `db` overriding the database.

    A config file named explicitly must exist; the default one may be absent (all defaults apply),
    so `chibo try` and `chibo demo` work on a fresh machine with no file at all.
    """
    explicit = path is not None or bool(os.environ.get(CONFIG_ENV))
    config_path = Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_NAME).expanduser()
    if config_path.is_file():
        try:
            # utf-8-sig: Windows Notepad starts a UTF-8 file with a byte order mark, which TOML
            # does not allow; it carries no meaning, so it is dropped.
            data = tomllib.loads(config_path.read_text(encoding="utf-8-sig"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_path}: not valid TOML ({exc})") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{config_path}: not UTF-8 text") from None
        except OSError as exc:
            raise ConfigError(f"{config_path}: cannot read ({exc.strerror})") from None
        settings = settings_from_mapping(data, config_path.resolve().parent)
    elif explicit:
        raise ConfigError(f"config: file {config_path} not found (expected a TOML file)")
    else:
        settings = Settings(base_dir=Path.cwd())
    if db:
        # --db is relative to where the command runs, as any path typed on a command line.
        url = normalise_database_url(db, Path.cwd())
        settings = dataclasses.replace(settings, database=DatabaseSettings(url=url))
    return settings
