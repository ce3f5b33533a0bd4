"""RFC 9457 problem+json answers for every failure path."""

from __future__ import annotations

import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from dojang.kernel.errors import DojangError, FieldError, TooManyRequests, TransientError
from dojang.kernel.i18n import DEFAULT_LANGUAGE, Language, msg, render
from dojang.kernel.i18n.context import LanguageMiddleware, connection_language
from dojang.kernel.i18n.validation import validation_message

log = structlog.get_logger(__name__)

PROBLEM_JSON = "application/problem+json"
OpenApiResponses = dict[int | str, dict[str, Any]]
TYPE_BASE = "https://dojang.dev/problems/"

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


request_language = connection_language


ROUTING_DETAILS = {
    404: "There is nothing at this address.",
    405: "This address does not answer this method.",
    415: "The request body is not of a type this address accepts.",
}


def problem(
    status: int,
    detail: str,
    *,
    language: Language = DEFAULT_LANGUAGE,
    params: Mapping[str, object] | None = None,
    title: str | None = None,
    slug: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response, its title, detail (a template filled from `params`) and field
    messages in `language`; `type`, `status` and the field paths stay machine values."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + (slug or str(status)),
        "title": render(title or TITLES.get(status, "Error"), {}, language),
        "status": status,
        "detail": render(detail, params or {}, language),
    }
    if errors:
        body["errors"] = [{"field": e.field, "message": e.render(language)} for e in errors]
    said = {"Content-Language": language, "Vary": "Accept-Language", **(headers or {})}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=said)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


async def _dojang_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DojangError)
    headers = None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after)}
    if exc.status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    return problem(
        exc.status,
        exc.detail,
        language=request_language(request),
        params=exc.params,
        title=exc.title,
        slug=exc.slug,
        errors=exc.errors,
        headers=headers,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    language = request_language(request)
    malformed = [e for e in exc.errors() if e.get("type") == "json_invalid"]
    if malformed:
        # FastAPI puts the character position where a field path would be: name the body
        position = malformed[0].get("loc", ("body", 0))[-1]
        where = FieldError.of(
            "body", msg("not valid JSON (at character {position})", position=position)
        )
        return problem(
            400,
            "The request body is not valid JSON.",
            language=language,
            slug="malformed",
            errors=[where],
        )
    errors = [
        FieldError.of(_field_path(e.get("loc", ())), validation_message(e)) for e in exc.errors()
    ]
    return problem(
        422, "The request has invalid fields.", language=language, slug="validation", errors=errors
    )


def _allowed_methods(request: Request) -> str:
    """Every method some operation of this path answers, from the OpenAPI document (Starlette
    names only the methods of the first route that matched the path)."""
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(
        request.app.state, "allowed_methods", None
    )
    if table is None:
        table = [
            (compile_path(path)[0], {method.upper() for method in operations})
            for path, operations in request.app.openapi().get("paths", {}).items()
        ]
        request.app.state.allowed_methods = table
    methods: set[str] = set()
    for pattern, found in table:
        if pattern.match(request.url.path):
            methods |= found
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": _allowed_methods(request)}
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if detail in {"", HTTPStatus(exc.status_code).phrase}:
        # Starlette's own answers say only the status phrase: say what it means instead
        detail = ROUTING_DETAILS.get(exc.status_code, TITLES.get(exc.status_code, "Error"))
    return problem(exc.status_code, detail, language=request_language(request), headers=headers)


# seconds a client is asked to wait before it tries a request again that lost a lock race
TRANSIENT_RETRY_AFTER = 1


async def _transient_error(request: Request, exc: Exception) -> JSONResponse:
    # the transaction was rolled back: nothing changed, and trying again will most likely do
    log.warning("transient_failure", path=request.url.path, error=repr(exc))
    return problem(
        503,
        "The request met a concurrent change and was not applied; try it again.",
        language=request_language(request),
        slug="try-again",
        headers={"Retry-After": str(TRANSIENT_RETRY_AFTER)},
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled_error", path=request.url.path, exc_info=exc)
    return problem(
        500,
        "Something went wrong on our side; it has been logged.",
        language=request_language(request),
    )


def install_problem_handlers(
    app: FastAPI, *, default_language: Language = DEFAULT_LANGUAGE
) -> None:
    """Answer every error of `app` as application/problem+json in the caller's language, and
    say so in its OpenAPI document (`document_problems`)."""
    app.state.default_language = default_language
    app.add_middleware(LanguageMiddleware, default=default_language)
    app.add_exception_handler(DojangError, _dojang_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(TransientError, _transient_error)
    app.add_exception_handler(Exception, _unexpected_error)
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 9457 problem; `errors` names each invalid field.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
MALFORMED_BODY = {
    "description": "the body is not valid JSON",
    "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
}


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with every error answer as it is really sent.

    FastAPI documents its validation errors (422) as `application/json` with its own schema,
    and knows nothing of the 400 answered for a body that is not JSON; both are problems, as
    is every other error of the API.
    """
    for path, operations in document.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue  # the probes answer plain JSON
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation and "400" not in responses:
                responses["400"] = MALFORMED_BODY
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def problem_responses(descriptions: Mapping[int, str], *statuses: int) -> OpenApiResponses:
    """OpenAPI `responses` documenting the problem+json answers a route may give."""
    return {
        status: {
            "description": descriptions[status],
            "content": {PROBLEM_JSON: {"schema": {"type": "object"}}},
        }
        for status in statuses
    }
