"""Every user-facing string, in Vietnamese (default) and English.

Each module in this package holds one feature's catalogue, `MESSAGES = {key: {"vi": …, "en": …}}`,
with `str.format` placeholders. Keys are unique across modules (prefix them with the feature).
`t(key, lang, **values)` is the one way to get a text; tests use it too instead of retyping words.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Any

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, versions in getattr(module, "MESSAGES", {}).items():
            if key in merged:
                raise RuntimeError(f"text key {key!r} defined twice ({info.name})")
            missing = [lang for lang in LANGUAGES if lang not in versions]
            if missing:
                raise RuntimeError(f"text key {key!r} lacks {missing}")
            merged[key] = versions
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """The text for `key` in `lang`, with `values` filled in."""
    versions = _catalogue()[key]
    template = versions.get(lang) or versions[DEFAULT_LANGUAGE]
    return template.format(**values) if values else template


def has_text(key: str) -> bool:
    return key in _catalogue()


def all_keys() -> list[str]:
    return sorted(_catalogue())
