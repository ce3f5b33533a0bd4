"""Use cases of the caller's own notifications: list, count, mark read."""

from __future__ import annotations

from datetime import datetime

from dojang.kernel.auth.principal import Principal
from dojang.kernel.clock import Clock
from dojang.kernel.errors import NotFound
from dojang.notification.domain.notifications import Notification
from dojang.notification.service.unit_of_work import UnitOfWorkFactory


class NotificationInbox:
    """A person's notifications, only ever their own: the recipient is the caller."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, *, clock: Clock) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    async def newest(
        self,
        caller: Principal,
        *,
        unread: bool | None,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Notification]:
        """Up to `limit` of the caller's notifications, newest first, after `(time, id)`."""
        async with self._unit_of_work() as uow:
            return await uow.notifications.newest(
                caller.user_id, unread=unread, after=after, limit=limit
            )

    async def last_sequence(self, caller: Principal) -> int:
        """The sequence number of the caller's latest committed notification (0: none)."""
        async with self._unit_of_work() as uow:
            return await uow.notifications.last_sequence(caller.user_id)

    async def after_sequence(
        self, caller: Principal, after: int, *, limit: int
    ) -> list[Notification]:
        """Up to `limit` of the caller's notifications numbered above `after`, oldest first."""
        async with self._unit_of_work() as uow:
            return await uow.notifications.after_sequence(caller.user_id, after, limit)

    async def unread_count(self, caller: Principal) -> int:
        """How many of the caller's notifications are unread."""
        async with self._unit_of_work() as uow:
            return await uow.notifications.count_unread(caller.user_id)

    async def mark_read(self, caller: Principal, notification_id: str) -> Notification:
        """Mark one of the caller's notifications read (again is fine); 404 if not theirs."""
        async with self._unit_of_work() as uow:
            found = await uow.notifications.get(caller.user_id, notification_id)
            if found is None:
                raise NotFound(
                    "You have no notification {notification_id}.", notification_id=notification_id
                )
            read = found.read(self._clock.now())
            if read is not found:
                await uow.notifications.save_read(read)
                await uow.commit()
        return read

    async def mark_all_read(self, caller: Principal) -> int:
        """Mark every unread notification of the caller read; returns how many changed."""
        async with self._unit_of_work() as uow:
            updated = await uow.notifications.mark_all_read(caller.user_id, self._clock.now())
            await uow.commit()
        return updated
