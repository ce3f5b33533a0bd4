"""Background work of a service: jobs that run every few seconds, and stopping a task."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import structlog

log = structlog.get_logger(__name__)

MOMENT_AFTER = 0.01
"""Seconds a `PeriodicJob` waits past the moment something falls due."""


class PeriodicJob:
    """Runs `job` at start and every `interval_seconds` until stopped.

    `job` returns how many things it handled; a run that handled some is logged as `name`.
    A failing run is logged (`<name>_failed`) and the next one comes at its time.

    With `due_in`, the next run comes sooner when something falls due sooner: `due_in`
    answers the seconds until then (or None). `wake()` starts the next run at once.
    """

    def __init__(
        self,
        name: str,
        job: Callable[[], Awaitable[int]],
        *,
        interval_seconds: float,
        due_in: Callable[[], Awaitable[float | None]] | None = None,
    ) -> None:
        self.name = name
        self._job = job
        self._interval = interval_seconds
        self._due_in = due_in
        self._woken = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """Whether the job is scheduled."""
        return self._task is not None and not self._task.done()

    async def run_once(self) -> int:
        """Run the job now, in the caller's task; returns how many things it handled."""
        return await self._job()

    async def _run(self) -> None:
        while True:
            try:
                handled = await self.run_once()
                if handled:
                    log.info(self.name, handled=handled)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception(f"{self.name}_failed")
            await self._pause()

    async def _pause(self) -> None:
        wait = self._interval
        if self._due_in is not None:
            try:
                due = await self._due_in()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception(f"{self.name}_schedule_failed")
                due = None
            if due is not None:
                # a little after the moment, so that the run sees it as past
                wait = min(wait, max(due, 0.0) + MOMENT_AFTER)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait):
                await self._woken.wait()
        self._woken.clear()

    def wake(self) -> None:
        """Run again now, and look at what falls due next afresh."""
        self._woken.set()

    async def start(self) -> None:
        """Run in the background from now on."""
        if not self.running:
            self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        """Stop running; a run in progress is cancelled (its transaction rolls back)."""
        await cancel_and_wait(self._task)
        self._task = None


class Pace:
    """Keeps the cycles of a background loop (a relay, a consumer) `seconds` apart at least.

    Woken for every event, such a loop would run one cycle per event under load, and pay
    each cycle's fixed cost (a read, a transaction, a commit) per event, taking the CPU
    that requests need. Starting a cycle no sooner than `seconds` after the one before lets
    the events of those milliseconds gather into one batch, as Kafka's linger does. After a
    quiet spell the next cycle starts at once, so an idle system adds no delay.
    """

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._last = -float("inf")

    async def next_cycle(self) -> None:
        """Return when the next cycle may start."""
        loop = asyncio.get_running_loop()
        wait = self._last + self._seconds - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last = loop.time()


async def cancel_and_wait(task: asyncio.Task[None] | None) -> None:
    """Cancel a background task, if any, and return once it has ended."""
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
