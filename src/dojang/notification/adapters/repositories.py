"""The SQL repository of notifications, on one unit of work's session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Row, func, insert, select, tuple_, update

from dojang.kernel.sql import SqlSession
from dojang.notification.adapters.tables import notifications
from dojang.notification.domain.notifications import Notification, NotificationType


def _utc(value: datetime) -> datetime:
    """A stored instant as aware UTC (SQLite and MySQL hand back naive UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _notification(row: Row[Any]) -> Notification:
    return Notification(
        id=row.id,
        recipient_id=row.recipient_id,
        type=NotificationType(row.type),
        approval_id=row.approval_id,
        title=row.title,
        message=row.message,
        event_id=row.event_id,
        created_at=_utc(row.created_at),
        read_at=None if row.read_at is None else _utc(row.read_at),
    )


class SqlNotificationRepository:
    """Notifications in the `notifications` table."""

    def __init__(self, session: SqlSession) -> None:
        self._session = session

    async def add(self, notifications_: Sequence[Notification]) -> None:
        """Store new notifications."""
        if not notifications_:
            return
        await self._session.execute(
            insert(notifications),
            [
                {
                    "id": n.id,
                    "recipient_id": n.recipient_id,
                    "type": n.type.value,
                    "approval_id": n.approval_id,
                    "title": n.title,
                    "message": n.message,
                    "event_id": n.event_id,
                    "created_at": n.created_at,
                    "read_at": n.read_at,
                }
                for n in notifications_
            ],
        )

    async def get(self, recipient_id: str, notification_id: str) -> Notification | None:
        """The notification with this id if it belongs to `recipient_id`, else None."""
        found = await self._session.execute(
            select(notifications).where(
                notifications.c.id == notification_id,
                notifications.c.recipient_id == recipient_id,
            )
        )
        row = found.first()
        return None if row is None else _notification(row)

    async def save_read(self, notification: Notification) -> None:
        """Store the read time of a notification."""
        await self._session.execute(
            update(notifications)
            .where(notifications.c.id == notification.id)
            .values(read_at=notification.read_at)
        )

    async def newest(
        self,
        recipient_id: str,
        *,
        unread: bool | None,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Notification]:
        """Up to `limit` of the recipient's notifications, newest first, after `(time, id)`."""
        conditions = [notifications.c.recipient_id == recipient_id]
        if unread is True:
            conditions.append(notifications.c.read_at.is_(None))
        elif unread is False:
            conditions.append(notifications.c.read_at.is_not(None))
        if after is not None:
            conditions.append(
                tuple_(notifications.c.created_at, notifications.c.id) < tuple_(*after)
            )
        rows = await self._session.execute(
            select(notifications)
            .where(*conditions)
            .order_by(notifications.c.created_at.desc(), notifications.c.id.desc())
            .limit(limit)
        )
        return [_notification(row) for row in rows]

    async def count_unread(self, recipient_id: str) -> int:
        """How many of the recipient's notifications are unread."""
        counted = await self._session.scalar(
            select(func.count()).where(
                notifications.c.recipient_id == recipient_id,
                notifications.c.read_at.is_(None),
            )
        )
        return int(counted or 0)

    async def mark_all_read(self, recipient_id: str, at: datetime) -> int:
        """Mark every unread notification of the recipient read at `at`; returns how many."""
        result = cast(
            CursorResult[Any],
            await self._session.execute(
                update(notifications)
                .where(
                    notifications.c.recipient_id == recipient_id,
                    notifications.c.read_at.is_(None),
                )
                .values(read_at=at)
            ),
        )
        return result.rowcount
