"""The public shape of a notification, the same in the API and on the socket.

A notification's `message` is rendered in its reader's language when it is read: the API
answers in the request's `Accept-Language`, a socket in the language it was opened with.
Messages published to the fan-out carry the message itself (`MESSAGE_KEY`), and each socket
renders it for its own reader (`localized`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from dojang.kernel.i18n import Language
from dojang.kernel.i18n.messages import message_from_json, message_to_json
from dojang.notification.domain.notifications import Notification

MESSAGE_KEY = "message_i18n"
"""The key of a fan-out message's data that holds the message to render; never sent."""


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
    def of(cls, notification: Notification, language: Language) -> NotificationView:
        """The public view of a stored notification, its message in `language`."""
        return cls(
            id=notification.id,
            sequence=notification.sequence,
            type=notification.type.value,
            approval_id=notification.approval_id,
            title=notification.title,
            message=notification.message.render(language),
            created_at=notification.created_at,
            read_at=notification.read_at,
        )


def socket_message(notification: Notification) -> dict[str, Any]:
    """The JSON-ready message that carries a notification to its recipient's sockets, before
    `localized` renders it for one of them."""
    data = NotificationView.of(notification, "en").model_dump(mode="json")
    data[MESSAGE_KEY] = message_to_json(notification.message)
    return {"type": "notification", "data": data}


def localized(message: dict[str, Any], language: Language) -> dict[str, Any]:
    """A fan-out message as a socket of a `language` reader sends it."""
    data = message.get("data")
    if message.get("type") != "notification" or not isinstance(data, dict):
        return message
    shown = dict(data)
    stored = shown.pop(MESSAGE_KEY, None)
    if isinstance(stored, dict):
        shown["message"] = message_from_json(stored).render(language)
    return {**message, "data": shown}
