"""Wires the notification service from settings and ports: `build_notification`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from dojang.kernel.auth.keys import KeySource
from dojang.kernel.auth.ws_tickets import WsTicketVerifier
from dojang.kernel.bus.consumer import ConsumerRunner
from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.port import EventBus
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import Clock
from dojang.kernel.db import Database
from dojang.kernel.retention import Pruner
from dojang.kernel.service import Hook, ServiceModule
from dojang.notification.adapters.fanout import InProcessFanout
from dojang.notification.adapters.redis_fanout import RedisFanout
from dojang.notification.adapters.repositories import prune_read_notifications
from dojang.notification.adapters.spent_tickets import InProcessSpentTickets, RedisSpentTickets
from dojang.notification.adapters.tables import kernel_tables
from dojang.notification.adapters.unit_of_work import SqlNotificationUnitOfWork
from dojang.notification.api.notifications import notifications_router
from dojang.notification.domain.rules import has_rule
from dojang.notification.service.approval_events import (
    APPROVAL_EVENTS_TOPIC,
    CONSUMER_GROUP,
    ApprovalEventHandler,
)
from dojang.notification.service.inbox import NotificationInbox
from dojang.notification.service.ports import NotificationFanout, SpentTickets, TicketRedeemer
from dojang.notification.service.tickets import SignedTicketRedeemer
from dojang.notification.settings import NotificationSettings
from dojang.notification.ws.endpoint import notification_socket_router

SERVICE_NAME = "notification"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass
class NotificationService:
    """The assembled notification service: its module, its fan-out and its use cases."""

    module: ServiceModule
    fanout: NotificationFanout
    tickets: TicketRedeemer
    inbox: NotificationInbox
    consumer: ConsumerRunner[SqlNotificationUnitOfWork]
    pruners: list[Pruner]


def build_notification(
    settings: NotificationSettings,
    bus: EventBus,
    ticket_keys: KeySource,
    *,
    clock: Clock,
) -> NotificationService:
    """The notification service on its own database, consuming `approval-events`.

    WebSocket tickets are verified with `ticket_keys`, the built-in issuer's public keys
    (in process from its key store, or its JWKS over HTTP), and spent in Redis when
    `DOJANG_REDIS_URL` is set, else in this process. It emits no events, so it has no
    outbox relay. Stopping the module closes every socket.
    """
    database = Database(
        settings.database_url_for(SERVICE_NAME, settings.notification_database_url),
        mysql=settings.mysql_options,
    )
    # nothing is ever emitted here, but the kernel's unit of work wants a signal to notify
    signal = OutboxSignal()

    def unit_of_work() -> SqlNotificationUnitOfWork:
        return SqlNotificationUnitOfWork(database, kernel_tables, signal)

    fanout: InProcessFanout | RedisFanout
    spent: SpentTickets
    on_start: list[Hook] = []
    if settings.redis_url:
        fanout = RedisFanout(
            settings.redis_url,
            max_sockets_per_user=settings.ws_max_sockets_per_user,
            max_pending_messages=settings.ws_max_pending_messages,
            key_prefix=settings.redis_key_prefix,
        )
        spent = RedisSpentTickets(settings.redis_url, key_prefix=settings.redis_key_prefix)
        on_start.append(fanout.start)
    else:
        fanout = InProcessFanout(
            max_sockets_per_user=settings.ws_max_sockets_per_user,
            max_pending_messages=settings.ws_max_pending_messages,
        )
        spent = InProcessSpentTickets(clock=clock)
    tickets = SignedTicketRedeemer(
        WsTicketVerifier(ticket_keys, issuer=settings.builtin_issuer, clock=clock),
        spent,
        clock=clock,
    )
    inbox = NotificationInbox(unit_of_work, clock=clock)
    consumer = ConsumerRunner[SqlNotificationUnitOfWork](
        bus=bus,
        group=CONSUMER_GROUP,
        topics=[APPROVAL_EVENTS_TOPIC],
        handler=ApprovalEventHandler(fanout, clock=clock),
        unit_of_work=unit_of_work,
        dead_letters=BusDeadLetters(bus),
        # an event type without a rule tells nobody: it is not worth a transaction
        accepts=lambda event: has_rule(event.type),
    )
    module = ServiceModule(
        name=SERVICE_NAME,
        routers=[
            notifications_router(inbox),
            notification_socket_router(
                tickets,
                fanout,
                inbox,
                ping_interval=settings.ws_ping_interval_seconds,
                client_rate=(
                    settings.ws_client_messages_per_second,
                    settings.ws_client_message_burst,
                ),
                ticket_timeout=settings.port_timeout_seconds,
            ),
        ],
        database=database,
        migrations=MIGRATIONS,
        consumers=[consumer],
        on_start=on_start,
        on_stop=[fanout.close, spent.close],
    )
    keep_read = timedelta(days=settings.notification_read_retention_days)

    async def prune_read() -> int:
        return await prune_read_notifications(database, clock.now() - keep_read)

    return NotificationService(
        module=module,
        fanout=fanout,
        tickets=tickets,
        inbox=inbox,
        consumer=consumer,
        pruners=[prune_read],
    )
