"""Configuration: defaults, the documented example, and one-line errors for every kind of mistake."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings, settings_from_mapping

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config.example.toml"


def test_example_file_documents_every_key_with_its_default() -> None:
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    example = settings_from_mapping(data, ROOT)
    defaults = Settings(base_dir=ROOT)
    for section in dataclasses.fields(Settings):
        if section.name == "base_dir":
            continue
        documented = set(data[section.name])
        known = {f.name for f in dataclasses.fields(getattr(defaults, section.name))}
        assert documented == known, f"[{section.name}] keys differ from the settings class"
        assert getattr(example, section.name) == getattr(defaults, section.name)


def test_missing_default_file_means_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHIBO_CONFIG", raising=False)
    settings = load_settings()
    assert settings.general.timezone == "Asia/Ho_Chi_Minh"
    assert settings.database_url == f"sqlite+aiosqlite:///{(tmp_path / 'chibo.db').resolve()}"


def test_relative_sqlite_path_is_resolved_next_to_the_config(tmp_path: Path) -> None:
    cfg = tmp_path / "etc" / "chibo.toml"
    cfg.parent.mkdir()
    cfg.write_text('[database]\nurl = "data/ward.db"\n', encoding="utf-8")
    assert load_settings(cfg).database_url.endswith(str(tmp_path / "etc" / "data" / "ward.db"))


def test_db_override_and_postgres_url(tmp_path: Path) -> None:
    assert load_settings(None, "postgresql://u:p@h/db").database_url == "postgresql+asyncpg://u:p@h/db"
    assert load_settings(None, str(tmp_path / "x.db")).database_url.endswith("/x.db")


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[rules]\nprobation_months = \"twelve\"\n", "rules.probation_months: expected a whole number"),
        ("[rules]\nprobation_month = 12\n", "rules.probation_month: unknown key"),
        ("[nonsense]\nx = 1\n", "nonsense: unknown section"),
        ("[general]\nlanguage = \"fr\"\n", "general.language: expected one of 'vi', 'en'"),
        ("[general]\ntimezone = \"Mars/Olympus\"\n", "general.timezone: expected an IANA time zone"),
        ("[quotas]\nresidential = -1\n", "quotas.residential: expected a whole number ≥ 0"),
        ("[quotas]\ncount_by = \"vote\"\n", "quotas.count_by: expected one of"),
        ("[invites]\nvalid_days = 0\n", "invites.valid_days: expected at least 1"),
        ("[webhook]\nport = 70000\n", "webhook.port: expected 1–65535"),
        ("[standby]\ntakeover_seconds = 2\n", "standby.takeover_seconds: expected 5–3600"),
        ("[database]\nurl = \"mysql://x\"\n", "database.url: expected sqlite:///FILE"),
        ("rules = 3\n", "rules: expected a [rules] table"),
        ("[rules\n", "not valid TOML"),
    ],
)
def test_bad_config_gives_one_line_naming_the_key(tmp_path: Path, toml: str, expected: str) -> None:
    cfg = tmp_path / "chibo.toml"
    cfg.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(cfg)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_token_comes_from_env_before_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("111:FILE\n", encoding="utf-8")
    cfg = tmp_path / "chibo.toml"
    cfg.write_text(f'[telegram]\ntoken_file = "{token_file}"\n', encoding="utf-8")
    monkeypatch.delenv("CHIBO_TELEGRAM_TOKEN", raising=False)
    assert load_settings(cfg).telegram_token() == "111:FILE"
    monkeypatch.setenv("CHIBO_TELEGRAM_TOKEN", "222:ENV")
    assert load_settings(cfg).telegram_token() == "222:ENV"


def test_unreadable_token_file_names_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHIBO_TELEGRAM_TOKEN", raising=False)
    cfg = tmp_path / "chibo.toml"
    cfg.write_text('[telegram]\ntoken_file = "missing-token"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^telegram.token_file: cannot read"):
        load_settings(cfg).telegram_token()
