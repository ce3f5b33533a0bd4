"""Who is told what when an approval document changes: `approval-events` in, notices out.

Only the people an event names are ever told: the `recipients` of `approval.your_turn` and
of `approval.reminder`, the `cc` members (참조) of a submission or resubmission (never the
requester), the requester and the `cc` members of an outcome, the requester and the `released` task
holders of a withdrawal or of a take-back (결재 취소), the approver in whose name a delegate
decided, the requester of a commented document. Each person gets at most one notice per event; the
requester's own notice wins over a `cc` one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from dojang.contracts.approval_events import (
    ApprovalEvent,
    Approved,
    Commented,
    DecidedForYou,
    Rejected,
    Reminder,
    Resubmitted,
    Submitted,
    TakenBack,
    Withdrawn,
    YourTurn,
)
from dojang.kernel.i18n import Message, msg
from dojang.notification.domain.notifications import Notice, NotificationType

MAX_TITLE_LENGTH = 300
"""Longer document titles are cut (with an ellipsis) to fit a notification."""
MAX_QUOTE_LENGTH = 120
"""How much of a comment or a rejection reason a message quotes."""

_ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"


class UnusableApprovalEvent(ValueError):
    """An approval event whose data does not follow `docs/events.md`."""


@dataclass(frozen=True)
class _Document:
    """What every `approval-events` event says about its document, as notices show it."""

    approval_id: str
    title: str
    requester_id: str
    requester_name: str
    occurred_at: datetime

    @classmethod
    def of(cls, event: ApprovalEvent, occurred_at: datetime) -> _Document:
        return cls(
            approval_id=event.approval_id,
            title=_shortened(event.title.strip(), MAX_TITLE_LENGTH),
            requester_id=event.requester.id,
            requester_name=event.requester.name.strip(),
            occurred_at=occurred_at,
        )

    def notice(self, recipient_id: str, kind: NotificationType, message: Message) -> Notice:
        return Notice(
            recipient_id=recipient_id,
            type=kind,
            approval_id=self.approval_id,
            title=self.title,
            message=message,
        )


_Event = TypeVar("_Event", bound=ApprovalEvent)


@dataclass(frozen=True)
class _Rule(Generic[_Event]):
    """Who is told of one event type, read with the type's model."""

    model: type[_Event]
    tell: Callable[[_Document, _Event], list[Notice]]

    def notices(self, data: Mapping[str, Any], occurred_at: datetime) -> list[Notice]:
        try:
            event = self.model.model_validate(data)
        except ValidationError as exc:
            raise UnusableApprovalEvent(f"{self.model.type}: {exc}") from exc
        return self.tell(_Document.of(event, occurred_at), event)


def notices_for(event_type: str, data: Mapping[str, Any], *, occurred_at: datetime) -> list[Notice]:
    """The notices an `approval-events` event (of `occurred_at`) causes; none without a rule.

    Raises `UnusableApprovalEvent` when a type with a rule carries data it cannot read.
    """
    rule = _RULES.get(event_type)
    if rule is None:
        return []
    return _one_per_recipient(rule.notices(data, occurred_at))


def has_rule(event_type: str) -> bool:
    """Whether events of this type can tell anyone at all."""
    return event_type in _RULES


def _your_turn(document: _Document, event: YourTurn) -> list[Notice]:
    names = {"requester": document.requester_name, "title": document.title}
    if event.kind == "agreement":
        message = msg("{requester} asked for your agreement: {title}", **names)
    else:
        message = msg("{requester} asked for your approval: {title}", **names)
    return [
        document.notice(recipient, NotificationType.YOUR_TURN, message)
        for recipient in event.recipients
    ]


def _reminder(document: _Document, event: Reminder) -> list[Notice]:
    names = {
        "requester": document.requester_name,
        "waited": _duration(document.occurred_at - event.waiting_since),
        "title": document.title,
    }
    if event.kind == "agreement":
        message = msg(
            "Reminder: {requester} has waited {waited} for your agreement: {title}", **names
        )
    else:
        message = msg(
            "Reminder: {requester} has waited {waited} for your approval: {title}", **names
        )
    return [
        document.notice(recipient, NotificationType.REMINDER, message)
        for recipient in event.recipients
    ]


def _submitted(document: _Document, event: Submitted) -> list[Notice]:
    message = msg(
        "{requester} submitted a document for your reference: {title}",
        requester=document.requester_name,
        title=document.title,
    )
    return _cc_notices(document, event.cc, message)


def _resubmitted(document: _Document, event: Resubmitted) -> list[Notice]:
    message = msg(
        "{requester} resubmitted a document for your reference: {title}",
        requester=document.requester_name,
        title=document.title,
    )
    return _cc_notices(document, event.cc, message)


