"""The SQL repository of notifications, on one unit of work's session."""

from __future__ import annotations

import functools
import json
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Dialect,
    Insert,
    Row,
    Select,
    bindparam,
    delete,
    insert,
    select,
    tuple_,
    update,
)

from dojang.kernel.db import Database
from dojang.kernel.i18n import Message
from dojang.kernel.i18n.messages import message_from_json, message_to_json
from dojang.kernel.locks import count_up_statement, lock_row_statement
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


@functools.lru_cache(maxsize=8)
def _sequence_statements(dialect: Dialect) -> tuple[Insert, Select[tuple[int]]]:
    """The count-up of a recipient's counter row and its read, built once per dialect: a
    notification is numbered for every event that tells someone, and building the
    statements (and their cache keys) each time cost more than running them."""
    t = notification_sequences
    recipient = bindparam("recipient_id", type_=t.c.recipient_id.type)
    count_up = count_up_statement(dialect, t, {"recipient_id": recipient}, "last_sequence")
    read = select(t.c.last_sequence).where(t.c.recipient_id == recipient)
    return count_up, read


_ADD = insert(notifications)  # built once, as above


class SqlNotificationRepository:
    """Notifications in the `notifications` table."""

    def __init__(self, session: SqlSession, dialect: Dialect) -> None:
        self._session = session
        self._dialect = dialect

    async def next_sequences(self, recipient_ids: Collection[str]) -> dict[str, int]:
        """The next sequence number of each recipient, held by this transaction until it ends.

        Each recipient's counter row is counted up (created at 1 at first use), which locks
        it, then read: another transaction numbering the same recipient waits for this one
        to commit and then takes the following number, so numbers follow commit order and
        leave no gaps, and a rollback gives its numbers back. Rows are locked in one order
        (sorted ids), so two transactions numbering the same people cannot deadlock.
        """
        count_up, read = _sequence_statements(self._dialect)
        numbers: dict[str, int] = {}
        for recipient_id in sorted(set(recipient_ids)):
            key = {"recipient_id": recipient_id}
            await self._session.execute(count_up, key)
            numbers[recipient_id] = int(await self._session.scalar(read, key))
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
        """Store new notifications (numbered by `next_sequences` in this transaction, which
        holds each recipient's counter row) and count the unread ones in."""
        if not notifications_:
            return
        unread: dict[str, int] = {}
        for n in notifications_:
            if n.read_at is None:
                unread[n.recipient_id] = unread.get(n.recipient_id, 0) + 1
        t = notification_sequences
        for recipient_id, count in sorted(unread.items()):
            await self._session.execute(
                update(t).where(t.c.recipient_id == recipient_id).values(unread=t.c.unread + count)
            )
        await self._session.execute(
            _ADD,
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
        """Store the read time of a notification, counting it out of the unread ones if this
        write is the one that read it (of two at once, the second changes no row)."""
        result = await self._session.execute(
            update(notifications)
            .where(notifications.c.id == notification.id, notifications.c.read_at.is_(None))
            .values(read_at=notification.read_at)
        )
        if cast(CursorResult[Any], result).rowcount == 1:
            t = notification_sequences
            await self._session.execute(
                update(t)
                .where(t.c.recipient_id == notification.recipient_id, t.c.unread > 0)
                .values(unread=t.c.unread - 1)
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
        rows = await self._session.execute(
            notifications_page(recipient_id, unread=unread, after=after, limit=limit)
        )
        return [_notification(row) for row in rows]

    async def count_unread(self, recipient_id: str) -> int:
        """How many of the recipient's notifications are unread: their counter, not a count."""
        t = notification_sequences
        counted = await self._session.scalar(
            select(t.c.unread).where(t.c.recipient_id == recipient_id)
        )
        return int(counted or 0)

    async def mark_all_read(self, recipient_id: str, at: datetime) -> int:
        """Mark every unread notification of the recipient read at `at`; returns how many.

        The counter row is locked first: a notification being added meanwhile (whose
        transaction holds that row) is then either marked read here or counted after."""
        await self._session.execute(
            lock_row_statement(
                self._dialect, notification_sequences, {"recipient_id": recipient_id}
            )
        )
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
        t = notification_sequences
        await self._session.execute(
            update(t).where(t.c.recipient_id == recipient_id).values(unread=0)
        )
        return result.rowcount


def notifications_page(
    recipient_id: str, *, unread: bool | None, after: tuple[datetime, str] | None, limit: int
) -> Select[Any]:
    """One page of a recipient's notifications, newest first: a walk of the recipient's
    index that stops at `limit` (the unread ones have an index of their own)."""
    conditions = [notifications.c.recipient_id == recipient_id]
    if unread is True:
        conditions.append(notifications.c.read_at.is_(None))
    elif unread is False:
        conditions.append(notifications.c.read_at.is_not(None))
    if after is not None:
        conditions.append(tuple_(notifications.c.created_at, notifications.c.id) < tuple_(*after))
    return (
        select(notifications)
        .where(*conditions)
        .order_by(notifications.c.created_at.desc(), notifications.c.id.desc())
        .limit(limit)
    )


_PRUNE_BATCH = 5_000


async def prune_read_notifications(database: Database, read_before: datetime) -> int:
    """Delete the notifications read before `read_before`, in batches by the read-time
    index; how many went (the unread counters do not change: these were read)."""
    old = notifications.c.read_at < read_before
    if database.is_sqlite:
        statement = delete(notifications).where(
            notifications.c.id.in_(
                select(notifications.c.id)
                .where(old)
                .order_by(notifications.c.read_at)
                .limit(_PRUNE_BATCH)
            )
        )
    else:
        statement = delete(notifications).where(old).with_dialect_options(mysql_limit=_PRUNE_BATCH)
    deleted = 0
    while True:
        async with database.engine.begin() as conn:
            count = cast(CursorResult[Any], await conn.execute(statement)).rowcount
        deleted += count
        if count < _PRUNE_BATCH:
            return deleted
