"""How fast a client may send on the notification socket: a token bucket."""

from __future__ import annotations

from collections.abc import Callable


class MessageRate:
    """Allows `burst` messages at once and `per_second` after that; `allow` answers whether
    one more message is within the rate."""

    def __init__(self, per_second: float, burst: int, clock: Callable[[], float]) -> None:
        self._per_second = per_second
        self._burst = float(burst)
        self._clock = clock
        self._tokens = float(burst)
        self._refilled_at = clock()

    def allow(self) -> bool:
        """Take one message's token; False when the client has none left."""
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._refilled_at) * self._per_second)
        self._refilled_at = now
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True
