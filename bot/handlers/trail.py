"""How every flow moves between its questions: forward with `goto`, back with « Quay lại.

Each question is a ConversationHandler state whose asking function is registered with
`@asks(state)`. `goto` remembers the draft as it stood on arrival (in the draft's TRAIL) and asks
the question; `back()` builds the « Quay lại handler, which returns to the previous question with
the draft as it was then and asks it again. So back is written once, and a flow's branches (a
question skipped, one of two lists) need no "back to where?" logic of their own.

A flow may name draft keys that survive going back (`back(keep=…)`): /sinhhoat keeps the
absentees already picked, so stepping back to fix a count does not lose the names.
Button data: every flow's back button is "<prefix>:back" (zalo_render relies on the suffix).
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Sequence

from telegram import Update

from bot.handlers.flow import acknowledge, draft, finish
from bot.handlers.runtime import ChiboContext

TRAIL = "trail"  # draft key: [[state, draft as it was on arrival], …], for « Quay lại

Asker = Callable[[Update, ChiboContext], Awaitable[None]]
ASKERS: dict[str, Asker] = {}  # state → the function asking its question (filled by the flows' @asks)


def asks(state: str) -> Callable[[Asker], Asker]:
    """Registers the decorated function as the one that asks `state`'s question."""
    def register_asker(func: Asker) -> Asker:
        ASKERS[state] = func
        return func
    return register_asker


async def goto(
    update: Update, context: ChiboContext, state: str, *, replacing: bool = False, rewind: bool = False,
) -> str:
    """Acknowledges the answer, remembers the draft for « Quay lại, and asks `state`'s question.
    `replacing`: the question asked last is passed over by « Quay lại (an offer, not a step).
    `rewind`: back at a question asked before (a summary after correcting one item), « Quay lại
    goes where it went from there the first time."""
    await acknowledge(update)
    d = draft(context)
    trail = d.setdefault(TRAIL, [])
    if replacing and trail:
        trail.pop()
    if rewind:
        first = next((i for i, (asked, _) in enumerate(trail) if asked == state), len(trail))
        del trail[first:]
    trail.append([state, {k: copy.deepcopy(v) for k, v in d.items() if k != TRAIL}])
    await ASKERS[state](update, context)
    return state


def current(context: ChiboContext) -> str | None:
    """The state whose question was asked last (None before the first)."""
    trail = draft(context).get(TRAIL) or []
    return str(trail[-1][0]) if trail else None


def back(keep: Sequence[str] = ()) -> Callable[[Update, ChiboContext], Awaitable[str | int]]:
    """The « Quay lại handler of a flow: the previous question, with the answers as they were
    then (except the `keep` keys, which stay as they are now)."""

    async def go_back(update: Update, context: ChiboContext) -> str | int:
        """Returns to the previous question, with the answers as they were then."""
        await acknowledge(update)
        d = draft(context)
        trail = d.get(TRAIL) or []
        if not trail:
            return finish(context)
        if len(trail) > 1:
            trail.pop()
        state, saved = trail[-1]
        kept = {k: d[k] for k in keep if k in d}
        d.clear()
        d.update(copy.deepcopy(saved))
        d.update(kept)
        d[TRAIL] = trail
        await ASKERS[state](update, context)
        return str(state)

    return go_back
