"""A notification: what one person is told about one approval document, and if they read it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from dojang.kernel.i18n import Message


class NotificationType(StrEnum):
    """What a notification is about; the values are the API's `type` strings."""

    YOUR_TURN = "approval.your_turn"
    APPROVED = "approval.approved"
    REJECTED = "approval.rejected"
    WITHDRAWN = "approval.withdrawn"
    TAKEN_BACK = "approval.taken_back"
    COMMENTED = "approval.commented"
    CC = "approval.cc"
    REMINDER = "approval.reminder"
    DECIDED_FOR_YOU = "approval.decided_for_you"


@dataclass(frozen=True)
class Notice:
    """What the rules decide for one person: the type, the document and the sentence (a
    message, rendered in the reader's language when it is read)."""

    recipient_id: str
    type: NotificationType
    approval_id: str
    title: str
    message: Message


@dataclass(frozen=True)
class Notification:
    """A notice as stored for its recipient: when it was made, caused by which event, read.

    `sequence` numbers the recipient's notifications 1, 2, 3, ... in the order they were
    committed, without gaps, so that a client can ask for everything after the last it saw.
    """

    id: str
    recipient_id: str
    sequence: int
    type: NotificationType
    approval_id: str
    title: str
    message: Message
    event_id: str
    created_at: datetime
    read_at: datetime | None = None

    @classmethod
    def of(
        cls,
        notice: Notice,
        *,
        notification_id: str,
        sequence: int,
        event_id: str,
        created_at: datetime,
    ) -> Notification:
        """The unread notification of a notice, caused by the event `event_id`."""
        return cls(
            id=notification_id,
            recipient_id=notice.recipient_id,
            sequence=sequence,
            type=notice.type,
            approval_id=notice.approval_id,
            title=notice.title,
            message=notice.message,
            event_id=event_id,
            created_at=created_at,
        )

    @property
    def unread(self) -> bool:
        """Whether the recipient has not read it yet."""
        return self.read_at is None

    def read(self, at: datetime) -> Notification:
        """This notification read at `at`; one already read keeps its first read time."""
        if not self.unread:
            return self
        return replace(self, read_at=at)
