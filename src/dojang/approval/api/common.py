"""What the approval routers share: documented problem answers and cursor parsing."""

from __future__ import annotations

from dojang.kernel.errors import InvalidInput
from dojang.kernel.web.pagination import decode_cursor
from dojang.kernel.web.problems import OpenApiResponses, problem_responses

_MEANINGS = {
    401: "no or bad bearer token",
    403: "the caller may see the document but not do this",
    404: "no such document, or one the caller may not see",
    409: "conflicts with the document's state",
    422: "invalid fields, listed in `errors`",
    503: "the employee service did not answer a leave reservation in time",
}


def problems(*statuses: int) -> OpenApiResponses:
    """OpenAPI `responses` documenting the problem+json answers a route may give."""
    return problem_responses(_MEANINGS, *statuses)


def id_cursor(cursor: str | None) -> str | None:
    """The document id inside a cursor of a list sorted by id, newest first."""
    if cursor is None:
        return None
    (document_id,) = decode_cursor(cursor, 1)
    if not isinstance(document_id, str):
        raise InvalidInput.field("cursor", "not a cursor this API issued")
    return document_id


def offset_cursor(cursor: str | None) -> int:
    """How many ranked matches earlier pages showed, from a `sort=relevance` cursor."""
    if cursor is None:
        return 0
    kind, offset = decode_cursor(cursor, 2)
    if kind != "rank" or not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise InvalidInput.field("cursor", "not a cursor this API issued")
    return offset
