"""Reminders (독촉) of tasks left waiting: found here, told by the notification service.

Only this service knows who still holds a pending task, and since when. Every so often it
looks for tasks whose next reminder is due (`every` after the task was opened, then twice
as long after each reminder, at most `most` of them, so a stuck task costs a bounded
number of notifications), records the reminder on each, and publishes
`approval.tasks_overdue` to `approval-results`. The approval-request service, the authority
on the document, turns what is still current into `approval.reminder` on `approval-events`,
and the notification service tells the holders.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from dojang.kernel.clock import Clock
from dojang.processing.service import events
from dojang.processing.service.unit_of_work import ProcessingUnitOfWork

BATCH = 500
"""Tasks reminded in one transaction; a longer backlog is worked off batch by batch."""


class TaskReminders:
    """Finds tasks left waiting for `every` and asks for their holders to be reminded."""

    def __init__(
        self,
        unit_of_work: Callable[[], ProcessingUnitOfWork],
        *,
        every: timedelta,
        clock: Clock,
        most: int = 3,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._every = every
        self._most = most
        self._clock = clock

    async def remind_overdue(self) -> int:
        """Remind the holders of every task that is due; returns how many tasks."""
        total = 0
        while True:
            found, reminded = await self._remind_batch()
            total += reminded
            if found < BATCH or not reminded:
                return total

    async def _remind_batch(self) -> tuple[int, int]:
        """Remind one batch: (tasks found due, tasks reminded)."""
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            due = await uow.tasks.reminders_due(
                now, every=self._every, most=self._most, limit=BATCH
            )
            reminded = []
            for task in due:
                if not task.reminder_due(now, every=self._every, most=self._most):
                    continue
                last = task.reminded_at
                task.remind(now)
                # another replica may have reminded it, or it was decided, meanwhile
                if await uow.tasks.save_reminder(task, was=last):
                    reminded.append(task)
            for event in events.tasks_overdue(reminded, at=now):
                uow.emit(events.RESULTS_TOPIC, event)
            await uow.commit()
        return len(due), len(reminded)
