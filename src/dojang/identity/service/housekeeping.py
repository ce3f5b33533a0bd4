"""Forgets what can no longer be used: expired refresh tokens, old windows, stale logins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from dojang.identity.domain.throttle import LoginThrottle
from dojang.identity.service.unit_of_work import IdentityUnitOfWork
from dojang.kernel.background import PeriodicJob
from dojang.kernel.clock import Clock

# Spent refresh tokens are kept a while past expiry so that a late replay is still recognised.
REFRESH_TOKEN_GRACE = timedelta(days=1)
# A pending login whose employee has not appeared by then never will: the hiring failed.
PENDING_LOGIN_TTL = timedelta(days=1)


class Housekeeping:
    """Deletes expired rows; `job` runs it at start and then hourly in the background."""

    def __init__(
        self,
        unit_of_work: Callable[[], IdentityUnitOfWork],
        throttle: LoginThrottle,
        *,
        clock: Clock,
        interval: timedelta = timedelta(hours=1),
    ) -> None:
        self._uow = unit_of_work
        self._throttle = throttle
        self._clock = clock
        self.job = PeriodicJob(
            "identity_housekeeping", self.purge, interval_seconds=interval.total_seconds()
        )

    async def purge(self) -> int:
        """Delete every expired refresh token, throttle window and pending login."""
        now = self._clock.now()
        async with self._uow() as uow:
            removed = await uow.refresh_tokens.delete_expired(now - REFRESH_TOKEN_GRACE)
            removed += await uow.login_attempts.delete_closed(self._throttle.opened_after(now))
            removed += await uow.pending_logins.delete_older(now - PENDING_LOGIN_TTL)
            await uow.commit()
        return removed
