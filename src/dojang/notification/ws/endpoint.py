"""`WS /ws/notifications?ticket=&after=`: a user's notifications, pushed as they are committed.

The socket is accepted first and the ticket redeemed after, so that a refusal can carry a
close code the browser sees (4401), which a refused handshake could not. Then two tasks run
until either ends: one pushes the user's messages and a `ping` every interval, the other
reads the client (answering `{"type": "ping"}` with a pong, ignoring anything else) and
notices the disconnect. A client sending faster than its rate (a burst, then so many messages a
second: `DOJANG_WS_CLIENT_MESSAGE_BURST`, `DOJANG_WS_CLIENT_MESSAGES_PER_SECOND`) is closed
with 1008, policy violation: every message costs a read, and a pong a write.

With `after=<sequence>` the socket first catches up. It subscribes to live messages, then
reads the user's last sequence number L, then sends every stored notification numbered above
`after`, oldest first, page by page; live messages wait in the subscription meanwhile. A
user's numbers follow commit order, so every notification numbered up to the higher of L and
the last one sent was committed before a read that looked for it: it was sent now, or it is
at most `after` and the client has it. A live message numbered that high or lower is a
duplicate and is dropped; anything higher was committed after the subscription began, so it
arrives live. No gap, no duplicate at the seam.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import structlog
from fastapi import APIRouter, WebSocket
from prometheus_client import Counter, Gauge
from starlette.websockets import WebSocketDisconnect, WebSocketDisconnected

from dojang.kernel.auth.principal import Principal
from dojang.kernel.calls import DEFAULT_TIMEOUT_SECONDS, PortUnavailable, within
from dojang.kernel.i18n.context import connection_language
from dojang.notification.service.inbox import NotificationInbox
from dojang.notification.service.ports import (
    EndReason,
    FanoutSubscription,
    NotificationFanout,
    SubscriptionEnded,
    TicketRedeemer,
    TooManySockets,
)
from dojang.notification.service.views import localized, socket_message
from dojang.notification.ws.rate import MessageRate

log = structlog.get_logger(__name__)

OPEN_SOCKETS = Gauge("dojang_notification_sockets", "Open notification WebSockets")
DELIVERED = Counter(
    "dojang_notifications_delivered_total",
    "Notifications sent over a WebSocket, live or on catch-up (pings and pongs not counted)",
)

CLOSE_BAD_REQUEST = 4400
CLOSE_UNAUTHENTICATED = 4401
CLOSE_TOO_MANY_SOCKETS = 4429
CLOSE_GOING_AWAY = 1001
CLOSE_POLICY_VIOLATION = 1008
CLOSE_INTERNAL_ERROR = 1011
CLOSE_TRY_AGAIN_LATER = 1013

MAX_TICKET_LENGTH = 4096
"""A signed ticket is under 1 KiB; anything far longer is refused unread."""
MAX_CLIENT_TEXT_READ = 1024
"""Client messages longer than this are ignored without being parsed."""
CATCH_UP_PAGE = 100
"""Stored notifications read at a time while catching up."""
MAX_SEQUENCE = 2**63 - 1

PING: dict[str, Any] = {"type": "ping"}
PONG: dict[str, Any] = {"type": "pong"}

_ENDINGS = {
    EndReason.CLOSED: (CLOSE_GOING_AWAY, "closed"),
    EndReason.SHUTDOWN: (CLOSE_GOING_AWAY, "the server is shutting down; reconnect"),
    EndReason.TOO_SLOW: (
        CLOSE_TRY_AGAIN_LATER,
        "too far behind; reconnect and fetch /api/notifications",
    ),
}


def notification_socket_router(
    tickets: TicketRedeemer,
    fanout: NotificationFanout,
    inbox: NotificationInbox,
    *,
    ping_interval: float,
    client_rate: tuple[float, int],
    ticket_timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> APIRouter:
    """The notification WebSocket route."""
    router = APIRouter(tags=["notifications"])

    @router.websocket("/ws/notifications")
    async def notification_socket(websocket: WebSocket) -> None:
        """Push the ticket holder's notifications until either side closes."""
        await NotificationSocket(
            websocket,
            tickets,
            fanout,
            inbox,
            ping_interval=ping_interval,
            client_rate=client_rate,
            ticket_timeout=ticket_timeout,
        ).serve()

    return router


