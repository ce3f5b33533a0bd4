"""The Redis fan-out: every replica delivers a user's messages to the sockets it holds.

A message for a user is published on that user's channel `<prefix>notifications:<user id>`.
Each replica holds one pattern subscription to `<prefix>notifications:*` and hands what
arrives to its own sockets of that user. One pattern instead of a channel per socket keeps
reconnection simple (a single subscription to restore after Redis restarts) and costs little:
approval notifications are a few per minute, not a stream.

The per-user socket limit is counted across replicas in a sorted set per user,
`<prefix>sockets:<user id>`, whose members are socket ids scored by when they expire. Each
replica renews its sockets' scores every `heartbeat_seconds`; a crashed replica's sockets
stop being renewed and stop counting after `socket_ttl_seconds`.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from dojang.notification.adapters.fanout import InProcessSubscription
from dojang.notification.service.ports import EndReason, SubscriptionEnded, TooManySockets

log = structlog.get_logger(__name__)

# Drop expired members, then add this socket only while the user is under the limit.
_CLAIM_SOCKET = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
"""

MAX_BACKOFF_SECONDS = 5.0


class RedisFanout:
    """`NotificationFanout` shared by every replica connected to one Redis."""

    def __init__(
        self,
        redis_url: str,
        *,
        max_sockets_per_user: int,
        max_pending_messages: int,
        key_prefix: str = "dojang:",
        socket_ttl_seconds: float = 30.0,
        heartbeat_seconds: float = 10.0,
    ) -> None:
        self._replica = uuid.uuid4().hex
        self._redis: Redis = Redis.from_url(redis_url, decode_responses=True)
        self._subscriber_redis: Redis = Redis.from_url(
            redis_url, decode_responses=True, client_name=self.subscriber_name
        )
        self._prefix = key_prefix
        self._max_sockets_per_user = max_sockets_per_user
        self._max_pending_messages = max_pending_messages
        self._socket_ttl = socket_ttl_seconds
        self._heartbeat = heartbeat_seconds
        self._by_user: dict[str, dict[InProcessSubscription, str]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._cleanups: set[asyncio.Task[None]] = set()
        self._started = False
        self._closed = False
        self.reconnects = 0

    @property
    def subscriber_name(self) -> str:
        """The client name of this replica's subscriber connection (seen in CLIENT LIST)."""
        return f"dojang-fanout-{self._replica}"

    def _channel(self, user_id: str) -> str:
        return f"{self._prefix}notifications:{user_id}"

    def _sockets_key(self, user_id: str) -> str:
        return f"{self._prefix}sockets:{user_id}"

    async def start(self) -> None:
        """Subscribe and start the listener and the heartbeat (idempotent)."""
        if self._started:
            return
        self._started = True
        pubsub = await self._subscribe()
        self._tasks = [
            asyncio.create_task(self._listen(pubsub), name="redis-fanout-listen"),
            asyncio.create_task(self._beat(), name="redis-fanout-heartbeat"),
        ]

    async def publish(self, user_id: str, message: dict[str, Any]) -> None:
        """Publish a JSON-ready message on the user's channel; every replica delivers it."""
        await self._redis.publish(self._channel(user_id), json.dumps(message))

    async def subscribe(self, user_id: str) -> InProcessSubscription:
        """A new subscription for `user_id`, counted against the limit on every replica.

        Raises `TooManySockets` above the per-user limit and `SubscriptionEnded` once closed.
        """
        if self._closed:
            raise SubscriptionEnded(EndReason.SHUTDOWN)
        await self.start()
        socket_id = f"{self._replica}:{uuid.uuid4().hex}"
        now = time.time()
        claimed = await self._redis.eval(
            _CLAIM_SOCKET,
            1,
            self._sockets_key(user_id),
            str(now),
            str(self._max_sockets_per_user),
            str(now + self._socket_ttl),
            socket_id,
            str(int(self._socket_ttl * 1000)),
        )
        if not claimed:
            raise TooManySockets(f"{user_id} already has the most notification sockets allowed")
        subscription = InProcessSubscription(self, user_id, max_pending=self._max_pending_messages)
        self._by_user.setdefault(user_id, {})[subscription] = socket_id
        return subscription

    def forget(self, subscription: InProcessSubscription) -> None:
        """Drop an ended subscription here and, soon after, from the shared count."""
        held = self._by_user.get(subscription.user_id)
        if held is None or subscription not in held:
            return
        socket_id = held.pop(subscription)
        if not held:
            del self._by_user[subscription.user_id]
        task = asyncio.get_running_loop().create_task(
            self._release(subscription.user_id, socket_id)
        )
        self._cleanups.add(task)
        task.add_done_callback(self._cleanups.discard)

    async def _release(self, user_id: str, socket_id: str) -> None:
        try:
            await self._redis.zrem(self._sockets_key(user_id), socket_id)
        except RedisError:
            # it stops counting when its score expires
            log.warning("notification_socket_release_failed", user_id=user_id)

    def subscription_count(self, user_id: str) -> int:
        """How many subscriptions `user_id` holds on this replica."""
        return len(self._by_user.get(user_id, ()))

    async def close(self) -> None:
        """End every subscription with `EndReason.SHUTDOWN`, stop listening, disconnect."""
        self._closed = True
        for held in list(self._by_user.values()):
            for subscription in list(held):
                subscription.end(EndReason.SHUTDOWN)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.gather(*list(self._cleanups), return_exceptions=True)
        await self._subscriber_redis.aclose()
        await self._redis.aclose()

    async def _subscribe(self) -> PubSub:
        pubsub = self._subscriber_redis.pubsub()
        await pubsub.psubscribe(self._channel("*"))
        # wait for the confirmation: from here on, every publish reaches this replica
        while True:
            message = await pubsub.get_message(timeout=1.0)
            if message is not None and message["type"] == "psubscribe":
                return pubsub

    async def _listen(self, pubsub: PubSub) -> None:
        backoff = 0.1
        while True:
            try:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            except (RedisError, OSError):
                log.warning("notification_fanout_disconnected", backoff=backoff)
                await pubsub.aclose()  # type: ignore[no-untyped-call]
                pubsub = await self._resubscribe(backoff)
                self.reconnects += 1
                continue
            backoff = 0.1
            if message is not None and message["type"] == "pmessage":
                self._deliver(message["channel"], message["data"])

    async def _resubscribe(self, backoff: float) -> PubSub:
        while True:
            await asyncio.sleep(backoff)
            try:
                return await self._subscribe()
            except (RedisError, OSError):
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    def _deliver(self, channel: str, data: str) -> None:
        user_id = channel.removeprefix(self._channel(""))
        held = self._by_user.get(user_id)
        if not held:
            return
        try:
            message = json.loads(data)
        except ValueError:
            log.warning("notification_fanout_bad_message", channel=channel)
            return
        for subscription in list(held):
            subscription.offer(message)

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self._heartbeat)
            try:
                await self.renew()
            except RedisError:
                log.warning("notification_socket_heartbeat_failed")

    async def renew(self) -> None:
        """Push back the expiry of every socket this replica holds."""
        expires = time.time() + self._socket_ttl
        async with self._redis.pipeline(transaction=False) as pipe:
            for user_id, held in self._by_user.items():
                key = self._sockets_key(user_id)
                for socket_id in held.values():
                    pipe.zadd(key, {socket_id: expires}, xx=True)
                pipe.pexpire(key, int(self._socket_ttl * 1000))
            await pipe.execute()
