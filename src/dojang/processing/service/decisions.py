"""Deciding: an approver, or whoever stands in for them, approves or rejects their task."""

from __future__ import annotations

from collections.abc import Callable

import structlog

from dojang.kernel.clock import Clock
from dojang.processing.domain.errors import TaskClosed
from dojang.processing.domain.rights import Actor, task_to_decide
from dojang.processing.domain.tasks import Decision, Task, TaskStatus
from dojang.processing.service import events
from dojang.processing.service.unit_of_work import ProcessingUnitOfWork

log = structlog.get_logger(__name__)

UnitOfWorkFactory = Callable[[], ProcessingUnitOfWork]


class DecisionUseCases:
    """Approve and reject; the decision is stored and published in one transaction."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, *, clock: Clock) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    async def approve(
        self, caller_id: str, approval_id: str, *, comment: str | None, final: bool
    ) -> Task:
        """Approve the caller's task on a document; with `final`, as 전결."""
        return await self._decide(
            caller_id, approval_id, Decision.APPROVED, comment=comment, final=final
        )

    async def reject(self, caller_id: str, approval_id: str, *, reason: str) -> Task:
        """Reject (반려) the caller's task on a document, giving the reason."""
        return await self._decide(
            caller_id, approval_id, Decision.REJECTED, comment=reason, final=False
        )

    async def _decide(
        self,
        caller_id: str,
        approval_id: str,
        decision: Decision,
        *,
        comment: str | None,
        final: bool,
    ) -> Task:
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            actor = Actor(
                employee_id=caller_id,
                delegators=await uow.delegations.delegators_to(caller_id, now),
                at=now,
            )
            tasks = await uow.tasks.of_document(approval_id)
            held_under = await uow.delegations.get_many(
                {t.delegation_id for t in tasks if t.delegation_id is not None}
            )
            task = task_to_decide(actor, tasks, held_under)
            task.decide(decision, by=caller_id, at=now, comment=comment, final=final)
            if not await uow.tasks.save(task, was=TaskStatus.PENDING):
                # decided or cancelled by someone else since we read it
                raise TaskClosed()
            uow.emit(events.RESULTS_TOPIC, events.decided(task, final=final, at=now))
            await uow.commit()
        log.info(
            "task_decided",
            task_id=task.id,
            approval_id=approval_id,
            decision=decision.value,
            decided_by=caller_id,
            on_behalf_of=task.on_behalf_of,
            final=final,
        )
        return task
