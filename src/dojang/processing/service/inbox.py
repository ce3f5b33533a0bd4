"""The inbox (결재함): what waits for the caller, and what they decided."""

from __future__ import annotations

from collections.abc import Callable

from dojang.kernel.clock import Clock
from dojang.processing.domain.tasks import Task
from dojang.processing.service.unit_of_work import ProcessingUnitOfWork, TimeCursor

UnitOfWorkFactory = Callable[[], ProcessingUnitOfWork]


class InboxQueries:
    """Reads of the caller's tasks; they change nothing."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, *, clock: Clock) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    async def pending(self, caller_id: str, *, after: TimeCursor | None, limit: int) -> list[Task]:
        """Pending tasks the caller holds, newest first.

        The holder is the task's stored assignee, the one fact this service reports to
        approval-request (`approval.tasks_assigned`), which decides on that record alone: a
        task in this inbox is one the caller may decide. A delegate's delegate does not see
        it: a 대결 hands over what the delegator holds, not what was handed to them.
        """
        async with self._unit_of_work() as uow:
            return await uow.tasks.inbox_pending(caller_id, after=after, limit=limit)

    async def done(self, caller_id: str, *, after: TimeCursor | None, limit: int) -> list[Task]:
        """Tasks the caller decided, latest decision first."""
        async with self._unit_of_work() as uow:
            return await uow.tasks.inbox_done(caller_id, after=after, limit=limit)
