"""Errors that use cases raise; the HTTP layer turns each into an RFC 9457 problem.

Every detail and field message is an English template with named placeholders, and its values
are passed beside it: `NotFound("There is no employee {employee_id}.", employee_id=...)`. The
HTTP layer renders it in the caller's language (`dojang.kernel.i18n`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from dojang.kernel.i18n import Language, Message


@dataclass(frozen=True)
class FieldError:
    """One invalid input field, named by its dotted path; `message` is a template."""

    field: str
    message: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, path: str, message: Message) -> FieldError:
        """The error of field `path` saying `message`."""
        return cls(path, message.template, message.params)

    def render(self, language: Language) -> str:
        """The message as a sentence in `language`."""
        return Message(self.message, self.params).render(language)


class DojangError(Exception):
    """Base of every expected failure; carries its HTTP status and problem title."""

    status = 400
    title = "Bad request"
    slug = "bad-request"

    def __init__(
        self, detail: str, *, errors: list[FieldError] | None = None, **params: object
    ) -> None:
        super().__init__(Message(detail, params).render("en"))
        self.detail = detail
        self.params: Mapping[str, object] = params
        self.errors = errors or []

    def render(self, language: Language) -> str:
        """The detail as a sentence in `language`."""
        return Message(self.detail, self.params).render(language)


class InvalidInput(DojangError):
    status = 422
    title = "Invalid input"
    slug = "validation"

    @classmethod
    def field(cls, path: str, message: str, **params: object) -> InvalidInput:
        """One-field validation failure."""
        return cls(message, errors=[FieldError(path, message, params)], **params)


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

    def __init__(self, detail: str, *, retry_after: int, **params: object) -> None:
        super().__init__(detail, errors=None, retry_after=retry_after, **params)
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
