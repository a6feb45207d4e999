"""The `chibo` command from the outside: exit codes, one-line errors, the set-up path, `chibo try`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.texts import t

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("init", "import", "invite", "demo", "run", "try"):
        assert f"    {command} " in out


def test_bad_config_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "chibo.toml"
    cfg.write_text("[rules]\nprobation_months = 'mười hai'\n", encoding="utf-8")
    code, out, err = run(capsys, "init", "--config", str(cfg))
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "rules.probation_months" in err
    assert "Traceback" not in err


def test_ward_set_up_from_scratch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "ward.db")
    code, _, err = run(capsys, "init", "--db", db)
    assert code == 2 and "--committee" in err  # no ward yet: says what to add
    code, out, _ = run(capsys, "init", "--db", db, "--committee", "Đảng bộ phường Hoàng Văn Thụ",
                       "--superior", "Thành ủy Thái Nguyên")
    assert code == 0 and "Đảng bộ phường Hoàng Văn Thụ" in out
    code, out, _ = run(capsys, "init", "--db", db)  # safe to run twice
    assert code == 0 and "Thành ủy Thái Nguyên" in out
    assert run(capsys, "import", "cells", str(EXAMPLES / "cells.csv"), "--db", db)[0] == 0
    code, out, _ = run(capsys, "import", "members", str(EXAMPLES / "members.csv"), "--db", db)
    assert code == 0
    code, out2, _ = run(capsys, "import", "members", str(EXAMPLES / "members.csv"), "--db", db)
    assert code == 0 and out2 != out  # the second run reports rows unchanged, not created
    code, out, _ = run(capsys, "import", "quotas", str(EXAMPLES / "quotas.csv"), "--db", db)
    assert code == 0 and out.strip() == t("import.report.quotas", "vi", total=5, created=5, updated=0,
                                          unchanged=0)
    code, out, _ = run(capsys, "invite", "--role", "secretary", "--cell", "Tổ 16", "--db", db)
    assert code == 0 and "https://t.me/" in out and "?start=" in out
    assert "Trên Zalo: nhắn mã" in out  # no channel configured yet: what to do on each
    code, _, err = run(capsys, "invite", "--role", "secretary", "--cell", "Tổ 99", "--db", db)
    assert code == 2 and "Tổ 99" in err


def test_a_bad_csv_is_refused_whole_with_line_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "ward.db")
    run(capsys, "init", "--db", db, "--committee", "Đảng bộ phường Hoàng Văn Thụ")
    bad = tmp_path / "cells.csv"
    bad.write_text("name,kind,quota\nChi bộ tổ 1,tổ dân phố,1\n,cơ quan,2\nChi bộ tổ 2,bầu trời,1\n",
                   encoding="utf-8")
    code, out, err = run(capsys, "import", "cells", str(bad), "--db", db)
    assert code == 2 and out == ""
    assert "3" in err and "4" in err and "bầu trời" in err
    code, out, _ = run(capsys, "import", "cells", str(EXAMPLES / "cells.csv"), "--db", db)
    assert code == 0  # nothing from the refused file got in the way


def test_try_is_scriptable_and_greets_the_secretary_with_their_cell(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "try", "--as", "secretary", "--db", str(tmp_path / "demo.db")],
        input="/start\n", capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Chi bộ tổ 16" in result.stdout
    assert "Trần Văn Bình" in result.stdout


def test_run_without_a_token_says_where_to_put_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHIBO_TELEGRAM_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "run", "--db", str(tmp_path / "x.db"))
    assert code == 2 and "CHIBO_TELEGRAM_TOKEN" in err and "token_file" in err


def test_remind_dry_run_prints_who_what_and_why_and_queues_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "demo.db")
    assert run(capsys, "demo", "--db", db, "--today", "2026-11-28")[0] == 0
    code, out, _ = run(capsys, "remind", "--dry-run", "--as-of", "2026-10-01", "--db", db)
    assert code == 0
    assert out.startswith("Nhắc việc ngày 01/10/2026:") and "chạy thử" in out
    assert "Trần Văn Bình (bí thư chi bộ) — gửi lúc 08:00 01/10/2026:" in out
    assert "[quota_pace] • Chi bộ tổ 16: năm 2026 mới kết nạp 0/1" in out
    assert "[digest_quota]" in out
    code, out, _ = run(capsys, "remind", "--as-of", "2026-10-01", "--db", db)
    queued = int(out.split(" — ")[1].split()[0])
    assert code == 0 and queued > 0
    code, out, _ = run(capsys, "remind", "--as-of", "2026-10-01", "--db", db)
    assert int(out.split(" — ")[1].split()[0]) == 0  # running it again queues nothing new


def test_remind_dry_run_counts_the_decision_from_the_cell_vote_and_says_overdue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import re
    from datetime import datetime

    from bot.domain.workdays import WorkCalendar

    db = str(tmp_path / "demo.db")
    assert run(capsys, "demo", "--db", db, "--today", "2026-11-28")[0] == 0
    code, out, _ = run(capsys, "remind", "--dry-run", "--as-of", "2026-11-28", "--db", db)
    assert code == 0
    [line] = [x for x in out.splitlines() if "[decision_overdue] • Chi bộ tổ 9:" in x]
    assert "ĐÃ QUÁ HẠN nhận quyết định kết nạp của cấp trên" in line
    due, voted = (datetime.strptime(d, "%d/%m/%Y").date()
                  for d in re.findall(r"\d{2}/\d{2}/\d{4}", line.split("(hạn ", 1)[1]))
    assert WorkCalendar().add_working_days(voted, 60) == due < datetime(2026, 11, 28).date()


def test_the_documented_demo_session_replays(tmp_path: Path) -> None:
    db = str(tmp_path / "session.db")
    subprocess.run([sys.executable, "-m", "bot", "demo", "--db", db, "--today", "2026-11-28"],
                   check=True, capture_output=True, timeout=120)
    script = (ROOT / "docs" / "demo-session.txt").read_text(encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot", "try", "--as", "secretary", "--db", db],
                            input=script, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for saved in ("✅ Đã lưu quần chúng ưu tú mới", "Phạm Thị Thu Hà đã là đảng viên dự bị",
                  "✅ Đã lưu báo cáo sinh hoạt"):
        assert saved in out
    progress = out.rsplit("> /tiendo", 1)[1]
    assert "Kết nạp: 1/1 chỉ tiêu Đảng ủy giao — đạt 100 %" in progress
    assert "Đã kết nạp: Phạm Thị Thu Hà" in progress
    assert "có mặt 119/122" in progress


@pytest.mark.parametrize(
    ("argv", "expected"),
    [(["demo", "--today", "hôm-nay"], "--today: expected a date"),
     (["remind", "--as-of", "31/02/2026"], "--as-of: expected a date"),
     (["demo", "--today", "2020-01-01"], "2024 or later")],
)
def test_bad_command_line_values_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    code, _, err = run(capsys, *argv, "--db", str(tmp_path / "x.db"))
    assert code == 2 and expected in err and err.strip().count("\n") == 0


def test_demo_refuses_a_database_that_holds_a_ward(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.db")
    run(capsys, "init", "--db", db, "--committee", "Đảng bộ phường Hoàng Văn Thụ")
    code, _, err = run(capsys, "demo", "--db", db)
    assert code == 2 and "already holds a committee" in err and "Traceback" not in err


def test_a_province_of_wards_set_up_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's "One deployment for a province" steps, as written: an existing single ward
    comes under the province, each import names its ward once there are several."""
    db = str(tmp_path / "province.db")
    cells = str(EXAMPLES / "cells.csv")
    assert run(capsys, "init", "--db", db, "--committee", "Đảng bộ phường Hoàng Văn Thụ")[0] == 0
    assert run(capsys, "import", "cells", cells, "--db", db)[0] == 0  # one ward: no name needed
    code, out, _ = run(capsys, "init", "--db", db, "--province", "Thành ủy Thái Nguyên")
    assert code == 0 and "Thành ủy Thái Nguyên" in out
    code, out, _ = run(capsys, "init", "--db", db, "--committee", "Đảng bộ phường Gia Sàng")
    assert code == 0 and "Đảng bộ phường Gia Sàng (cấp trên: Thành ủy Thái Nguyên)" in out
    code, _, err = run(capsys, "import", "cells", cells, "--db", db)
    assert code == 2 and "--committee" in err and "Gia Sàng" in err and "Hoàng Văn Thụ" in err
    assert run(capsys, "import", "cells", cells, "--db", db, "--committee", "Gia Sàng")[0] == 0
    code, out, _ = run(capsys, "invite", "--role", "admin", "--committee", "Gia Sàng", "--db", db)
    assert code == 0 and t("role.admin", "vi") in out
    code, out, _ = run(capsys, "invite", "--role", "province", "--db", db)
    assert code == 0 and t("role.province", "vi") in out
    code, out, _ = run(capsys, "init", "--db", db)  # upgrading a province's database: no ward to name
    assert code == 0 and t("cli.wards_ready", "vi", count=2) in out
    # Under a province a short name finds the ward and leaves its name as it is.
    code, out, _ = run(capsys, "init", "--db", db, "--committee", "Hoàng Văn Thụ")
    assert code == 0 and "Đảng bộ: Đảng bộ phường Hoàng Văn Thụ (cấp trên: Thành ủy Thái Nguyên)" in out
