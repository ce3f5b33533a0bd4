"""The kernel's SQL unit of work, with the notification repository on its session."""

from __future__ import annotations

from dojang.kernel.bus.unit_of_work import SqlUnitOfWork
from dojang.notification.adapters.repositories import SqlNotificationRepository


class SqlNotificationUnitOfWork(SqlUnitOfWork):
    """A transaction on the notification database."""

    @property
    def notifications(self) -> SqlNotificationRepository:
        """Notifications, in this transaction."""
        return SqlNotificationRepository(self.session, self._db.dialect)
