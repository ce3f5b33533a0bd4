"""The inbox (결재함): what waits for the caller, and what they decided."""

from __future__ import annotations

from collections.abc import Callable

from dojang.kernel.clock import Clock
from dojang.processing.domain.rights import Actor
from dojang.processing.domain.tasks import Task
from dojang.processing.service.unit_of_work import ProcessingUnitOfWork, TimeCursor

UnitOfWorkFactory = Callable[[], ProcessingUnitOfWork]


class InboxQueries:
    """Reads of the caller's tasks; they change nothing."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, *, clock: Clock) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    async def pending(self, caller_id: str, *, after: TimeCursor | None, limit: int) -> list[Task]:
        """Pending tasks the caller holds or decides as an active delegate, newest first."""
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            actor = Actor(
                employee_id=caller_id,
                delegators=await uow.delegations.delegators_to(caller_id, now),
                at=now,
            )
            return await uow.tasks.inbox_pending(actor, after=after, limit=limit)

    async def done(self, caller_id: str, *, after: TimeCursor | None, limit: int) -> list[Task]:
        """Tasks the caller decided, latest decision first."""
        async with self._unit_of_work() as uow:
            return await uow.tasks.inbox_done(caller_id, after=after, limit=limit)
