"""Where the ids of used WebSocket tickets are kept: this process, or Redis for replicas.

Both answer "first use?" atomically. In process the check and the write happen with no
`await` between them, so no other task on the loop can slip in; in Redis it is one
`SET <prefix>ws-jti:<jti> 1 NX EX <ttl>`, so two replicas redeeming the same ticket at
once get one "OK" and one nil.
"""

from __future__ import annotations

from redis.asyncio import Redis

from dojang.kernel.clock import Clock


class InProcessSpentTickets:
    """Used ticket ids in a dict, each forgotten once its ticket could no longer verify."""

    def __init__(self, *, clock: Clock) -> None:
        self._clock = clock
        self._until: dict[str, float] = {}

    async def spend(self, jti: str, *, ttl_seconds: int) -> bool:
        """Record `jti` as used for `ttl_seconds`; True only the first time."""
        now = self._clock.now().timestamp()
        self._forget_expired(now)
        if jti in self._until:
            return False
        self._until[jti] = now + ttl_seconds
        return True

    def _forget_expired(self, now: float) -> None:
        # ids arrive in about the order they expire (tickets share one lifetime), so the
        # oldest entries are at the front; stop at the first that still counts
        while self._until:
            jti, until = next(iter(self._until.items()))
            if until > now:
                return
            del self._until[jti]

    async def close(self) -> None:
        """Nothing to release."""


class RedisSpentTickets:
    """Used ticket ids as expiring Redis keys, shared by every replica on one Redis."""

    def __init__(self, redis_url: str, *, key_prefix: str = "dojang:") -> None:
        self._redis: Redis = Redis.from_url(redis_url, decode_responses=True)
        self._prefix = key_prefix

    def key(self, jti: str) -> str:
        """The Redis key that marks `jti` as used."""
        return f"{self._prefix}ws-jti:{jti}"

    async def spend(self, jti: str, *, ttl_seconds: int) -> bool:
        """Record `jti` as used for `ttl_seconds`; True only the first time, on any replica."""
        created = await self._redis.set(self.key(jti), "1", nx=True, ex=ttl_seconds)
        return bool(created)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()
