"""Routine trouble around `chibo`: each is one line saying what is wrong and what to do, and a
non-zero exit — never a traceback (issue #8, item 13)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from bot.cli import main
from bot.texts import t

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_failure(code: int, err: str) -> str:
    assert code != 0
    assert "Traceback" not in err
    assert err.strip().count("\n") == 0, err
    assert err.startswith("chibo: ")
    return err.strip()


def ward(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    assert run(capsys, "init", "--db", str(path), "--committee", "Đảng bộ phường X")[0] == 0
    return str(path)


def test_postgresql_down(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", "--db", "postgresql://postgres@127.0.0.1:1/chibo")
    line = one_line_failure(code, err)
    assert "127.0.0.1:1" in line and "PostgreSQL" in line


def test_postgresql_refusing_the_database_name(capsys: pytest.CaptureFixture[str]) -> None:
    if not os.environ.get("CHIBO_TEST_PG_URL"):
        pytest.skip("CHIBO_TEST_PG_URL is not set")
    url = os.environ["CHIBO_TEST_PG_URL"].rsplit("/", 1)[0] + "/no_such_database_here"
    line = one_line_failure(*run(capsys, "init", "--db", url)[::2])
    assert "no_such_database_here" in line


def test_sqlite_file_in_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no" / "such" / "folder"
    code, _, err = run(capsys, "init", "--db", str(missing / "chibo.db"))
    line = one_line_failure(code, err)
    assert str(missing) in line and "mkdir" in line


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[list[Path]]:
    """Paths made immutable (a read-only file system, as far as SQLite can tell), undone after."""
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("needs root and chattr to make a folder read-only for root")
    paths: list[Path] = []
    yield paths
    for path in paths:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def _freeze(paths: list[Path], *targets: Path) -> None:
    for target in targets:
        if subprocess.run(["chattr", "+i", str(target)], check=False,
                          capture_output=True).returncode != 0:
            pytest.skip("this file system has no immutable flag")
        paths.append(target)


def test_read_only_file_system(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], immutable: list[Path],
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = ward(capsys, folder / "chibo.db")
    _freeze(immutable, folder / "chibo.db", folder)
    line = one_line_failure(*run(capsys, "init", "--db", db)[::2])
    assert str(folder) in line


def test_remind_dry_run_works_on_a_read_only_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], immutable: list[Path],
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = str(folder / "demo.db")
    assert run(capsys, "demo", "--db", db, "--today", "2026-11-28")[0] == 0
    _freeze(immutable, folder / "demo.db", folder)
    code, out, err = run(capsys, "remind", "--dry-run", "--as-of", "2026-10-01", "--db", db)
    assert code == 0, err
    assert "[quota_pace] • Chi bộ tổ 16" in out


def test_full_disk(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk cannot be made for one test: SQLite's own error is raised where it would be."""
    import bot.cli

    async def disk_full(_db: object) -> None:
        raise OperationalError("INSERT …", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(bot.cli, "upgrade_schema", disk_full)
    line = one_line_failure(*run(capsys, "init", "--db", str(tmp_path / "x.db"))[::2])
    assert line == "chibo: " + t("cli.trouble.disk_full", "vi", folder=tmp_path)


def test_database_from_a_newer_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ward(capsys, tmp_path / "x.db")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    line = one_line_failure(*run(capsys, "init", "--db", db)[::2])
    assert "9999_from_the_future" in line


def test_a_corrupt_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "chibo.db"
    path.write_bytes(b"this is not a database, only some notes\n" * 100)
    line = one_line_failure(*run(capsys, "init", "--db", str(path))[::2])
    assert str(path) in line
    assert path.read_bytes().startswith(b"this is not a database")


def test_a_database_of_another_program_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "places.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    line = one_line_failure(*run(capsys, "init", "--db", str(path))[::2])
    assert str(path) in line
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"moz_places"}


def test_database_is_locked(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.store.db

    db = ward(capsys, tmp_path / "x.db")
    monkeypatch.setattr(bot.store.db, "BUSY_TIMEOUT_MS", 200)  # not 30 s in a test
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, _, err = run(capsys, "invite", "--role", "admin", "--db", db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    line = one_line_failure(code, err)
    assert line == "chibo: " + t("cli.trouble.locked", "vi")


def test_a_config_file_with_a_byte_order_mark_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = tmp_path / "chibo.toml"
    cfg.write_text('\ufeff[database]\nurl = "ward.db"\n', encoding="utf-8")  # Notepad's UTF-8
    code, _, err = run(capsys, "init", "--config", str(cfg), "--committee", "Đảng bộ phường X")
    assert code == 0, err
    assert (tmp_path / "ward.db").exists()


def test_run_retries_an_unreachable_bot_api_with_one_line_each_time(tmp_path: Path) -> None:
    cfg = tmp_path / "chibo.toml"
    cfg.write_text('[telegram]\nbase_url = "http://127.0.0.1:1/bot"\n'
                   'base_file_url = "http://127.0.0.1:1/file/bot"\n', encoding="utf-8")
    env = dict(os.environ, CHIBO_TELEGRAM_TOKEN="123456:unreachable-api-token")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(cfg), "--db", str(tmp_path / "x.db")],
        stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 60
        assert proc.stderr is not None
        while len(lines) < 2 and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            lines.append(line)
        assert proc.poll() is None, "gave up instead of retrying"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=30)
    text = "".join(lines) + rest
    assert proc.returncode == 0, text
    assert "Traceback" not in text
    assert len(lines) >= 2 and all("Bot API" in line for line in lines), text
    assert "unreachable-api-token" not in text


async def test_run_with_a_token_the_bot_api_rejects_is_one_line(tmp_path: Path) -> None:
    import asyncio

    from bot.sandbox.emulator import BotApiEmulator

    async with BotApiEmulator(token="123456:the-right-token") as emulator:
        cfg = tmp_path / "chibo.toml"
        cfg.write_text(f'[telegram]\nbase_url = "{emulator.base_url}"\n'
                       f'base_file_url = "{emulator.base_file_url}"\n', encoding="utf-8")
        env = dict(os.environ, CHIBO_TELEGRAM_TOKEN="123456:a-wrong-token")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(cfg), "--db", str(tmp_path / "x.db"),
            stderr=subprocess.PIPE, env=env, cwd=tmp_path)
        _, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    text = err.decode()
    assert proc.returncode == 1, text
    assert text.strip() == "chibo: " + t("cli.trouble.token_rejected", "vi")
