"""How each Zalo refusal is told to PTB: the HTTP status PTB turns into its own exceptions."""

from __future__ import annotations

import pytest

from bot.channels.zalo_request import DEFAULT_RETRY_AFTER, failure_from


@pytest.mark.parametrize(("status", "body", "expected"), [
    (200, {"ok": False, "error_code": 429, "description": "slow down",
           "parameters": {"retry_after": 7}}, (429, 7.0)),
    (429, {"ok": False}, (429, float(DEFAULT_RETRY_AFTER))),  # no retry_after given: a default
    (200, {"ok": False, "error_code": 403, "description": "blocked"}, (403, None)),
    (200, {"ok": False, "error_code": 401}, (401, None)),  # PTB: InvalidToken
    (200, {"ok": False, "error_code": 404}, (404, None)),
    (200, {"ok": False, "error_code": 408}, (408, None)),  # getUpdates: nothing arrived
    (200, {"ok": False, "error_code": 409}, (409, None)),  # webhook and getUpdates exclude each other
    (200, {"ok": False, "error_code": 422}, (400, None)),  # any other 4xx: a bad request
    (200, {"ok": False, "error_code": -1}, (502, None)),  # nonsense codes: retried as network trouble
    (503, {"ok": False, "error_code": 503}, (502, None)),
    (502, "not json", (502, None)),
    (200, {"ok": False, "error_code": True}, (502, None)),  # a bool is not a code: the HTTP 200 is kept
])
def test_each_refusal_maps_to_the_status_ptb_understands(
    status: int, body: object, expected: tuple[int, float | None],
) -> None:
    failure = failure_from(status, body)
    assert (failure.status, failure.retry_after) == expected


def test_the_description_is_kept_short_and_carries_no_url() -> None:
    failure = failure_from(200, {"ok": False, "error_code": 400, "description": "x" * 500})
    assert failure.description == "x" * 200
    assert b'"error_code": 400' in failure.payload()
