"""What the processing routers share: documented problem answers."""

from __future__ import annotations

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
