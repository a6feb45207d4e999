"""`chibo backup` and `chibo restore`: a round trip, a backup taken while someone writes, and
the refusals that keep the current data safe (issue #8, item 15)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def committee_name(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("SELECT name FROM committees").fetchone()[0])


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_backup_and_restore_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, copy = tmp_path / "chibo.db", tmp_path / "saved" / "chibo-backup.db"
    copy.parent.mkdir()
    assert run(capsys, "demo", "--db", str(db), "--today", "2026-11-28")[0] == 0
    members = count(db, "members")
    code, out, err = run(capsys, "backup", str(copy), "--db", str(db))
    assert code == 0, err
    assert str(copy) in out
    # Life goes on after the backup: a rename and an invite.
    assert run(capsys, "init", "--db", str(db), "--committee", "Đảng bộ phường Khác")[0] == 0
    assert run(capsys, "invite", "--role", "admin", "--db", str(db))[0] == 0
    invites = count(db, "invites")
    code, out, err = run(capsys, "restore", str(copy), "--db", str(db))
    assert code == 0, err
    assert committee_name(db) == "Đảng bộ phường Hoàng Văn Thụ"
    assert count(db, "invites") == invites - 1 and count(db, "members") == members
    # What was there before the restore is kept beside it, in case it was the wrong file.
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("chibo.db.before-restore-")]
    assert len(kept) == 1 and committee_name(kept[0]) == "Đảng bộ phường Khác"
    assert str(kept[0]) in out


def test_backup_while_another_connection_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, copy = tmp_path / "chibo.db", tmp_path / "copy.db"
    assert run(capsys, "init", "--db", str(db), "--committee", "Đảng bộ phường X")[0] == 0
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the running bot, in the middle of saving something
    writer.execute("UPDATE committees SET name = 'chưa lưu xong'")
    try:
        code, _, err = run(capsys, "backup", str(copy), "--db", str(db))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert code == 0, err
    assert committee_name(copy) == "Đảng bộ phường X"  # the last committed state
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_does_not_overwrite_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, copy = tmp_path / "chibo.db", tmp_path / "copy.db"
    assert run(capsys, "init", "--db", str(db), "--committee", "Đảng bộ phường X")[0] == 0
    copy.write_text("an older backup, or something else", encoding="utf-8")
    code, _, err = run(capsys, "backup", str(copy), "--db", str(db))
    assert code == 2 and str(copy) in err and err.count("\n") == 1
    assert copy.read_text(encoding="utf-8") == "an older backup, or something else"


def test_restore_refuses_a_file_that_is_not_a_chibo_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    db, other = tmp_path / "chibo.db", tmp_path / "notes.db"
    assert run(capsys, "init", "--db", str(db), "--committee", "Đảng bộ phường X")[0] == 0
    other.write_bytes(b"not a database at all\n" * 50)
    code, _, err = run(capsys, "restore", str(other), "--db", str(db))
    assert code != 0 and "Traceback" not in err and err.count("\n") == 1
    assert committee_name(db) == "Đảng bộ phường X"
    assert not [p for p in tmp_path.iterdir() if "before-restore" in p.name]


def test_postgresql_backup_and_restore_name_the_tools(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql://chibo:s3cret@db.example.org:5432/ward"
    code, _, err = run(capsys, "backup", "ward.dump", "--db", url)
    assert code == 2 and "pg_dump" in err and "ward.dump" in err and "s3cret" not in err
    code, _, err = run(capsys, "restore", "ward.dump", "--db", url)
    assert code == 2 and "pg_restore" in err and "s3cret" not in err
