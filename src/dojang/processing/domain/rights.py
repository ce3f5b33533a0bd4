"""Who may decide which task: the holder, or whoever the holder's active 대결 names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from dojang.processing.domain.delegations import Delegation
from dojang.processing.domain.errors import NotYourTask, TaskClosed
from dojang.processing.domain.tasks import Task


@dataclass(frozen=True)
class Actor:
    """The caller at one instant, with everyone whose active delegation names them."""

    employee_id: str
    delegators: frozenset[str]
    at: datetime

    def stands_for(self, holder_id: str) -> bool:
        """Whether the caller holds what `holder_id` holds: it is them, or they delegate."""
        return holder_id == self.employee_id or holder_id in self.delegators

    def may_decide(self, task: Task, delegation: Delegation | None) -> bool:
        """Whether the caller may decide this task now (never on their own document)."""
        return (
            task.is_pending
            and task.requester.id != self.employee_id
            and self.stands_for(task.holder(delegation, self.at))
        )

    def had_part_in(self, task: Task, delegation: Delegation | None) -> bool:
        """Whether a closed task was the caller's: theirs, held or decided by them."""
        if task.requester.id == self.employee_id:
            return False
        return self.employee_id in (task.approver_id, task.decided_by) or self.stands_for(
            task.holder(delegation, self.at)
        )


def task_to_decide(
    actor: Actor, tasks: Sequence[Task], delegations: Mapping[str, Delegation]
) -> Task:
    """The task of one document that `actor` decides now.

    Among the caller's open tasks their own comes first, then the ones they hold, then
    those of the people they stand in for. Without an open task: `TaskClosed` (409) if the
    caller had a task in the document's latest version, `NotYourTask` (403) otherwise, so
    an outsider learns nothing about the document.
    """

    def delegation_of(task: Task) -> Delegation | None:
        return None if task.delegation_id is None else delegations.get(task.delegation_id)

    open_tasks = [t for t in tasks if actor.may_decide(t, delegation_of(t))]
    if open_tasks:
        return min(
            open_tasks,
            key=lambda t: (
                t.approver_id != actor.employee_id,
                t.assignee_id != actor.employee_id,
                t.created_at,
                t.id,
            ),
        )
    latest = max((t.version for t in tasks), default=None)
    if any(
        t.version == latest and actor.had_part_in(t, delegation_of(t))
        for t in tasks
        if not t.is_pending
    ):
        raise TaskClosed()
    raise NotYourTask()
