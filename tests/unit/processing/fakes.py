"""The processing ports over dicts: repositories, a unit of work and a directory.

A unit of work reads a copy of the store taken at its first read (MySQL takes its snapshot
then, so a lock row taken before it means reading what the previous holder committed), and
writes back, on commit, the rows it changed. Row writes compare with what is committed and
lock the row until the unit of work ends, as an `UPDATE … WHERE revision = …` does on a
server database; `Store.locks.meeting` lets tests make concurrent units of work all read
before any writes (see `tests.interleaving`).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Self

from dojang.kernel.bus.envelope import Event
from dojang.kernel.ports import DepartmentRef, EmployeeView
from dojang.processing.domain.delegations import Delegation
from dojang.processing.domain.tasks import Task, TaskStatus
from dojang.processing.service.unit_of_work import TimeCursor
from tests.interleaving import RowLocks

from .builders import NOW


class FakeDirectory:
    """An `EmployeeDirectory` over a dict."""

    def __init__(self) -> None:
        self.employees: dict[str, EmployeeView] = {}

    def hire(self, employee_id: str, *, active: bool = True) -> None:
        self.employees[employee_id] = EmployeeView(
            id=employee_id,
            name=employee_id,
            email=f"{employee_id}@dojang.example",
            department=DepartmentRef(id="eng", name="Engineering"),
            position="staff",
            manager_id=None,
            roles=["employee"],
            active=active,
            created_at=NOW,
        )

    async def get_employee(self, employee_id: str) -> EmployeeView | None:
        return self.employees.get(employee_id)


@dataclass
class Store:
    """What the fake database holds; a unit of work sees a copy until it commits."""

    tasks: dict[str, Task] = field(default_factory=dict)
    delegations: dict[str, Delegation] = field(default_factory=dict)
    departures: dict[str, str | None] = field(default_factory=dict)
    published: list[tuple[str, Event]] = field(default_factory=list)
    locks: RowLocks = field(default_factory=RowLocks)


def _newest_after(at: datetime | None, item_id: str, after: TimeCursor | None) -> bool:
    return after is None or (at is not None and (at, item_id) < after)


class FakeTasks:
    def __init__(self, store: Store, uow: FakeUnitOfWork) -> None:
        self._store = store
        self._uow = uow

    def _all(self) -> list[Task]:
        return sorted(self._store.tasks.values(), key=lambda t: (t.created_at, t.id))

    async def get(self, task_id: str) -> Task | None:
        found = self._store.tasks.get(task_id)
        return None if found is None else copy.copy(found)

    async def of_document(self, approval_id: str) -> list[Task]:
        return [copy.copy(t) for t in self._all() if t.approval_id == approval_id]

    async def approvers_with_tasks(
        self, approval_id: str, version: int, stage_index: int
    ) -> set[str]:
        return {
            t.approver_id
            for t in self._all()
            if (t.approval_id, t.version, t.stage_index) == (approval_id, version, stage_index)
        }

    async def add(self, tasks: Sequence[Task]) -> None:
        for task in tasks:
            await self._uow.write(f"task:{task.id}")
            self._store.tasks[task.id] = copy.copy(task)
            self._uow.changed_tasks.add(task.id)

    async def _compare_and_set(self, task: Task, matches: Callable[[Task], bool]) -> bool:
        """Store the task if the row, once locked, still matches; as the SQL `UPDATE` does."""
        await self._uow.write(f"task:{task.id}")
        stored = self._uow.current_task(task.id)
        if stored.revision != task.revision or not matches(stored):
            return False
        task.revision += 1
        self._store.tasks[task.id] = copy.copy(task)
        self._uow.changed_tasks.add(task.id)
        return True

    async def save(self, task: Task, *, was: TaskStatus) -> bool:
        return await self._compare_and_set(task, lambda stored: stored.status is was)

    async def reminders_due(
        self, at: datetime, *, every: timedelta, most: int, limit: int
    ) -> list[Task]:
        return [copy.copy(t) for t in self._all() if t.reminder_due(at, every=every, most=most)][
            :limit
        ]

    async def save_reminder(self, task: Task, *, was: datetime | None) -> bool:
        return await self._compare_and_set(
            task, lambda stored: stored.is_pending and stored.reminded_at == was
        )

    async def matching(
        self,
        approval_id: str,
        *,
        statuses: Collection[TaskStatus],
        version: int | None = None,
        stage_index: int | None = None,
        approvers: Collection[str] | None = None,
    ) -> list[Task]:
        return [
            copy.copy(t)
            for t in self._all()
            if t.approval_id == approval_id
            and t.status in statuses
            and version in (None, t.version)
            and stage_index in (None, t.stage_index)
            and (approvers is None or t.approver_id in approvers)
        ]

    async def pending_held_by(self, employee_ids: Collection[str]) -> list[Task]:
        return [copy.copy(t) for t in self._all() if t.is_pending and t.assignee_id in employee_ids]

    async def pending_under(self, delegation_ids: Collection[str]) -> list[Task]:
        return [
            copy.copy(t) for t in self._all() if t.is_pending and t.delegation_id in delegation_ids
        ]

    async def pending_versions(self) -> list[tuple[str, int]]:
        return sorted({(t.approval_id, t.version) for t in self._all() if t.is_pending})

    async def pending_oldest_first(
        self, *, held_by_leavers: bool, after: TimeCursor | None, limit: int
    ) -> list[Task]:
        found = [
            copy.copy(t)
            for t in self._all()
            if t.is_pending
            and (not held_by_leavers or t.assignee_id in self._store.departures)
            and (after is None or (t.created_at, t.id) > after)
        ]
        return found[:limit]

    async def inbox_pending(
        self, employee_id: str, *, after: TimeCursor | None, limit: int
    ) -> list[Task]:
        found = [
            copy.copy(t)
            for t in reversed(self._all())
            if t.is_pending
            and t.assignee_id == employee_id
            and t.requester.id != employee_id
            and _newest_after(t.created_at, t.id, after)
        ]
        return found[:limit]

    async def inbox_done(
        self, employee_id: str, *, after: TimeCursor | None, limit: int
    ) -> list[Task]:
        found = sorted(
            (t for t in self._all() if t.decided_by == employee_id),
            key=lambda t: (t.decided_at, t.id),
            reverse=True,
        )
        return [copy.copy(t) for t in found if _newest_after(t.decided_at, t.id, after)][:limit]


class FakeDelegations:
    def __init__(self, store: Store, uow: FakeUnitOfWork) -> None:
        self._store = store
        self._uow = uow

    def _all(self) -> list[Delegation]:
        return sorted(self._store.delegations.values(), key=lambda d: (d.starts_at, d.id))

    async def get(self, delegation_id: str) -> Delegation | None:
        found = self._store.delegations.get(delegation_id)
        return None if found is None else copy.copy(found)

    async def get_many(self, delegation_ids: Collection[str]) -> dict[str, Delegation]:
        return {d.id: copy.copy(d) for d in self._all() if d.id in delegation_ids}

    async def add(self, delegation: Delegation) -> None:
        await self._uow.write(f"delegation:{delegation.id}")
        self._store.delegations[delegation.id] = copy.copy(delegation)
        self._uow.changed_delegations.add(delegation.id)

    async def save(self, delegation: Delegation) -> None:
        await self._uow.write(f"delegation:{delegation.id}")
        self._store.delegations[delegation.id] = copy.copy(delegation)
        self._uow.changed_delegations.add(delegation.id)

    async def unrevoked_of(self, delegator_id: str) -> list[Delegation]:
        return [d for d in self._all() if d.delegator_id == delegator_id and not d.revoked]

    async def active_of(self, delegator_ids: Collection[str], at: datetime) -> list[Delegation]:
        return [d for d in self._all() if d.delegator_id in delegator_ids and d.is_active(at)]

    async def active(self, at: datetime) -> list[Delegation]:
        return [d for d in self._all() if d.is_active(at)]

    async def lapsed_holding_tasks(self, at: datetime) -> list[Delegation]:
        held = {t.delegation_id for t in self._store.tasks.values() if t.is_pending}
        return [d for d in self._all() if not d.is_active(at) and d.id in held]

    async def next_boundary(self, at: datetime) -> datetime | None:
        times = [
            t for d in self._all() if not d.revoked for t in (d.starts_at, d.ends_at) if t > at
        ]
        return min(times, default=None)

    async def current_involving(self, employee_id: str, at: datetime) -> list[Delegation]:
        return [
            copy.copy(d)
            for d in self._all()
            if d.involves(employee_id) and not d.revoked and at < d.ends_at
        ]

    async def involving(
        self, employee_id: str, *, after: TimeCursor | None, limit: int
    ) -> list[Delegation]:
        found = sorted(
            (d for d in self._all() if d.involves(employee_id)),
            key=lambda d: (d.created_at, d.id),
            reverse=True,
        )
        return [d for d in found if _newest_after(d.created_at, d.id, after)][:limit]


class FakeDepartures:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def record(self, employee_id: str, manager_id: str | None, at: datetime) -> None:
        self._store.departures[employee_id] = manager_id

    async def chain_from(self, employee_id: str) -> dict[str, str | None]:
        chain: dict[str, str | None] = {}
        current: str | None = employee_id
        while current is not None and current in self._store.departures and current not in chain:
            chain[current] = self._store.departures[current]
            current = chain[current]
        return chain


class FakeUnitOfWork:
    """Changes go to a copy of the store; commit writes the changed rows back."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._snapshot: Store | None = None
        self._pending: list[tuple[str, Event]] = []
        self._held: list[asyncio.Lock] = []
        self._written = False
        self.changed_tasks: set[str] = set()
        self.changed_delegations: set[str] = set()

    @property
    def _working(self) -> Store:
        """What this unit of work reads: the store as it was at its first read."""
        if self._snapshot is None:
            self._snapshot = Store(
                tasks={k: copy.copy(v) for k, v in self.store.tasks.items()},
                delegations={k: copy.copy(v) for k, v in self.store.delegations.items()},
                departures=dict(self.store.departures),
            )
        return self._snapshot

    @property
    def tasks(self) -> FakeTasks:
        return FakeTasks(self._working, self)

    @property
    def delegations(self) -> FakeDelegations:
        return FakeDelegations(self._working, self)

    @property
    def departures(self) -> FakeDepartures:
        return FakeDepartures(self._working)

    async def __aenter__(self) -> Self:
        self._snapshot = None
        self._pending = []
        self._held = []
        self._written = False
        self.changed_tasks = set()
        self.changed_delegations = set()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pending = []
        for lock in self._held:
            lock.release()
        self._held = []

    async def _lock(self, key: str) -> None:
        if any(lock is self.store.locks.lock_of(key) for lock in self._held):
            return
        self._held.append(await self.store.locks.take(key))

    async def write(self, row: str) -> None:
        """Before a row is written: meet the others at the first write, then lock the row."""
        if not self._written:
            self._written = True
            if self.store.locks.meeting is not None:
                await self.store.locks.meeting.arrive()
        await self._lock(row)

    def current_task(self, task_id: str) -> Task:
        """The task as this unit of work changed it, else as last committed."""
        if task_id in self.changed_tasks:
            return self._working.tasks[task_id]
        return self.store.tasks[task_id]

    async def lock_delegator(self, delegator_id: str) -> None:
        await self._lock(f"delegator:{delegator_id}")

    def emit(self, topic: str, event: Event) -> None:
        self._pending.append((topic, event))

    async def commit(self) -> None:
        for task_id in self.changed_tasks:
            self.store.tasks[task_id] = self._working.tasks[task_id]
        for delegation_id in self.changed_delegations:
            self.store.delegations[delegation_id] = self._working.delegations[delegation_id]
        self.store.departures = self._working.departures
        self.store.published.extend(self._pending)
        self._pending = []
        self.changed_tasks = set()
        self.changed_delegations = set()
