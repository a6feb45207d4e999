"""Scripted `chibo try` sessions kept in docs/sessions/: replay them, compare with what was kept.

Each session is a pair of files: `<name>.txt`, the lines a person types (its first line, starting
with `#`, holds the `chibo try` options it is played with), and `<name>.transcript.txt`, what the
bot printed. A test replays every script on a fresh demo ward with the clock pinned, so any change
of wording shows up as a text diff a reviewer reads; `python -m bot.sandbox.sessions --write`
keeps the new transcripts once the diff is right.
"""

from __future__ import annotations

import argparse
import difflib
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.domain.invites import ALPHABET, CODE_LENGTH

SESSIONS_DIR = Path(__file__).resolve().parents[2] / "docs" / "sessions"
HEADER = "# chibo try "
# Invite codes are random by design; everything else in a pinned session is the same every run.
_CODE = re.compile(rf"\b[{ALPHABET}]{{{CODE_LENGTH // 2}}}[- ]?[{ALPHABET}]{{{CODE_LENGTH // 2}}}\b")
CODE_MASK = "MÃ-MỜI-XXX"
# A chart's or workbook's size in bytes depends on the installed matplotlib/openpyxl; the file
# itself is checked by the report tests.
_FILE_SIZE = re.compile(r"\((\d+) bytes\)")


@dataclass(frozen=True)
class Session:
    name: str
    options: list[str]  # `chibo try` options from the script's header
    lines: list[str]  # what is typed, one message per line

    @property
    def transcript_path(self) -> Path:
        return SESSIONS_DIR / f"{self.name}.transcript.txt"


def load(path: Path) -> Session:
    text = path.read_text(encoding="utf-8").splitlines()
    if not text or not text[0].startswith(HEADER):
        raise ValueError(f"{path}: the first line must be '{HEADER}--as … --today …'")
    options = shlex.split(text[0].removeprefix(HEADER))
    if "--today" not in options:
        raise ValueError(f"{path}: a kept session pins its date with --today")
    return Session(path.stem, options, [line for line in text[1:] if not line.startswith("#")])


def all_sessions() -> list[Session]:
    return [load(p) for p in sorted(SESSIONS_DIR.glob("*.txt")) if ".transcript" not in p.name]


def replay(session: Session, workdir: Path) -> str:
    """What `chibo try` prints for the script, on a fresh demo database, codes masked."""
    db = workdir / f"{session.name}.db"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "try", "--db", str(db), *session.options],
        input="".join(line + "\n" for line in session.lines),
        capture_output=True, text=True, timeout=600, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{session.name}: chibo try exited {result.returncode}\n{result.stderr}")
    return _FILE_SIZE.sub("(… bytes)", _CODE.sub(CODE_MASK, result.stdout))


def difference(session: Session, printed: str) -> str:
    """A unified diff between the kept transcript and what was printed now ('' when equal)."""
    kept = (session.transcript_path.read_text(encoding="utf-8")
            if session.transcript_path.exists() else "")
    return "".join(difflib.unified_diff(
        kept.splitlines(keepends=True), printed.splitlines(keepends=True),
        fromfile=f"kept {session.transcript_path.name}", tofile="printed now"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="keep what is printed now")
    parser.add_argument("names", nargs="*", help="only these sessions (default: all)")
    args = parser.parse_args(argv)
    changed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for session in all_sessions():
            if args.names and session.name not in args.names:
                continue
            printed = replay(session, Path(tmp))
            diff = difference(session, printed)
            if diff:
                changed += 1
                print(diff)
                if args.write:
                    session.transcript_path.write_text(printed, encoding="utf-8")
            print(f"{session.name}: {'changed' if diff else 'same'}", file=sys.stderr)
    return 1 if changed and not args.write else 0


if __name__ == "__main__":
    raise SystemExit(main())
