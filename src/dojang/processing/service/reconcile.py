"""Reconciliation, approval-processing's part: it owns the tasks, so it reports which versions
of which documents it holds pending tasks of (`approval.tasks_pending`), and approval-request,
which owns the lines, cancels those of versions no longer in progress. The other half, the
open slots approval-request announces, is applied by the consumer (`service/requests.py`).
"""

from __future__ import annotations

from collections.abc import Callable

from dojang.kernel.clock import Clock
from dojang.processing.service import events
from dojang.processing.service.unit_of_work import ProcessingUnitOfWork

UnitOfWorkFactory = Callable[[], ProcessingUnitOfWork]


class PendingTaskReport:
    """Reports every document version this service holds pending tasks of."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, *, clock: Clock) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    async def report_all(self) -> int:
        """One `approval.tasks_pending` per document version with pending tasks; how many."""
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            versions = await uow.tasks.pending_versions()
            for approval_id, version in versions:
                uow.emit(events.RESULTS_TOPIC, events.tasks_pending(approval_id, version, at=now))
            await uow.commit()
        return len(versions)
