"""The in-process fan-out: user id → that user's open subscriptions, one queue each."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from dojang.notification.service.ports import EndReason, SubscriptionEnded, TooManySockets


class SubscriptionOwner(Protocol):
    """The fan-out a subscription tells when it ends."""

    def forget(self, subscription: InProcessSubscription) -> None:
        """Drop an ended subscription."""
        ...


class InProcessSubscription:
    """One socket's queue of its user's messages."""

    def __init__(self, fanout: SubscriptionOwner, user_id: str, *, max_pending: int) -> None:
        self._fanout = fanout
        self._user_id = user_id
        self._max_pending = max_pending
        # `None` wakes a waiting reader to tell it the subscription has ended
        self._queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self._ended: EndReason | None = None

    @property
    def user_id(self) -> str:
        """Whose messages this subscription receives."""
        return self._user_id

    async def next_message(self) -> dict[str, Any]:
        """Wait for the next message; raises `SubscriptionEnded` once there will be none."""
        if self._ended is None:
            message = await self._queue.get()
            if message is not None and self._ended is None:
                return message
        assert self._ended is not None
        raise SubscriptionEnded(self._ended)

    async def close(self) -> None:
        """Stop receiving and forget this subscription (idempotent)."""
        self.end(EndReason.CLOSED)

    def offer(self, message: dict[str, Any]) -> None:
        """Queue a message; a holder this far behind is ended rather than buffered forever."""
        if self._ended is not None:
            return
        if self._queue.qsize() >= self._max_pending:
            self.end(EndReason.TOO_SLOW)
            return
        self._queue.put_nowait(message)

    def end(self, reason: EndReason) -> None:
        """Deliver nothing more; a waiting reader gets `SubscriptionEnded(reason)`."""
        if self._ended is not None:
            return
        self._ended = reason
        self._queue.put_nowait(None)
        self._fanout.forget(self)


class InProcessFanout:
    """`NotificationFanout` for one process: every open socket of a user, and nobody else's."""

    def __init__(self, *, max_sockets_per_user: int, max_pending_messages: int) -> None:
        self._max_sockets_per_user = max_sockets_per_user
        self._max_pending_messages = max_pending_messages
        self._by_user: dict[str, set[InProcessSubscription]] = {}
        self._closed = False

    async def publish(self, user_id: str, message: dict[str, Any]) -> None:
        """Hand a JSON-ready message to every subscription of `user_id`; never blocks on one."""
        for subscription in list(self._by_user.get(user_id, ())):
            subscription.offer(message)

    async def subscribe(self, user_id: str) -> InProcessSubscription:
        """A new subscription for `user_id`.

        Raises `TooManySockets` above the per-user limit and `SubscriptionEnded` once closed.
        """
        if self._closed:
            raise SubscriptionEnded(EndReason.SHUTDOWN)
        held = self._by_user.setdefault(user_id, set())
        if len(held) >= self._max_sockets_per_user:
            raise TooManySockets(f"{user_id} already has {len(held)} notification sockets")
        subscription = InProcessSubscription(self, user_id, max_pending=self._max_pending_messages)
        held.add(subscription)
        return subscription

    async def close(self) -> None:
        """End every subscription with `EndReason.SHUTDOWN` and refuse new ones."""
        self._closed = True
        for held in list(self._by_user.values()):
            for subscription in list(held):
                subscription.end(EndReason.SHUTDOWN)

    def subscription_count(self, user_id: str) -> int:
        """How many subscriptions `user_id` holds now."""
        return len(self._by_user.get(user_id, ()))

    def forget(self, subscription: InProcessSubscription) -> None:
        """Drop an ended subscription from its user's set."""
        held = self._by_user.get(subscription.user_id)
        if held is None:
            return
        held.discard(subscription)
        if not held:
            del self._by_user[subscription.user_id]
