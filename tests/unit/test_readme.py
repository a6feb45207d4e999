"""The README tells the truth about the command: setup steps that work as written, the CSV
headers the importer accepts, the options `chibo --help` shows (issue #8, item 18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.domain.cells import fold_name
from bot.domain.csv_import import CELL_COLUMNS, MEMBER_COLUMNS, QUOTA_COLUMNS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_token_folder_is_created_before_the_token_file() -> None:
    """`install -m 600 /dev/null /etc/chibo/token` fails where /etc/chibo does not exist yet."""
    starts = [i for i in range(len(README)) if README.startswith("install -m 600", i)]
    assert any("/etc/chibo/token" in README[i:i + 80] for i in starts)
    for i in starts:
        command = README[README.rfind("`", 0, i):i]  # the command line up to this install
        assert "install -d" in command or "mkdir" in command, README[i:i + 80]


@pytest.mark.parametrize("columns", [CELL_COLUMNS, MEMBER_COLUMNS, QUOTA_COLUMNS],
                         ids=["cells", "members", "quotas"])
def test_every_accepted_csv_header_is_listed(columns: dict[str, tuple[str, ...]]) -> None:
    folded = fold_name(README.replace("_", " "))
    missing = [alias for aliases in columns.values() for alias in aliases if alias not in folded]
    assert missing == []


def test_the_log_level_option_is_documented_and_shown(capsys: pytest.CaptureFixture[str]) -> None:
    assert "--log-level" in README
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert "--log-level" in capsys.readouterr().out


def test_the_full_fuzz_run_is_documented() -> None:
    assert "CHIBO_FUZZ_COUNT=5000" in README


def test_the_readmes_zalo_example_reports_a_candidate(tmp_path: Path) -> None:
    """The piped `chibo try --channel zalo` example in the README saves what it says it saves."""
    import re
    import subprocess
    import sys

    script = re.search(r"`printf '(/start\\n/ungvien[^']*)' \| \.venv/bin/chibo try --channel zalo`", README)
    assert script is not None, "the README's Zalo example is gone"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "try", "--channel", "zalo", "--db", str(tmp_path / "z.db"),
         "--today", "2026-11-28"],
        input=script.group(1).replace("\\n", "\n"), capture_output=True, text=True, timeout=300,
        check=False)
    assert result.returncode == 0, result.stderr
    assert "✅ Đã lưu quần chúng ưu tú mới của Chi bộ tổ 16" in result.stdout
    assert "Quần chúng ưu tú: 2" in result.stdout.rsplit("> /tiendo", 1)[1]
