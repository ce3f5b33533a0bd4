"""Login throttling: a fixed window of attempts per email and client.

Every attempt is counted before the password is checked, and a successful login clears the
count, so what remains in a window is the failures (and the attempts still in flight, which
is what stops a parallel burst). Once a window holds more than `max_failures` attempts,
further attempts are refused until the window, opened by the first of them, has passed.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class AttemptWindow:
    """The attempts counted for one email and client since `started_at`."""

    started_at: datetime
    attempts: int


def throttle_key(email: str, client: str) -> str:
    """The key attempts are counted under; a digest, so no address is stored in clear."""
    return hashlib.sha256(f"{email}\n{client}".encode()).hexdigest()


@dataclass(frozen=True)
class LoginThrottle:
    """`max_failures` failed logins per `window`, then HTTP 429 until the window ends."""

    max_failures: int
    window: timedelta

    def opened_after(self, now: datetime) -> datetime:
        """Windows that started after this instant are still open at `now`."""
        return now - self.window

    def is_open(self, window: AttemptWindow, now: datetime) -> bool:
        """Whether `window` still counts at `now`."""
        return window.started_at > self.opened_after(now)

    def after_attempt(self, current: AttemptWindow | None, now: datetime) -> AttemptWindow:
        """The window once one more attempt is counted at `now`."""
        if current is None or not self.is_open(current, now):
            return AttemptWindow(started_at=now, attempts=1)
        return AttemptWindow(started_at=current.started_at, attempts=current.attempts + 1)

    def retry_after(self, window: AttemptWindow, now: datetime) -> int | None:
        """Seconds until attempts are allowed again, or None if this attempt may proceed."""
        if not self.is_open(window, now) or window.attempts <= self.max_failures:
            return None
        remaining = (window.started_at + self.window - now).total_seconds()
        return max(1, math.ceil(remaining))
