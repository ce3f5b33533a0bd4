"""Two replicas at once: every party reads before any writes, unless a lock keeps one out."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import event

from dojang.kernel.clock import FixedClock
from dojang.processing.domain.errors import OverlappingDelegation
from dojang.processing.service.delegations import DelegationUseCases
from dojang.processing.service.reminders import TaskReminders
from tests.interleaving import Meeting

from .builders import NOW, delegation, task
from .fakes import FakeDirectory, FakeUnitOfWork, Store
from .harness import Harness


@pytest.fixture
def meeting() -> Meeting:
    return Meeting(parties=2)


@pytest.fixture
def store(meeting: Meeting) -> Store:
    found = Store()
    found.locks.meeting = meeting
    return found


def delegations(store: Store, clock: FixedClock) -> DelegationUseCases:
    directory = FakeDirectory()
    for employee_id in ("emp-kim", "emp-lee", "emp-park"):
        directory.hire(employee_id)
    return DelegationUseCases(lambda: FakeUnitOfWork(store), directory, clock=clock)


async def test_two_overlapping_grants_at_once_store_only_one(store: Store) -> None:
    use_cases = delegations(store, FixedClock(NOW))
    outcomes = await asyncio.gather(
        use_cases.grant(
            "emp-kim", delegate_id="emp-lee", starts_at=NOW, ends_at=NOW + timedelta(days=2)
        ),
        use_cases.grant(
            "emp-kim",
            delegate_id="emp-park",
            starts_at=NOW + timedelta(days=1),
            ends_at=NOW + timedelta(days=3),
        ),
        return_exceptions=True,
    )
    assert len(store.delegations) == 1
    assert sum(isinstance(outcome, OverlappingDelegation) for outcome in outcomes) == 1
    assert store.locks.waits == 1  # the second grant waited for the first one's lock row


async def test_grants_of_different_delegators_do_not_wait_for_each_other(
    store: Store, meeting: Meeting
) -> None:
    use_cases = delegations(store, FixedClock(NOW))
    window = {"starts_at": NOW, "ends_at": NOW + timedelta(days=2)}
    await asyncio.gather(
        use_cases.grant("emp-kim", delegate_id="emp-park", **window),
        use_cases.grant("emp-lee", delegate_id="emp-park", **window),
    )
    assert len(store.delegations) == 2
    assert meeting.all_met


async def test_two_sweepers_at_once_hand_a_task_over_once(store: Store, meeting: Meeting) -> None:
    clock = FixedClock(NOW)
    held = task("emp-kim")
    store.tasks[held.id] = held
    later = delegation("emp-kim", "emp-lee", starts_at=NOW + timedelta(hours=1))
    store.delegations[later.id] = later
    clock.advance(hours=1)
    use_cases = delegations(store, clock)
    moved = await asyncio.gather(use_cases.follow_windows(), use_cases.follow_windows())
    assert meeting.all_met
    assert sorted(moved) == [0, 1]  # the one that lost the race skipped the task
    assert store.tasks[held.id].assignee_id == "emp-lee"
    assert store.tasks[held.id].revision == 2
    assert [e.type for _, e in store.published] == ["approval.tasks_assigned"]


async def test_two_reminder_runs_at_once_remind_of_a_task_once(
    store: Store, meeting: Meeting
) -> None:
    clock = FixedClock(NOW)
    waiting = task("emp-kim")
    store.tasks[waiting.id] = waiting
    clock.advance(days=1)
    reminders = TaskReminders(lambda: FakeUnitOfWork(store), every=timedelta(days=1), clock=clock)
    reminded = await asyncio.gather(reminders.remind_overdue(), reminders.remind_overdue())
    assert meeting.all_met
    assert sorted(reminded) == [0, 1]
    assert store.tasks[waiting.id].reminded_at == NOW + timedelta(days=1)
    assert [e.type for _, e in store.published] == ["approval.tasks_overdue"]


async def test_a_grant_first_locks_its_delegator_row_in_sql(harness: Harness) -> None:
    """The lock is the transaction's first statement: MySQL's snapshot starts at the first
    read, so the overlap check reads what the grant before it committed."""
    statements: list[str] = []
    engine = harness.service.module.database.engine.sync_engine  # type: ignore[union-attr]

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        await harness.service.delegations.grant(
            "emp-kim", delegate_id="emp-lee", starts_at=NOW, ends_at=NOW + timedelta(days=1)
        )
    finally:
        event.remove(engine, "before_cursor_execute", record)
    # the lock row's upsert: ON CONFLICT on SQLite, ON DUPLICATE KEY UPDATE on MariaDB
    assert statements[0].startswith("INSERT INTO delegators (delegator_id) VALUES")
    assert any("FROM delegations" in statement for statement in statements[1:])
