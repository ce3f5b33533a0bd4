"""What the employee routers share: documented problem answers and cursor parsing."""

from __future__ import annotations

from datetime import date

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


def _foreign_cursor() -> InvalidInput:
    return InvalidInput.field("cursor", "not a cursor this API issued")


def _pair(cursor: str) -> tuple[str, str]:
    first, second = decode_cursor(cursor, 2)
    if not isinstance(first, str) or not isinstance(second, str):
        raise _foreign_cursor()
    return first, second


def text_pair_cursor(cursor: str | None) -> tuple[str, str] | None:
    """The `(sort text, id)` inside a cursor of a list sorted by text then id."""
    return None if cursor is None else _pair(cursor)


def date_pair_cursor(cursor: str | None) -> tuple[date, str] | None:
    """The `(day, id)` inside a cursor of a list sorted by day then id."""
    if cursor is None:
        return None
    day, record_id = _pair(cursor)
    try:
        return date.fromisoformat(day), record_id
    except ValueError:
        raise _foreign_cursor() from None