def _cc_notices(document: _Document, cc: list[str], message: Message) -> list[Notice]:
    """The `approval.cc` notices of the cc members, leaving out the requester."""
    return [
        document.notice(member, NotificationType.CC, message)
        for member in cc
        if member != document.requester_id
    ]


def _approved(document: _Document, event: Approved) -> list[Notice]:
    number = _stripped(event.number)
    own = (
        msg("Your document was approved: {title} ({number})", title=document.title, number=number)
        if number
        else msg("Your document was approved: {title}", title=document.title)
    )
    shared = msg(
        "{requester}'s document was approved: {title}",
        requester=document.requester_name,
        title=document.title,
    )
    return [
        document.notice(document.requester_id, NotificationType.APPROVED, own),
        *(document.notice(cc, NotificationType.CC, shared) for cc in event.cc),
    ]


def _rejected(document: _Document, event: Rejected) -> list[Notice]:
    reason = _stripped(event.reason)
    own = (
        msg(
            "Your document was rejected: {title}. Reason: {reason}",
            title=document.title,
            reason=_quote(reason),
        )
        if reason
        else msg("Your document was rejected: {title}", title=document.title)
    )
    shared = msg(
        "{requester}'s document was rejected: {title}",
        requester=document.requester_name,
        title=document.title,
    )
    return [
        document.notice(document.requester_id, NotificationType.REJECTED, own),
        *(document.notice(cc, NotificationType.CC, shared) for cc in event.cc),
    ]


def _withdrawn(document: _Document, event: Withdrawn) -> list[Notice]:
    own = msg("You withdrew your document: {title}", title=document.title)
    released = msg(
        "{requester} withdrew a document that was waiting for you: {title}",
        requester=document.requester_name,
        title=document.title,
    )
    return [
        document.notice(document.requester_id, NotificationType.WITHDRAWN, own),
        *(
            document.notice(holder, NotificationType.WITHDRAWN, released)
            for holder in event.released
        ),
    ]


def _taken_back(document: _Document, event: TakenBack) -> list[Notice]:
    own = msg(
        "{approver} took back their approval of your document: {title}",
        approver=event.taken_by.name.strip(),
        title=document.title,
    )
    released = msg(
        "{approver} took back the approval before yours; the document no longer waits "
        "for you: {title}",
        approver=event.taken_by.name.strip(),
        title=document.title,
    )
    return [
        document.notice(document.requester_id, NotificationType.TAKEN_BACK, own),
        *(
            document.notice(holder, NotificationType.TAKEN_BACK, released)
            for holder in event.released
        ),
    ]


def _commented(document: _Document, event: Commented) -> list[Notice]:
    if event.author.id == document.requester_id:
        return []
    message = msg(
        "{author} commented on your document: {title} \u2014 \u201c{comment}\u201d",
        author=event.author.name.strip(),
        title=document.title,
        comment=_quote(event.body),
    )
    return [document.notice(document.requester_id, NotificationType.COMMENTED, message)]


def _decided_for_you(document: _Document, event: DecidedForYou) -> list[Notice]:
    names = {
        "decider": event.decided_by.name.strip(),
        "requester": document.requester_name,
        "title": document.title,
    }
    if event.decision == "approved":
        message = msg("{decider} approved {requester}'s document in your name: {title}", **names)
    else:
        message = msg("{decider} rejected {requester}'s document in your name: {title}", **names)
    return [document.notice(event.approver_id, NotificationType.DECIDED_FOR_YOU, message)]


_RULES: dict[str, _Rule[Any]] = {
    rule.model.type: rule
    for rule in (
        _Rule(Submitted, _submitted),
        _Rule(Resubmitted, _resubmitted),
        _Rule(YourTurn, _your_turn),
        _Rule(Reminder, _reminder),
        _Rule(Approved, _approved),
        _Rule(Rejected, _rejected),
        _Rule(Withdrawn, _withdrawn),
        _Rule(TakenBack, _taken_back),
        _Rule(Commented, _commented),
        _Rule(DecidedForYou, _decided_for_you),
    )
}


def _one_per_recipient(notices: list[Notice]) -> list[Notice]:
    seen: set[str] = set()
    kept: list[Notice] = []
    for notice in notices:
        if notice.recipient_id not in seen:
            seen.add(notice.recipient_id)
            kept.append(notice)
    return kept


def _stripped(text: str | None) -> str | None:
    """The text without surrounding blanks; None if nothing is left."""
    return None if text is None else text.strip() or None


def _duration(waited: timedelta) -> Message:
    """How long, in words: whole hours up to two days, whole days after."""
    hours = int(waited.total_seconds() // 3600)
    if hours < 1:
        return msg("less than an hour")
    if hours < 48:
        return msg("1 hour") if hours == 1 else msg("{hours} hours", hours=hours)
    return msg("{days} days", days=hours // 24)


def _quote(text: str) -> str:
    return _shortened(" ".join(text.split()), MAX_QUOTE_LENGTH)


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + _ELLIPSIS
