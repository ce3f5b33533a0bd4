"""`employee-events`: when someone leaves, their tasks go to their manager."""

from __future__ import annotations

from datetime import datetime

import structlog

from dojang.contracts.employee_events import EmployeeDeactivated
from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import Clock
from dojang.processing.domain.tasks import Task, TaskStatus, successor
from dojang.processing.service import events
from dojang.processing.service.handover import handed_back, store_moves
from dojang.processing.service.payloads import parse
from dojang.processing.service.unit_of_work import ProcessingUnitOfWork

log = structlog.get_logger(__name__)


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
        data = parse(EmployeeDeactivated, event, key_field="employee.id")
        leaver = data.employee.id
        now = self._clock.now()
        await uow.departures.record(leaver, data.manager_id, now)

        # Tasks still stored with a delegate although their delegation is over (the sweeper
        # has not returned them yet) are the delegator's now: settle that first, so the
        # leaver's tasks are the ones they hold now, not the ones last stored with them.
        returned = await _returned_from_lapsed(uow, leaver, now)

        current = await uow.delegations.current_involving(leaver, now)
        for delegation in current:
            delegation.revoke(now)
            await uow.delegations.save(delegation)
            uow.emit(events.RESULTS_TOPIC, events.delegation_changed(delegation, at=now))
        for task in await uow.tasks.pending_under(
            [d.id for d in current if d.delegator_id == leaver]
        ):
            task.hand_to(task.assignee_id)
            await uow.tasks.save(task, was=TaskStatus.PENDING)

        manager_id = data.manager_id
        if manager_id is not None:
            manager_id = successor(manager_id, await uow.departures.chain_from(manager_id))
        moved = [task for task in returned.values() if task.assignee_id != leaver]
        stuck: list[Task] = []
        held = [t for t in await uow.tasks.pending_held_by([leaver]) if t.id not in returned]
        held += [task for task in returned.values() if task.assignee_id == leaver]
        for task in held:
            taker = task.successor_after_departure(manager_id)
            if taker is None:
                stuck.append(task)
                if task.id in returned:
                    moved.append(task)  # back with the leaver, outright: stored all the same
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


async def _returned_from_lapsed(
    uow: ProcessingUnitOfWork, leaver: str, now: datetime
) -> dict[str, Task]:
    """Pending tasks handed over under lapsed delegations of the leaver (on either side),
    given back to their delegators in memory; by task id."""
    lapsed = [
        d
        for d in await uow.delegations.lapsed_holding_tasks(now)
        if leaver in (d.delegator_id, d.delegate_id)
    ]
    return {task.id: task for task in await handed_back(uow, lapsed)}
