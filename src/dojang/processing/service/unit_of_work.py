"""What the use cases need from storage: repositories and a unit of work that carries events."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.unit_of_work import TransactionalUnitOfWork
from dojang.processing.domain.delegations import Delegation
from dojang.processing.domain.tasks import Task, TaskStatus

TimeCursor = tuple[datetime, str]
"""The `(time, id)` of the last item of a newest-first page."""


class TaskRepository(Protocol):
    async def get(self, task_id: str) -> Task | None:
        """The task with this id, if any."""
        ...

    async def of_document(self, approval_id: str) -> list[Task]:
        """Every task of a document, of every version."""
        ...

    async def approvers_with_tasks(
        self, approval_id: str, version: int, stage_index: int
    ) -> set[str]:
        """The approvers who already have a task in this stage of this version."""
        ...

    async def add(self, tasks: Sequence[Task]) -> None:
        """Store new tasks."""
        ...

    async def save(self, task: Task, *, was: TaskStatus) -> bool:
        """Store a changed task if it still has status `was`; False if it moved meanwhile."""
        ...

    async def matching(
        self,
        approval_id: str,
        *,
        statuses: Collection[TaskStatus],
        version: int | None = None,
        stage_index: int | None = None,
        approvers: Collection[str] | None = None,
    ) -> list[Task]:
        """A document's tasks in these statuses, narrowed by version, stage and approvers."""
        ...

    async def reminders_due(
        self, at: datetime, *, every: timedelta, most: int, limit: int
    ) -> list[Task]:
        """Up to `limit` pending tasks whose next reminder is due at `at` (`Task.reminder_due`),
        oldest first."""
        ...

    async def save_reminder(self, task: Task, *, was: datetime | None) -> bool:
        """Store a pending task's reminder time if it was still `was`; False if not."""
        ...

    async def pending_held_by(self, employee_ids: Collection[str]) -> list[Task]:
        """Pending tasks these employees hold, whether outright or as delegates."""
        ...

    async def pending_under(self, delegation_ids: Collection[str]) -> list[Task]:
        """Pending tasks handed over under these delegations."""
        ...

    async def pending_versions(self) -> list[tuple[str, int]]:
        """Every `(approval_id, version)` with a pending task, in that order."""
        ...

    async def pending_oldest_first(
        self, *, held_by_leavers: bool, after: TimeCursor | None, limit: int
    ) -> list[Task]:
        """Pending tasks, oldest `created_at` first, after `(created, id)`; with
        `held_by_leavers`, only those whose holder has left."""
        ...

    async def inbox_pending(
        self, employee_id: str, *, after: TimeCursor | None, limit: int
    ) -> list[Task]:
        """Pending tasks the employee holds (not of their own documents), newest first, after
        `(created, id)`."""
        ...

    async def inbox_done(
        self, employee_id: str, *, after: TimeCursor | None, limit: int
    ) -> list[Task]:
        """Tasks the employee decided, latest decision first, after `(decided, id)`."""
        ...


class DelegationRepository(Protocol):
    async def get(self, delegation_id: str) -> Delegation | None:
        """The delegation with this id, if any."""
        ...

    async def get_many(self, delegation_ids: Collection[str]) -> dict[str, Delegation]:
        """The delegations with these ids that exist, by id."""
        ...

    async def add(self, delegation: Delegation) -> None:
        """Store a new delegation."""
        ...

    async def save(self, delegation: Delegation) -> None:
        """Store the revocation of a delegation."""
        ...

    async def unrevoked_of(self, delegator_id: str) -> list[Delegation]:
        """The delegator's delegations that were not revoked, past ones included."""
        ...

    async def active_of(self, delegator_ids: Collection[str], at: datetime) -> list[Delegation]:
        """The delegations of these delegators that are active at `at`."""
        ...

    async def active(self, at: datetime) -> list[Delegation]:
        """Every delegation active at `at`."""
        ...

    async def lapsed_holding_tasks(self, at: datetime) -> list[Delegation]:
        """Delegations no longer active at `at` that pending tasks are still handed over under."""
        ...

    async def current_involving(self, employee_id: str, at: datetime) -> list[Delegation]:
        """Unrevoked delegations not yet over at `at` with the employee on either side."""
        ...

    async def next_boundary(self, at: datetime) -> datetime | None:
        """The first start or end of an unrevoked delegation after `at`, if any."""
        ...

    async def involving(
        self, employee_id: str, *, after: TimeCursor | None, limit: int
    ) -> list[Delegation]:
        """Delegations given or received by the employee, newest first, after `(created, id)`."""
        ...


class DepartureRepository(Protocol):
    async def record(self, employee_id: str, manager_id: str | None, at: datetime) -> None:
        """Remember that the employee left and whose their work became."""
        ...

    async def chain_from(self, employee_id: str) -> dict[str, str | None]:
        """The leavers met walking up from `employee_id`, each with their manager."""
        ...


class ProcessingUnitOfWork(TransactionalUnitOfWork, Protocol):
    """One transaction on the processing database, with the events it causes."""

    @property
    def tasks(self) -> TaskRepository: ...

    @property
    def delegations(self) -> DelegationRepository: ...

    @property
    def departures(self) -> DepartureRepository: ...

    async def lock_delegator(self, delegator_id: str) -> None:
        """Make other transactions that lock this delegator wait until this one ends, so a
        check of the delegator's delegations holds until the write it guards commits."""
        ...

    def emit(self, topic: str, event: Event) -> None:
        """Queue an event; it is stored only if the unit of work commits."""
        ...

    async def commit(self) -> None:
        """Commit state and queued events together."""
        ...
