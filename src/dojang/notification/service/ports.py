"""What the notification service needs from outside: spent tickets and a fan-out.

The fan-out carries a committed notification to every open socket of its recipient, wherever
that socket is served. In one process `InProcessFanout` keeps the sockets in a dict; with
several replicas a Redis adapter publishes to a channel per user (`notifications:<user id>`)
and each replica subscribes to the channels of the users whose sockets it holds.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

from dojang.kernel.auth.principal import Principal


class TicketRedeemer(Protocol):
    """Single-use WebSocket tickets: identity signs them, the socket server spends them."""

    async def redeem_ws_ticket(self, ticket: str) -> Principal | None:
        """The principal a ticket stands for, spending it; None if invalid, used or expired."""
        ...


class SpentTickets(Protocol):
    """The ids of tickets already used; in Redis, shared by every replica serving sockets."""

    async def spend(self, jti: str, *, ttl_seconds: int) -> bool:
        """Record `jti` as used for `ttl_seconds`; True only the first time, atomically."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


class EndReason(StrEnum):
    """Why a subscription delivers nothing more."""

    CLOSED = "closed"  # by its holder
    SHUTDOWN = "shutdown"  # the fan-out is closing
    TOO_SLOW = "too_slow"  # its holder fell too far behind the messages


class SubscriptionEnded(Exception):
    """The subscription will deliver nothing more."""

    def __init__(self, reason: EndReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


class TooManySockets(Exception):
    """The user already holds as many subscriptions as one user may."""


class FanoutSubscription(Protocol):
    """One socket's share of its user's messages."""

    @property
    def user_id(self) -> str:
        """Whose messages this subscription receives."""
        ...

    async def next_message(self) -> dict[str, Any]:
        """Wait for the next message; raises `SubscriptionEnded` once there will be none."""
        ...

    async def close(self) -> None:
        """Stop receiving and forget this subscription (idempotent)."""
        ...


class NotificationFanout(Protocol):
    """Delivers a user's messages to every open subscription of that user, and nobody else."""

    async def publish(self, user_id: str, message: dict[str, Any]) -> None:
        """Hand a JSON-ready message to every subscription of `user_id`; never blocks on one."""
        ...

    async def subscribe(self, user_id: str) -> FanoutSubscription:
        """A new subscription for `user_id`.

        Raises `TooManySockets` above the per-user limit and `SubscriptionEnded` once closed.
        """
        ...

    async def close(self) -> None:
        """End every subscription with `EndReason.SHUTDOWN` and refuse new ones."""
        ...
