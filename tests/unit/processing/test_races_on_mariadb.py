"""Two replicas of processing racing on MariaDB, each on its own connection
(tests/statement_barrier.py)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from dojang.kernel.db import Database
from dojang.processing.domain.errors import OverlappingDelegation
from dojang.processing.service.reminders import TaskReminders
from tests.sql_backends import on_mariadb_only
from tests.statement_barrier import StatementBarrier

from .builders import NOW, tasks_opened
from .harness import Harness

pytestmark = on_mariadb_only


def _database(harness: Harness) -> Database:
    database = harness.service.module.database
    assert database is not None
    return database


async def test_two_overlapping_grants_at_once_store_only_one(harness: Harness) -> None:
    grant = harness.service.delegations.grant
    barrier = StatementBarrier("INSERT INTO delegations")
    with barrier.on(_database(harness)):
        outcomes = await asyncio.gather(
            grant("emp-kim", delegate_id="emp-lee", starts_at=NOW, ends_at=NOW + timedelta(days=2)),
            grant(
                "emp-kim",
                delegate_id="emp-park",
                starts_at=NOW + timedelta(days=1),
                ends_at=NOW + timedelta(days=3),
            ),
            return_exceptions=True,
        )
    assert sum(isinstance(o, OverlappingDelegation) for o in outcomes) == 1, outcomes
    assert not barrier.all_met  # the second grant waited for the delegator's lock row
    async with harness.service.unit_of_work() as uow:
        assert len(await uow.delegations.unrevoked_of("emp-kim")) == 1


async def test_two_sweepers_at_once_hand_a_task_over_once(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim"]))
    await harness.service.delegations.grant(
        "emp-kim",
        delegate_id="emp-lee",
        starts_at=NOW + timedelta(hours=1),
        ends_at=NOW + timedelta(days=1),
    )
    await harness.results()
    harness.clock.advance(hours=1)
    sweep = harness.service.delegations.follow_windows
    barrier = StatementBarrier("UPDATE tasks")
    with barrier.on(_database(harness)):
        moved = await asyncio.gather(sweep(), sweep())
    assert barrier.all_met  # both read the task as the delegator's before either moved it
    assert sorted(moved) == [0, 1]  # the revision check made the second one skip it
    [held] = await harness.tasks()
    assert (held.assignee_id, held.revision) == ("emp-lee", 2)
    assert [e.type for e in await harness.results()] == ["approval.tasks_assigned"]


async def test_two_reminder_runs_at_once_remind_of_a_task_once(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim"]))
    await harness.results()
    reminders = TaskReminders(
        harness.service.unit_of_work, every=timedelta(days=1), clock=harness.clock
    )
    harness.clock.advance(days=1, microseconds=123_456)
    barrier = StatementBarrier("UPDATE tasks")
    with barrier.on(_database(harness)):
        reminded = await asyncio.gather(reminders.remind_overdue(), reminders.remind_overdue())
    assert barrier.all_met  # both read the task as due before either stored its reminder
    assert sorted(reminded) == [0, 1]
    assert [e.type for e in await harness.results()] == ["approval.tasks_overdue"]
    harness.clock.advance(days=2)  # the next one, two days on, compares with the time it read
    assert await reminders.remind_overdue() == 1
