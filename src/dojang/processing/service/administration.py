"""An administrator's repair of tasks: finding those left with someone who left, and handing
a pending task to someone else."""

from __future__ import annotations

from collections.abc import Callable

import structlog

from dojang.kernel.auth.principal import Principal
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Conflict, InvalidInput
from dojang.kernel.ports import EmployeeDirectory
from dojang.processing.domain.errors import TaskNotFound
from dojang.processing.domain.tasks import Task
from dojang.processing.service.handover import store_moves
from dojang.processing.service.unit_of_work import ProcessingUnitOfWork, TimeCursor

log = structlog.get_logger(__name__)

UnitOfWorkFactory = Callable[[], ProcessingUnitOfWork]


class TaskAdministration:
    """Pending tasks as an administrator sees and moves them."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        directory: EmployeeDirectory,
        *,
        clock: Clock,
        attempts: int = 3,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._directory = directory
        self._clock = clock
        self._attempts = attempts

    async def pending(self, *, stranded: bool, after: TimeCursor | None, limit: int) -> list[Task]:
        """Pending tasks, oldest first; `stranded`: only those whose holder has left."""
        async with self._unit_of_work() as uow:
            return await uow.tasks.pending_oldest_first(
                held_by_leavers=stranded, after=after, limit=limit
            )

    async def reassign(
        self, admin: Principal, task_id: str, *, assignee_id: str, reason: str
    ) -> Task:
        """Hand a pending task to `assignee_id` outright, and announce it as every change of
        hands is announced (`approval.tasks_assigned`).

        404 for an unknown task; 409 once it is decided or cancelled; 422 when the assignee
        is unknown, deactivated or the document's requester. The write compares and sets the
        task's revision: if the task moved meanwhile, it is read again and the checks run on
        what it is now.
        """
        assignee = await self._directory.get_employee(assignee_id)
        for _ in range(self._attempts):
            async with self._unit_of_work() as uow:
                task = await uow.tasks.get(task_id)
                if task is None:
                    raise TaskNotFound(task_id)
                previous = task.assignee_id
                changed = task.reassign(assignee_id)
                if assignee is None:
                    raise InvalidInput.field(
                        "assignee_id", "there is no employee {employee_id}", employee_id=assignee_id
                    )
                if not assignee.active:
                    raise InvalidInput.field(
                        "assignee_id",
                        "employee {employee_id} is deactivated",
                        employee_id=assignee_id,
                    )
                if not changed:
                    return task
                if not await store_moves(uow, [task], at=self._clock.now()):
                    continue  # it moved since it was read: read it again
                await uow.commit()
            log.info(
                "task_reassigned",
                task_id=task.id,
                approval_id=task.approval_id,
                reassigned_by=admin.user_id,
                previous_holder=previous,
                assignee_id=assignee_id,
                reason=reason,
            )
            return task
        raise Conflict(
            "Task {task_id} kept changing while it was reassigned; try again.", task_id=task_id
        )
