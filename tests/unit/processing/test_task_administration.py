"""Reassigning a task while something else moves it: the revision decides, nothing is lost.

The store below behaves like a server database's rows: each transaction reads what was
committed, and a write compares the row's revision and sets it at once. Two transactions
meet at a barrier after reading, so both read the same revision before either writes.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Collection
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

import pytest

from dojang.kernel.auth.principal import Principal
from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import FixedClock
from dojang.processing.domain.errors import TaskNotPending
from dojang.processing.domain.tasks import Task, TaskStatus
from dojang.processing.service.administration import TaskAdministration
from dojang.processing.service.requests import ApprovalRequestHandler

from .builders import NOW, task, tasks_cancelled
from .fakes import FakeDirectory

ADMIN = Principal(user_id="emp-admin", roles=frozenset({"employee", "admin"}))


@dataclass
class Rows:
    """Committed task rows, what was published, and the meeting point of the first reads."""

    tasks: dict[str, Task]
    reads_met: asyncio.Barrier
    published: list[tuple[str, Event]] = field(default_factory=list)
    first_write: asyncio.Event = field(default_factory=asyncio.Event)
    held_reads: int = 2


class RowTasks:
    """Reads see committed rows; `save` compares and sets the revision at once."""

    def __init__(self, rows: Rows, *, writes_second: bool) -> None:
        self._rows = rows
        self._writes_second = writes_second

    async def _meet(self) -> None:
        if self._rows.held_reads > 0:
            self._rows.held_reads -= 1
            await self._rows.reads_met.wait()

    async def get(self, task_id: str) -> Task | None:
        found = self._rows.tasks.get(task_id)
        await self._meet()
        return None if found is None else copy.copy(found)

    async def matching(
        self,
        approval_id: str,
        *,
        statuses: Collection[TaskStatus],
        version: int | None = None,
        stage_index: int | None = None,
        approvers: Collection[str] | None = None,
    ) -> list[Task]:
        found = [
            copy.copy(t)
            for t in self._rows.tasks.values()
            if t.approval_id == approval_id and t.status in statuses
        ]
        await self._meet()
        return found

    async def save(self, changed: Task, *, was: TaskStatus) -> bool:
        if self._writes_second:
            await self._rows.first_write.wait()
        stored = self._rows.tasks[changed.id]
        stored_ok = stored.status is was and stored.revision == changed.revision
        if stored_ok:
            changed.revision += 1
            self._rows.tasks[changed.id] = copy.copy(changed)
        self._rows.first_write.set()
        return stored_ok


class RowUnitOfWork:
    """A transaction on `Rows`; its events are published when it commits."""

    def __init__(self, rows: Rows, *, writes_second: bool = False) -> None:
        self._rows = rows
        self.tasks = RowTasks(rows, writes_second=writes_second)
        self._pending: list[tuple[str, Event]] = []

    async def __aenter__(self) -> Self:
        self._pending = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pending = []

    def emit(self, topic: str, event: Event) -> None:
        self._pending.append((topic, event))

    async def commit(self) -> None:
        self._rows.published.extend(self._pending)
        self._pending = []


@pytest.fixture
def rows() -> Rows:
    stranded = task("emp-kim")
    return Rows(tasks={stranded.id: stranded}, reads_met=asyncio.Barrier(2))


def _administration(rows: Rows, *, writes_second: bool) -> TaskAdministration:
    """Reassignments over `rows`; with `writes_second`, each write waits for another's."""
    directory = FakeDirectory()
    for employee_id in ("emp-lee", "emp-park"):
        directory.hire(employee_id)
    return TaskAdministration(
        lambda: RowUnitOfWork(rows, writes_second=writes_second),  # type: ignore[arg-type, return-value]
        directory,
        clock=FixedClock(NOW),
    )


async def test_a_reassignment_racing_a_cancellation_is_409_and_announces_nothing(
    rows: Rows,
) -> None:
    [task_id] = rows.tasks
    cancelling = ApprovalRequestHandler(clock=FixedClock(NOW)).tasks_cancelled(
        tasks_cancelled(),
        RowUnitOfWork(rows),  # type: ignore[arg-type]
    )
    reassigning = _administration(rows, writes_second=True).reassign(
        ADMIN, task_id, assignee_id="emp-lee", reason="퇴사자 업무 인계"
    )
    outcome = await asyncio.gather(reassigning, cancelling, return_exceptions=True)
    assert isinstance(outcome[0], TaskNotPending)
    assert rows.tasks[task_id].status is TaskStatus.CANCELLED
    assert rows.published == []


async def test_two_reassignments_at_once_both_land_in_order_with_rising_revisions(
    rows: Rows,
) -> None:
    [task_id] = rows.tasks
    first = _administration(rows, writes_second=False)
    second = _administration(rows, writes_second=True)
    to_lee, to_park = await asyncio.gather(
        first.reassign(ADMIN, task_id, assignee_id="emp-lee", reason="인계"),
        second.reassign(ADMIN, task_id, assignee_id="emp-park", reason="재인계"),
    )
    assert (to_lee.assignee_id, to_lee.revision) == ("emp-lee", 2)
    assert (to_park.assignee_id, to_park.revision) == ("emp-park", 3)
    assert (rows.tasks[task_id].assignee_id, rows.tasks[task_id].revision) == ("emp-park", 3)
    announced = [
        (t["assignee_id"], t["revision"]) for _, e in rows.published for t in e.data["tasks"]
    ]
    assert announced == [("emp-lee", 2), ("emp-park", 3)]
