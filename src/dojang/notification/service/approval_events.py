"""The `notification` consumer of `approval-events`: store notices, then push them live."""

from __future__ import annotations

import structlog
from prometheus_client import Counter

from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import Clock
from dojang.kernel.ids import new_id
from dojang.notification.domain.notifications import Notification
from dojang.notification.domain.rules import notices_for
from dojang.notification.service.ports import NotificationFanout
from dojang.notification.service.unit_of_work import NotificationUnitOfWork
from dojang.notification.service.views import socket_message

log = structlog.get_logger(__name__)

APPROVAL_EVENTS_TOPIC = "approval-events"
CONSUMER_GROUP = "notification"

CREATED = Counter(
    "dojang_notifications_created_total", "Notifications stored (counted once committed)"
)


class ApprovalEventHandler:
    """Turns an approval event into stored notifications and, once committed, pushes them."""

    def __init__(self, fanout: NotificationFanout, *, clock: Clock) -> None:
        self._fanout = fanout
        self._clock = clock

    async def __call__(self, event: Event, uow: NotificationUnitOfWork) -> None:
        """Store the event's notifications in `uow`; push each after `uow` commits."""
        notices = notices_for(event.type, event.data, occurred_at=event.occurred_at)
        if not notices:
            return
        now = self._clock.now()
        sequences = await uow.notifications.next_sequences([n.recipient_id for n in notices])
        created = [
            Notification.of(
                notice,
                notification_id=new_id(),
                sequence=sequences[notice.recipient_id],
                event_id=event.id,
                created_at=now,
            )
            for notice in notices
        ]
        await uow.notifications.add(created)

        async def push() -> None:
            CREATED.inc(len(created))
            await self._push(created)

        # Sockets only ever see what is committed: a rolled-back attempt pushes nothing.
        uow.after_commit(push)

    async def _push(self, created: list[Notification]) -> None:
        for notification in created:
            # The notification is stored whatever happens here, and the client fetches it
            # from the list when it reconnects; a fan-out failure must not make the runner
            # treat a committed event as failed.
            try:
                await self._fanout.publish(notification.recipient_id, socket_message(notification))
            except Exception:
                log.exception(
                    "notification_push_failed",
                    notification_id=notification.id,
                    recipient_id=notification.recipient_id,
                )
