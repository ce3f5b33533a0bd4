"""The public shape of a notification, the same in the API and on the socket."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from dojang.notification.domain.notifications import Notification


class NotificationView(BaseModel):
    """API.md `Notification`: `{id, type, approval_id, title, message, created_at, read_at}`,
    and `sequence`, the recipient's running number of it (for `WS ...?after=`)."""

    id: str
    sequence: int
    type: str
    approval_id: str
    title: str
    message: str
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def of(cls, notification: Notification) -> NotificationView:
        """The public view of a stored notification."""
        return cls(
            id=notification.id,
            sequence=notification.sequence,
            type=notification.type.value,
            approval_id=notification.approval_id,
            title=notification.title,
            message=notification.message,
            created_at=notification.created_at,
            read_at=notification.read_at,
        )


def socket_message(notification: Notification) -> dict[str, Any]:
    """The JSON-ready WebSocket message that carries a notification to its recipient."""
    return {
        "type": "notification",
        "data": NotificationView.of(notification).model_dump(mode="json"),
    }
