"""`employee-events`: when someone leaves, their tasks go to their manager."""

from __future__ import annotations

import structlog
from pydantic import BaseModel, Field

from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import Clock
from dojang.processing.domain.tasks import Task, TaskStatus, successor
from dojang.processing.service.handover import store_moves
from dojang.processing.service.payloads import parse
from dojang.processing.service.unit_of_work import ProcessingUnitOfWork

log = structlog.get_logger(__name__)


class _Employee(BaseModel):
    id: str = Field(min_length=1)


class _Deactivated(BaseModel):
    employee: _Employee
    manager_id: str | None = None

    @property
    def employee_id(self) -> str:
        return self.employee.id


class EmployeeEventHandler:
    """Applies departures in the consumer's unit of work; other employee events are ignored."""

    def __init__(self, *, clock: Clock) -> None:
        self._clock = clock

    async def deactivated(self, event: Event, uow: ProcessingUnitOfWork) -> None:
        """The leaver's delegations end and the tasks they hold move to their manager.

        Tasks the leaver had handed to a delegate stay with that delegate. Without a manager
        (or when the manager is the document's requester) a task stays where it is, with a
        warning: an administrator has to step in.
        """
        data = parse(_Deactivated, event, key_field="employee_id")
        leaver = data.employee_id
        now = self._clock.now()
        await uow.departures.record(leaver, data.manager_id, now)

        current = await uow.delegations.current_involving(leaver, now)
        for delegation in current:
            delegation.revoke(now)
            await uow.delegations.save(delegation)
        for task in await uow.tasks.pending_under(
            [d.id for d in current if d.delegator_id == leaver]
        ):
            task.hand_to(task.assignee_id)
            await uow.tasks.save(task, was=TaskStatus.PENDING)

        manager_id = data.manager_id
        if manager_id is not None:
            manager_id = successor(manager_id, await uow.departures.chain_from(manager_id))
        moved: list[Task] = []
        stuck: list[Task] = []
        for task in await uow.tasks.pending_held_by([leaver]):
            taker = task.successor_after_departure(manager_id)
            if taker is None:
                stuck.append(task)
                continue
            task.hand_to(taker)
            moved.append(task)
        if stuck:
            log.warning(
                "tasks_left_with_departed_employee",
                employee_id=leaver,
                approval_ids=sorted({t.approval_id for t in stuck}),
            )
        count = await store_moves(uow, moved, at=now)
        log.info("departure_applied", employee_id=leaver, manager_id=manager_id, tasks_moved=count)
