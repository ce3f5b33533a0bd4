"""Whose tasks a caller sees in their inbox: the ones they hold, and those of the people whose
active 대결 names them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dojang.processing.domain.delegations import Delegation
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
