"""The ways a delegation or a task's reassignment is refused.

Each is one of the kernel's typed errors, so the HTTP layer answers with the right problem
without the domain knowing about HTTP.
"""

from __future__ import annotations

from dojang.kernel.errors import Conflict, NotFound


class OverlappingDelegation(Conflict):
    """The delegator already delegates during part of the requested window."""


class DelegationNotFound(NotFound):
    """No delegation with this id that the caller may revoke."""

    def __init__(self, delegation_id: str) -> None:
        super().__init__(
            "There is no delegation {delegation_id} you may revoke.", delegation_id=delegation_id
        )


class TaskNotFound(NotFound):
    """No task with this id."""

    def __init__(self, task_id: str) -> None:
        super().__init__("There is no task {task_id}.", task_id=task_id)


class TaskNotPending(Conflict):
    """The task was decided or cancelled: nobody holds it any more."""

    def __init__(self, task_id: str, status: str) -> None:
        super().__init__(
            "Task {task_id} is {status}, not pending: nobody holds it any more.",
            task_id=task_id,
            status=status,
        )
