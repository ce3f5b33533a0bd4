"""The SQL repository of notifications, on one unit of work's session."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Dialect, Row, func, insert, select, tuple_, update

from dojang.kernel.i18n import Message
from dojang.kernel.i18n.messages import message_from_json, message_to_json
from dojang.kernel.locks import lock_row_statement
from dojang.kernel.sql import SqlSession
from dojang.notification.adapters.tables import notification_sequences, notifications
from dojang.notification.domain.notifications import Notification, NotificationType


def _utc(value: datetime) -> datetime:
    """A stored instant as aware UTC (SQLite and MySQL hand back naive UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _message(sentence: str, stored: str | None) -> Message:
    """The stored message; a row from before messages were stored says its English sentence."""
    if stored is None:
        return Message(sentence)
    return message_from_json(json.loads(stored))


def _notification(row: Row[Any]) -> Notification:
    return Notification(
        id=row.id,
        recipient_id=row.recipient_id,
        sequence=row.sequence,
        type=NotificationType(row.type),
        approval_id=row.approval_id,
        title=row.title,
        message=_message(row.message, row.message_i18n),
        event_id=row.event_id,
        created_at=_utc(row.created_at),
        read_at=None if row.read_at is None else _utc(row.read_at),
    )


class SqlNotificationRepository:
    """Notifications in the `notifications` table."""

    def __init__(self, session: SqlSession, dialect: Dialect) -> None:
        self._session = session
        self._dialect = dialect

    async def next_sequences(self, recipient_ids: Collection[str]) -> dict[str, int]:
        """The next sequence number of each recipient, held by this transaction until it ends.

        Each recipient's counter row is locked (created at first use) before it is read, so
        another transaction numbering the same recipient waits for this one to commit and
        then takes the following number: numbers follow commit order and leave no gaps,
        and a rollback gives its numbers back. Rows are locked in one order (sorted ids),
        so two transactions numbering the same people cannot deadlock.
        """
        t = notification_sequences
        numbers: dict[str, int] = {}
        for recipient_id in sorted(set(recipient_ids)):
            await self._session.execute(
                lock_row_statement(self._dialect, t, {"recipient_id": recipient_id})
            )
            await self._session.execute(
                update(t)
                .where(t.c.recipient_id == recipient_id)
                .values(last_sequence=t.c.last_sequence + 1)
            )
            numbers[recipient_id] = int(
                await self._session.scalar(
                    select(t.c.last_sequence).where(t.c.recipient_id == recipient_id)
                )
            )
        return numbers

    async def last_sequence(self, recipient_id: str) -> int:
        """The sequence number of the recipient's latest committed notification (0: none)."""
        t = notification_sequences
        found = await self._session.scalar(
            select(t.c.last_sequence).where(t.c.recipient_id == recipient_id)
        )
        return int(found or 0)

    async def after_sequence(self, recipient_id: str, after: int, limit: int) -> list[Notification]:
        """Up to `limit` of the recipient's notifications numbered above `after`, in order."""
        rows = await self._session.execute(
            select(notifications)
            .where(notifications.c.recipient_id == recipient_id, notifications.c.sequence > after)
            .order_by(notifications.c.sequence)
            .limit(limit)
        )
        return [_notification(row) for row in rows]

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
                    "sequence": n.sequence,
                    "type": n.type.value,
                    "approval_id": n.approval_id,
                    "title": n.title,
                    "message": n.message.render("en"),
                    "message_i18n": json.dumps(message_to_json(n.message), ensure_ascii=False),
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
