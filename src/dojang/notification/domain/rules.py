"""Who is told what when an approval document changes: `approval-events` in, notices out.

Only the people an event names are ever told: the `recipients` of `approval.your_turn` and
of `approval.reminder`, the requester and the `cc` members of an outcome, the requester and
the `released` task holders of a withdrawal, the requester of a commented document. Each
person gets at most one notice per event; the requester's own notice wins over a `cc` one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dojang.notification.domain.notifications import Notice, NotificationType

MAX_TITLE_LENGTH = 300
"""Longer document titles are cut (with an ellipsis) to fit a notification."""
MAX_QUOTE_LENGTH = 120
"""How much of a comment or a rejection reason a message quotes."""

_DASH = "\N{EM DASH}"
_OPEN_QUOTE = "\N{LEFT DOUBLE QUOTATION MARK}"
_CLOSE_QUOTE = "\N{RIGHT DOUBLE QUOTATION MARK}"
_ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"


class UnusableApprovalEvent(ValueError):
    """An approval event whose data does not follow `docs/events.md`."""


@dataclass(frozen=True)
class _Document:
    """What every `approval-events` event says about its document."""

    approval_id: str
    title: str
    requester_id: str
    requester_name: str
    occurred_at: datetime

    def notice(self, recipient_id: str, kind: NotificationType, message: str) -> Notice:
        return Notice(
            recipient_id=recipient_id,
            type=kind,
            approval_id=self.approval_id,
            title=self.title,
            message=message,
        )


def notices_for(event_type: str, data: Mapping[str, Any], *, occurred_at: datetime) -> list[Notice]:
    """The notices an `approval-events` event (of `occurred_at`) causes; none without a rule.

    Raises `UnusableApprovalEvent` when a type with a rule carries data it cannot read.
    """
    rule = _RULES.get(event_type)
    if rule is None:
        return []
    document = _document(data, occurred_at)
    return _one_per_recipient(rule(document, data))


def _wanted(data: Mapping[str, Any]) -> str:
    return "agreement" if data.get("kind") == "agreement" else "approval"


def _your_turn(document: _Document, data: Mapping[str, Any]) -> list[Notice]:
    message = f"{document.requester_name} asked for your {_wanted(data)}: {document.title}"
    return [
        document.notice(recipient, NotificationType.YOUR_TURN, message)
        for recipient in _ids(data, "recipients")
    ]


def _reminder(document: _Document, data: Mapping[str, Any]) -> list[Notice]:
    waited = _duration(document.occurred_at - _instant(data, "waiting_since"))
    message = (
        f"Reminder: {document.requester_name} has waited {waited} "
        f"for your {_wanted(data)}: {document.title}"
    )
    return [
        document.notice(recipient, NotificationType.REMINDER, message)
        for recipient in _ids(data, "recipients")
    ]


def _approved(document: _Document, data: Mapping[str, Any]) -> list[Notice]:
    number = _optional_text(data, "number")
    numbered = f" ({number})" if number else ""
    own = f"Your document was approved: {document.title}{numbered}"
    shared = f"{document.requester_name}'s document was approved: {document.title}"
    return [
        document.notice(document.requester_id, NotificationType.APPROVED, own),
        *(document.notice(cc, NotificationType.CC, shared) for cc in _ids(data, "cc")),
    ]


def _rejected(document: _Document, data: Mapping[str, Any]) -> list[Notice]:
    reason = _optional_text(data, "reason")
    because = f". Reason: {_quote(reason)}" if reason else ""
    own = f"Your document was rejected: {document.title}{because}"
    shared = f"{document.requester_name}'s document was rejected: {document.title}"
    return [
        document.notice(document.requester_id, NotificationType.REJECTED, own),
        *(document.notice(cc, NotificationType.CC, shared) for cc in _ids(data, "cc")),
    ]


def _withdrawn(document: _Document, data: Mapping[str, Any]) -> list[Notice]:
    own = f"You withdrew your document: {document.title}"
    released = (
        f"{document.requester_name} withdrew a document that was waiting for you: {document.title}"
    )
    return [
        document.notice(document.requester_id, NotificationType.WITHDRAWN, own),
        *(
            document.notice(holder, NotificationType.WITHDRAWN, released)
            for holder in _ids(data, "released")
        ),
    ]


def _commented(document: _Document, data: Mapping[str, Any]) -> list[Notice]:
    author_id, author_name = _person(data, "author")
    if author_id == document.requester_id:
        return []
    message = f"{author_name} commented on your document: {document.title}"
    body = _optional_text(data, "body")
    if body:
        message += f" {_DASH} {_OPEN_QUOTE}{_quote(body)}{_CLOSE_QUOTE}"
    return [document.notice(document.requester_id, NotificationType.COMMENTED, message)]


Rule = Callable[[_Document, Mapping[str, Any]], list[Notice]]

_RULES: dict[str, Rule] = {
    "approval.your_turn": _your_turn,
    "approval.reminder": _reminder,
    "approval.approved": _approved,
    "approval.rejected": _rejected,
    "approval.withdrawn": _withdrawn,
    "approval.commented": _commented,
}


def _one_per_recipient(notices: list[Notice]) -> list[Notice]:
    seen: set[str] = set()
    kept: list[Notice] = []
    for notice in notices:
        if notice.recipient_id not in seen:
            seen.add(notice.recipient_id)
            kept.append(notice)
    return kept


def _document(data: Mapping[str, Any], occurred_at: datetime) -> _Document:
    requester_id, requester_name = _person(data, "requester")
    return _Document(
        approval_id=_text(data, "approval_id"),
        title=_shortened(_text(data, "title"), MAX_TITLE_LENGTH),
        requester_id=requester_id,
        requester_name=requester_name,
        occurred_at=occurred_at,
    )


def _person(data: Mapping[str, Any], key: str) -> tuple[str, str]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise UnusableApprovalEvent(f"`{key}` must be a person {{id, name}}")
    return _text(value, "id", path=f"{key}."), _text(value, "name", path=f"{key}.")


def _text(data: Mapping[str, Any], key: str, *, path: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise UnusableApprovalEvent(f"`{path}{key}` must be a non-empty string")
    return value.strip()


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise UnusableApprovalEvent(f"`{key}` must be a string or null")
    return value.strip() or None


def _ids(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(i, str) and i for i in value):
        raise UnusableApprovalEvent(f"`{key}` must be a list of employee ids")
    return value


def _instant(data: Mapping[str, Any], key: str) -> datetime:
    value = data.get(key)
    try:
        instant = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise UnusableApprovalEvent(f"`{key}` must be an RFC 3339 time with an offset")
    return instant


def _duration(waited: timedelta) -> str:
    """How long, in words: whole hours up to two days, whole days after."""
    hours = int(waited.total_seconds() // 3600)
    if hours < 1:
        return "less than an hour"
    if hours < 48:
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{hours // 24} days"


def _quote(text: str) -> str:
    return _shortened(" ".join(text.split()), MAX_QUOTE_LENGTH)


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + _ELLIPSIS
