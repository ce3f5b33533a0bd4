"""What the processing routers share: documented problem answers and time cursors."""

from __future__ import annotations

from datetime import UTC, datetime

from dojang.kernel.errors import InvalidInput
from dojang.kernel.web.pagination import decode_cursor
from dojang.kernel.web.problems import OpenApiResponses, problem_responses

_MEANINGS = {
    401: "no or bad bearer token",
    403: "the caller may not do this",
    404: "no such resource",
    409: "conflicts with the current state",
    422: "invalid fields, listed in `errors`",
}


def problems(*statuses: int) -> OpenApiResponses:
    """OpenAPI `responses` documenting the problem+json answers a route may give."""
    return problem_responses(_MEANINGS, *statuses)


def time_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    """The `(time, id)` inside a cursor of a newest-first list."""
    if cursor is None:
        return None
    at, item_id = decode_cursor(cursor, 2)
    try:
        moment = datetime.fromisoformat(at) if isinstance(at, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not isinstance(item_id, str):
        raise InvalidInput.field("cursor", "not a cursor this API issued")
    return moment.astimezone(UTC), item_id
