"""The scripted `chibo try` sessions in docs/sessions/ print exactly their kept transcripts.

A wording change therefore arrives as a text diff a reviewer reads; after reading it, keep the new
text with `python -m bot.sandbox.sessions --write`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.sandbox.sessions import CODE_MASK, all_sessions, difference, replay

SESSIONS = all_sessions()


def test_every_role_has_a_kept_session() -> None:
    roles = {s.options[s.options.index("--as") + 1] for s in SESSIONS}
    assert {"secretary", "committee", "admin"} <= roles
    assert "zalo" in {o for s in SESSIONS for o in s.options}


@pytest.mark.parametrize("session", SESSIONS, ids=[s.name for s in SESSIONS])
def test_session_prints_its_kept_transcript(session, tmp_path: Path) -> None:
    printed = replay(session, tmp_path)
    diff = difference(session, printed)
    assert not diff, (f"{session.name} printed something else than its kept transcript:\n{diff}\n"
                      "If the change is intended: python -m bot.sandbox.sessions --write")


def test_the_admin_session_issues_a_code_shown_masked() -> None:
    admin = next(s for s in SESSIONS if "admin" in s.options)
    kept = admin.transcript_path.read_text(encoding="utf-8")
    assert kept.count(CODE_MASK) >= 1  # the admin's session issues a code; it is random
