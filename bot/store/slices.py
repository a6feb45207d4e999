"""Long id lists read in slices: PostgreSQL refuses a statement binding more than 32,767
parameters, so `WHERE x IN (…)` over a province-sized ward's cells or candidates would fail.
One slice holds up to 10,000 ids (a whole ward of today's largest size in one statement)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

IN_SLICE = 10_000

T = TypeVar("T")


def slices(ids: Sequence[T], size: int = IN_SLICE) -> Iterator[list[T]]:
    """`ids` cut into consecutive lists of at most `size`; nothing for an empty sequence."""
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])
