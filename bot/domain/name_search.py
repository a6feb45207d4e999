"""Finding a person by the part of their name someone types, diacritics first.

Vietnamese names differ by a tone mark ("Hùng", "Hưng", "Hứng"): a word typed WITH marks must match
them exactly ("Hùng" never picks Hưng); a word typed without any ("hung", common on a phone) matches
every reading. When nobody matches exactly but someone matches without the marks, the search says
it found only near matches, so the question can ask "có phải đồng chí này?" instead of guessing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.domain.cells import fold_name

T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    items: list[T]
    near: bool  # True: nobody matched the marks as typed; these match only without them


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).lower().split()


def _word_fits(typed: str, word: str) -> bool:
    if fold_name(typed) == typed:  # typed without marks: any reading
        return fold_name(word).startswith(typed)
    return word.startswith(typed)


def exact_match(query: str, name: str) -> bool:
    """Each typed word starts a word of the name, tone marks compared as typed (case ignored)."""
    words = _words(name)
    return all(any(_word_fits(part, w) for w in words) for part in _words(query))


def near_match(query: str, name: str) -> bool:
    """Each typed word starts a word of the name once marks are ignored ("hùng" ~ "Hưng")."""
    words = fold_name(name).split()
    return all(any(w.startswith(part) for w in words) for part in fold_name(query).split())


def search_names(items: Sequence[T], query: str, name: Callable[[T], str]) -> Found[T]:
    """The items whose name fits `query` exactly; else those that fit without marks (near)."""
    if not query.strip():
        return Found(list(items), near=False)
    exact = [i for i in items if exact_match(query, name(i))]
    if exact:
        return Found(exact, near=False)
    near = [i for i in items if near_match(query, name(i))]
    return Found(near, near=bool(near))
