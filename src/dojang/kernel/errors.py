"""Errors that use cases raise; the HTTP layer turns each into an RFC 9457 problem."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One invalid input field, named by its dotted path."""

    field: str
    message: str


class DojangError(Exception):
    """Base of every expected failure; carries its HTTP status and problem title."""

    status = 400
    title = "Bad request"
    slug = "bad-request"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class InvalidInput(DojangError):
    status = 422
    title = "Invalid input"
    slug = "validation"

    @classmethod
    def field(cls, field: str, message: str) -> InvalidInput:
        """One-field validation failure."""
        return cls(message, errors=[FieldError(field, message)])


class Unauthenticated(DojangError):
    status = 401
    title = "Not authenticated"
    slug = "unauthenticated"


class Forbidden(DojangError):
    status = 403
    title = "Forbidden"
    slug = "forbidden"


class NotFound(DojangError):
    status = 404
    title = "Not found"
    slug = "not-found"


class Conflict(DojangError):
    status = 409
    title = "Conflict"
    slug = "conflict"


class TooManyRequests(DojangError):
    status = 429
    title = "Too many requests"
    slug = "rate-limited"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ServiceUnavailable(DojangError):
    """Another service this answer depends on did not answer in time."""

    status = 503
    title = "Service unavailable"
    slug = "unavailable"


class TransientError(Exception):
    """A failure worth retrying (a locked database, a broker hiccup)."""


class StartupError(Exception):
    """A process cannot start; the message says what is wrong and what to do, in one line."""
