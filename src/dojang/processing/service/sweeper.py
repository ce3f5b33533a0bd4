"""Runs `follow_windows` in the background, so that tasks follow delegations in time."""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from dojang.processing.service.delegations import DelegationUseCases

log = structlog.get_logger(__name__)


class DelegationSweeper:
    """Moves tasks of delegations that started or ended, at start and every `interval`."""

    def __init__(self, delegations: DelegationUseCases, *, interval_seconds: float) -> None:
        self._delegations = delegations
        self._interval = interval_seconds
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            try:
                moved = await self._delegations.follow_windows()
                if moved:
                    log.info("delegation_windows_followed", tasks_moved=moved)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delegation_sweep_failed")
            await asyncio.sleep(self._interval)

    async def start(self) -> None:
        """Sweep in the background from now on."""
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name="processing-delegation-sweeper"
        )

    async def stop(self) -> None:
        """Stop sweeping."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
