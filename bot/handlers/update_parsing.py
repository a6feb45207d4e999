"""getUpdates that survives one update PTB cannot parse.

PTB parses a whole getUpdates batch at once; one malformed update (a Bot API change, a field of an
unexpected type) makes the batch fail, and PTB fetches the same batch again, forever, logging the
raw data — names included — at CRITICAL each time. This request layer checks each update of a
batch first and replaces one that does not parse by a bare `{"update_id": N}`: PTB then confirms
it with the next offset (so it is skipped once, not re-fetched) and the gate drops the empty update.
The warning names the update id and its kind only, never its content.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)


def sanitise_batch(batch: list[Any]) -> list[Any]:
    """The batch with every update PTB cannot parse replaced by its bare update id."""
    kept: list[Any] = []
    for raw in batch:
        try:
            Update.de_json(dict(raw), None)
        except Exception as exc:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            kinds = sorted(k for k in raw if k != "update_id") if isinstance(raw, dict) else []
            log.warning("update %s (%s) could not be parsed (%s) and is skipped",
                        update_id, ", ".join(map(str, kinds))[:80], type(exc).__name__)
            if isinstance(update_id, int) and not isinstance(update_id, bool):
                kept.append({"update_id": update_id})  # still confirmed by the next offset
            continue
        kept.append(raw)
    return kept


class ParseSafeRequest(HTTPXRequest):
    """The request layer for getUpdates (PTB's default one, plus `sanitise_batch`)."""

    async def post(self, url: str, request_data: RequestData | None = None,
                   *args: Any, **kwargs: Any) -> Any:
        result = await super().post(url, request_data, *args, **kwargs)
        if url.endswith("/getUpdates") and isinstance(result, list):
            return sanitise_batch(result)
        return result
