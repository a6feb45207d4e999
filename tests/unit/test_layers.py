"""The one-way flow of imports (DESIGN.md, "Layout"), checked on the source: handlers reach the
store only through services, and the domain imports nothing of ours but itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"
# Runtime (settings, database, clock) is being moved out of handlers/ to the edge; until then it
# is the one handler module that holds the database.
PENDING_MOVE = {"runtime.py"}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


HANDLERS = sorted(p for p in (BOT / "handlers").glob("*.py") if p.name not in PENDING_MOVE)


@pytest.mark.parametrize("path", HANDLERS, ids=lambda p: p.name)
def test_handlers_do_not_import_the_store(path: Path) -> None:
    assert not {m for m in _imports(path) if m == "bot.store" or m.startswith("bot.store.")}


@pytest.mark.parametrize("path", sorted((BOT / "domain").glob("*.py")), ids=lambda p: p.name)
def test_domain_imports_only_the_domain(path: Path) -> None:
    ours = {m for m in _imports(path) if m == "bot" or m.startswith("bot.")}
    assert {m for m in ours if not m.startswith("bot.domain")} == set()
