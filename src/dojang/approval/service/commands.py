"""What callers ask the approval use cases to do, already parsed from the request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from dojang.approval.domain.forms import FormCode
from dojang.kernel.errors import InvalidInput
from dojang.kernel.i18n import MessageError
from dojang.kernel.text import clean_text

MAX_TITLE_LENGTH = 200
MAX_CONTENT_LENGTH = 20_000
MAX_COMMENT_LENGTH = 4_000
MAX_DECISION_COMMENT_LENGTH = 2_000


class Keep(Enum):
    """Marks a field a change leaves as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class NewDocument:
    """A document to create; `line` None asks for the form's default line."""

    form: FormCode
    title: str
    content: str = ""
    fields: Mapping[str, object] | None = None
    line: object = None
    cc: Sequence[str] = ()
    submit: bool = True


@dataclass(frozen=True)
class ContentChanges:
    """Changes to a draft, or to a document being resubmitted; KEEP leaves a field be.

    `fields` replaces the fields as a whole; `line` None goes back to the default line.
    """

    title: str | Keep = KEEP
    content: str | Keep = KEEP
    fields: Mapping[str, object] | Keep = KEEP
    line: object = KEEP
    cc: Sequence[str] | Keep = KEEP


def _cleaned(field: str, value: str, *, multiline: bool) -> str:
    try:
        return clean_text(value, multiline=multiline)
    except MessageError as problem:
        message = problem.message
        raise InvalidInput.field(field, message.template, **message.params) from None


def clean_title(title: str) -> str:
    """A title without surrounding blanks; 422 unless it has 1 to 200 characters."""
    cleaned = _cleaned("title", title, multiline=False)
    if not cleaned:
        raise InvalidInput.field("title", "must not be blank")
    if len(cleaned) > MAX_TITLE_LENGTH:
        raise InvalidInput.field(
            "title", "must be at most {max_length} characters", max_length=MAX_TITLE_LENGTH
        )
    return cleaned


def clean_content(content: str) -> str:
    """The body text, trimmed; 422 if longer than 20,000 characters."""
    cleaned = _cleaned("content", content, multiline=True)
    if len(cleaned) > MAX_CONTENT_LENGTH:
        raise InvalidInput.field(
            "content", "must be at most {max_length} characters", max_length=MAX_CONTENT_LENGTH
        )
    return cleaned


def clean_comment(body: str) -> str:
    """A comment without surrounding blanks; 422 if blank or too long."""
    cleaned = _cleaned("body", body, multiline=True)
    if not cleaned:
        raise InvalidInput.field("body", "must not be blank")
    if len(cleaned) > MAX_COMMENT_LENGTH:
        raise InvalidInput.field(
            "body", "must be at most {max_length} characters", max_length=MAX_COMMENT_LENGTH
        )
    return cleaned