class NotificationSocket:
    """One client connection of the notification WebSocket."""

    def __init__(
        self,
        websocket: WebSocket,
        tickets: TicketRedeemer,
        fanout: NotificationFanout,
        inbox: NotificationInbox,
        *,
        ping_interval: float,
        client_rate: tuple[float, int],
        ticket_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        """`client_rate` is (messages a second, burst) a client may send."""
        self._websocket = websocket
        self._client_rate = client_rate
        self._tickets = tickets
        self._language = connection_language(websocket)
        self._ticket_timeout = ticket_timeout
        self._fanout = fanout
        self._inbox = inbox
        self._ping_interval = ping_interval
        self._send_lock = asyncio.Lock()

    async def serve(self) -> None:
        """Accept, authenticate by ticket, register, catch up, exchange messages, unregister."""
        await self._websocket.accept()
        raw_after = self._websocket.query_params.get("after")
        after = _sequence(raw_after)
        if raw_after is not None and after is None:
            # refused before the ticket is spent, so that the client can retry with it
            await self._close(CLOSE_BAD_REQUEST, "`after` must be a notification sequence")
            return
        try:
            principal = await self._redeem(self._websocket.query_params.get("ticket"))
        except PortUnavailable:
            log.warning("notification_ticket_check_timed_out")
            await self._close(CLOSE_TRY_AGAIN_LATER, "could not check the ticket in time; retry")
            return
        except Exception:
            log.exception("notification_ticket_check_failed")
            await self._close(CLOSE_INTERNAL_ERROR, "could not check the ticket; try again")
            return
        if principal is None:
            await self._close(CLOSE_UNAUTHENTICATED, "the ticket is unknown, expired or used")
            return
        try:
            subscription = await self._fanout.subscribe(principal.user_id)
        except TooManySockets:
            await self._close(CLOSE_TOO_MANY_SOCKETS, "too many notification sockets open")
            return
        except SubscriptionEnded as ended:
            await self._close(*_ENDINGS[ended.reason])
            return
        OPEN_SOCKETS.inc()
        log.info("notification_socket_opened", user_id=principal.user_id)
        try:
            await self._serve_subscribed(principal, subscription, after)
        finally:
            OPEN_SOCKETS.dec()
            await subscription.close()
            log.info("notification_socket_closed", user_id=principal.user_id)

    async def _redeem(self, ticket: str | None) -> Principal | None:
        if not ticket or len(ticket) > MAX_TICKET_LENGTH:
            return None
        return await within(
            self._ticket_timeout,
            self._tickets.redeem_ws_ticket(ticket),
            unavailable="the ticket could not be checked in time",
        )

    async def _serve_subscribed(
        self, principal: Principal, subscription: FanoutSubscription, after: int | None
    ) -> None:
        if after is None:
            await self._exchange(subscription, delivered_through=None)
            return
        try:
            delivered_through = await self._catch_up(principal, after)
        except Exception:
            log.exception("notification_catch_up_failed", user_id=principal.user_id)
            await self._close(CLOSE_INTERNAL_ERROR, "could not read missed notifications")
            return
        if delivered_through is not None:
            await self._exchange(subscription, delivered_through=delivered_through)

    async def _catch_up(self, principal: Principal, after: int) -> int | None:
        """Send the stored notifications numbered above `after`; None if the client left.

        Answers the number through which the client now has every notification.
        """
        # a client claiming more than exists (`after` past this) still gets what comes next
        existing_through = await self._inbox.last_sequence(principal)
        cursor, sent_through = after, 0
        while True:
            page = await self._inbox.after_sequence(principal, cursor, limit=CATCH_UP_PAGE)
            for notification in page:
                if not await self._send(localized(socket_message(notification), self._language)):
                    return None
                cursor = sent_through = notification.sequence
            if len(page) < CATCH_UP_PAGE:
                return max(existing_through, sent_through)

    async def _exchange(
        self, subscription: FanoutSubscription, *, delivered_through: int | None
    ) -> None:
        tasks = [
            asyncio.create_task(
                self._push(subscription, delivered_through), name="notification-socket-push"
            ),
            asyncio.create_task(self._listen(), name="notification-socket-listen"),
        ]
        try:
            done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for task in done:
            task.result()  # an unexpected failure reaches the server, which logs it

    async def _push(self, subscription: FanoutSubscription, delivered_through: int | None) -> None:
        """Send live messages and pings; drop notifications numbered `delivered_through` or
        lower (the client has them already)."""
        loop = asyncio.get_running_loop()
        next_ping = loop.time() + self._ping_interval
        while True:
            try:
                async with asyncio.timeout_at(next_ping):
                    message = await subscription.next_message()
            except TimeoutError:
                message = PING
                next_ping = loop.time() + self._ping_interval
            except SubscriptionEnded as ended:
                await self._close(*_ENDINGS[ended.reason])
                return
            if _already_delivered(message, delivered_through):
                continue
            if not await self._send(localized(message, self._language)):
                return

    async def _listen(self) -> None:
        per_second, burst = self._client_rate
        rate = MessageRate(per_second, burst, asyncio.get_running_loop().time)
        while True:
            received = await self._websocket.receive()
            if received["type"] == "websocket.disconnect":
                return
            if not rate.allow():
                log.warning("notification_socket_flooded")
                await self._close(
                    CLOSE_POLICY_VIOLATION,
                    f"more than {burst} messages at once or {per_second:g} a second",
                )
                return
            text = received.get("text")
            if isinstance(text, str) and _is_ping(text) and not await self._send(PONG):
                return

    async def _send(self, message: dict[str, Any]) -> bool:
        """Send a message; False once the client is gone."""
        try:
            async with self._send_lock:
                await self._websocket.send_json(message)
        except (WebSocketDisconnect, WebSocketDisconnected):
            return False
        if message.get("type") == "notification":
            DELIVERED.inc()
        return True

    async def _close(self, code: int, reason: str) -> None:
        try:
            async with self._send_lock:
                await self._websocket.close(code=code, reason=reason)
        except (WebSocketDisconnect, WebSocketDisconnected):
            return


def _sequence(raw: str | None) -> int | None:
    """A non-negative sequence number given in the query string; None if absent or invalid."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if value <= MAX_SEQUENCE else None


def _already_delivered(message: dict[str, Any], delivered_through: int | None) -> bool:
    """Whether a live message is a notification numbered `delivered_through` or lower."""
    if delivered_through is None:
        return False
    data = message.get("data")
    sequence = data.get("sequence") if isinstance(data, dict) else None
    return isinstance(sequence, int) and sequence <= delivered_through


def _is_ping(text: str) -> bool:
    if len(text) > MAX_CLIENT_TEXT_READ:
        return False
    try:
        parsed = json.loads(text)
    except ValueError:
        return False
    return isinstance(parsed, dict) and parsed.get("type") == "ping"
