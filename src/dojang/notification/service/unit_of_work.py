"""What the use cases need from storage: the notifications and a unit of work around them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import datetime
from typing import Protocol

from dojang.kernel.bus.unit_of_work import TransactionalUnitOfWork
from dojang.notification.domain.notifications import Notification


class NotificationRepository(Protocol):
    async def next_sequences(self, recipient_ids: Collection[str]) -> dict[str, int]:
        """The next sequence number of each recipient, in commit order and without gaps."""
        ...

    async def last_sequence(self, recipient_id: str) -> int:
        """The sequence number of the recipient's latest committed notification (0: none)."""
        ...

    async def after_sequence(self, recipient_id: str, after: int, limit: int) -> list[Notification]:
        """Up to `limit` of the recipient's notifications numbered above `after`, in order."""
        ...

    async def add(self, notifications: Sequence[Notification]) -> None:
        """Store new notifications."""
        ...

    async def get(self, recipient_id: str, notification_id: str) -> Notification | None:
        """The notification with this id if it belongs to `recipient_id`, else None."""
        ...

    async def save_read(self, notification: Notification) -> None:
        """Store the read time of a notification."""
        ...

    async def newest(
        self,
        recipient_id: str,
        *,
        unread: bool | None,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Notification]:
        """Up to `limit` of the recipient's notifications, newest first, after `(time, id)`.

        `unread` True keeps the unread ones, False the read ones, None both.
        """
        ...

    async def count_unread(self, recipient_id: str) -> int:
        """How many of the recipient's notifications are unread."""
        ...

    async def mark_all_read(self, recipient_id: str, at: datetime) -> int:
        """Mark every unread notification of the recipient read at `at`; returns how many."""
        ...


class NotificationUnitOfWork(TransactionalUnitOfWork, Protocol):
    """One transaction on the notification database."""

    @property
    def notifications(self) -> NotificationRepository: ...

    def after_commit(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Run `callback` once this unit of work has committed (never if it rolls back)."""
        ...

    async def commit(self) -> None:
        """Commit everything done in this unit of work."""
        ...


UnitOfWorkFactory = Callable[[], NotificationUnitOfWork]
