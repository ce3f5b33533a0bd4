"""`WS /ws/notifications?ticket=`: a user's notifications, pushed as they are committed.

The socket is accepted first and the ticket redeemed after, so that a refusal can carry a
close code the browser sees (4401), which a refused handshake could not. Then two tasks run
until either ends: one pushes the user's messages and a `ping` every interval, the other
reads the client (answering `{"type": "ping"}` with a pong, ignoring anything else) and
notices the disconnect.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import structlog
from fastapi import APIRouter, WebSocket
from prometheus_client import Gauge
from starlette.websockets import WebSocketDisconnect, WebSocketDisconnected

from dojang.kernel.auth.principal import Principal
from dojang.kernel.calls import DEFAULT_TIMEOUT_SECONDS, PortUnavailable, within
from dojang.notification.service.ports import (
    EndReason,
    FanoutSubscription,
    NotificationFanout,
    SubscriptionEnded,
    TicketRedeemer,
    TooManySockets,
)

log = structlog.get_logger(__name__)

OPEN_SOCKETS = Gauge("dojang_notification_sockets", "Open notification WebSockets")

CLOSE_UNAUTHENTICATED = 4401
CLOSE_TOO_MANY_SOCKETS = 4429
CLOSE_GOING_AWAY = 1001
CLOSE_INTERNAL_ERROR = 1011
CLOSE_TRY_AGAIN_LATER = 1013

MAX_TICKET_LENGTH = 4096
"""A signed ticket is under 1 KiB; anything far longer is refused unread."""
MAX_CLIENT_TEXT_READ = 1024
"""Client messages longer than this are ignored without being parsed."""

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
    *,
    ping_interval: float,
    ticket_timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> APIRouter:
    """The notification WebSocket route."""
    router = APIRouter(tags=["notifications"])

    @router.websocket("/ws/notifications")
    async def notification_socket(websocket: WebSocket) -> None:
        """Push the ticket holder's notifications until either side closes."""
        await NotificationSocket(
            websocket, tickets, fanout, ping_interval=ping_interval, ticket_timeout=ticket_timeout
        ).serve()

    return router


class NotificationSocket:
    """One client connection of the notification WebSocket."""

    def __init__(
        self,
        websocket: WebSocket,
        tickets: TicketRedeemer,
        fanout: NotificationFanout,
        *,
        ping_interval: float,
        ticket_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self._websocket = websocket
        self._tickets = tickets
        self._ticket_timeout = ticket_timeout
        self._fanout = fanout
        self._ping_interval = ping_interval
        self._send_lock = asyncio.Lock()

    async def serve(self) -> None:
        """Accept, authenticate by ticket, register, exchange messages, unregister."""
        await self._websocket.accept()
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
            await self._exchange(subscription)
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

    async def _exchange(self, subscription: FanoutSubscription) -> None:
        tasks = [
            asyncio.create_task(self._push(subscription), name="notification-socket-push"),
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

    async def _push(self, subscription: FanoutSubscription) -> None:
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
            if not await self._send(message):
                return

    async def _listen(self) -> None:
        while True:
            received = await self._websocket.receive()
            if received["type"] == "websocket.disconnect":
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
        return True

    async def _close(self, code: int, reason: str) -> None:
        try:
            async with self._send_lock:
                await self._websocket.close(code=code, reason=reason)
        except (WebSocketDisconnect, WebSocketDisconnected):
            return


def _is_ping(text: str) -> bool:
    if len(text) > MAX_CLIENT_TEXT_READ:
        return False
    try:
        parsed = json.loads(text)
    except ValueError:
        return False
    return isinstance(parsed, dict) and parsed.get("type") == "ping"
