"""Forgets what can no longer be used: expired tickets, refresh tokens, throttle windows."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import timedelta

import structlog

from dojang.identity.domain.throttle import LoginThrottle
from dojang.identity.service.unit_of_work import IdentityUnitOfWork
from dojang.kernel.clock import Clock

log = structlog.get_logger(__name__)

# Spent refresh tokens are kept a while past expiry so that a late replay is still recognised.
REFRESH_TOKEN_GRACE = timedelta(days=1)


class Housekeeping:
    """Deletes expired rows once at start and then every `interval` in the background."""

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
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    async def purge(self) -> int:
        """Delete every expired ticket, refresh token and closed throttle window; how many."""
        now = self._clock.now()
        async with self._uow() as uow:
            removed = await uow.ws_tickets.delete_expired(now)
            removed += await uow.refresh_tokens.delete_expired(now - REFRESH_TOKEN_GRACE)
            removed += await uow.login_attempts.delete_closed(self._throttle.opened_after(now))
            await uow.commit()
        return removed

    async def _run(self) -> None:
        while True:
            try:
                removed = await self.purge()
                if removed:
                    log.info("identity_housekeeping", removed=removed)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("identity_housekeeping_failed")
            await asyncio.sleep(self._interval.total_seconds())

    async def start(self) -> None:
        """Purge in the background from now on."""
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name="identity-housekeeping"
        )

    async def stop(self) -> None:
        """Stop purging."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
