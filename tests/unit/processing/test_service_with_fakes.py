"""The use cases and consumers over fake storage: reassignment and hand-over."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from structlog.testing import capture_logs

from dojang.kernel.auth.principal import Principal
from dojang.kernel.clock import FixedClock
from dojang.kernel.errors import InvalidInput
from dojang.processing.domain.delegations import Delegation
from dojang.processing.domain.errors import (
    DelegationNotFound,
    OverlappingDelegation,
)
from dojang.processing.domain.tasks import Person, Task
from dojang.processing.service.consumer import ProcessingEventHandler
from dojang.processing.service.delegations import DelegationUseCases

from .builders import NOW, REQUESTER, deactivated, delegation, task, tasks_opened
from .fakes import FakeDirectory, FakeUnitOfWork, Store


class World:
    """The service layer over a fake store, a fixed clock and a small organisation."""

    def __init__(self) -> None:
        self.store = Store()
        self.clock = FixedClock(NOW)
        self.directory = FakeDirectory()
        for employee_id in ("emp-kim", "emp-lee", "emp-park", "emp-boss"):
            self.directory.hire(employee_id)
        self.directory.hire("emp-gone", active=False)
        self.handler = ProcessingEventHandler(clock=self.clock)
        self.delegations = DelegationUseCases(self.uow, self.directory, clock=self.clock)

    def uow(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store)

    async def deliver(self, *events: Any) -> None:
        for event in events:
            async with self.uow() as uow:
                await self.handler(event, uow)
                await uow.commit()

    def given(self, *items: Task | Delegation) -> None:
        for item in items:
            if isinstance(item, Task):
                self.store.tasks[item.id] = item
            else:
                self.store.delegations[item.id] = item

    def held(self, task_id: str) -> tuple[str, str | None]:
        found = self.store.tasks[task_id]
        return found.assignee_id, found.on_behalf_of

    def assignments(self) -> list[dict[str, Any]]:
        """The `approval.tasks_assigned` data published so far; then forget them."""
        found = [e.data for topic, e in self.store.published if e.type == "approval.tasks_assigned"]
        assert all(topic == "approval-results" for topic, _ in self.store.published)
        self.store.published.clear()
        return found


@pytest.fixture
def world() -> World:
    return World()


async def test_a_leavers_tasks_move_to_their_manager(world: World) -> None:
    first, second = task("emp-kim", approval_id="doc-1"), task("emp-kim", approval_id="doc-2")
    other = task("emp-park", approval_id="doc-1", stage_index=0)
    world.given(first, second, other)
    await world.deliver(deactivated("emp-kim", "emp-boss"))
    assert world.held(first.id) == ("emp-boss", "emp-kim")
    assert world.held(second.id) == ("emp-boss", "emp-kim")
    assert world.held(other.id) == ("emp-park", None)
    published = world.assignments()
    assert sorted(d["approval_id"] for d in published) == ["doc-1", "doc-2"]
    assert published[0]["tasks"] == [
        {
            "task_id": first.id,
            "approver_id": "emp-kim",
            "assignee_id": "emp-boss",
            "on_behalf_of": "emp-kim",
            "revision": 2,  # opened at 1, moved once
        }
    ]


async def test_a_leaver_without_a_manager_keeps_their_tasks_with_a_warning(world: World) -> None:
    stuck = task("emp-kim")
    world.given(stuck)
    with capture_logs() as logs:
        await world.deliver(deactivated("emp-kim", None))
    assert world.held(stuck.id) == ("emp-kim", None)
    assert world.assignments() == []
    warning = next(e for e in logs if e["event"] == "tasks_left_with_departed_employee")
    assert warning["log_level"] == "warning"
    assert warning["approval_ids"] == ["doc-1"]


async def test_a_task_never_moves_to_a_manager_who_requested_the_document(world: World) -> None:
    stuck = task("emp-kim")
    world.given(stuck)
    await world.deliver(deactivated("emp-kim", REQUESTER.id))
    assert world.held(stuck.id) == ("emp-kim", None)


async def test_a_delegate_who_leaves_passes_held_tasks_to_their_manager(world: World) -> None:
    away = delegation("emp-kim", "emp-lee")
    handed = task("emp-kim", delegation=away)
    world.given(away, handed)
    await world.deliver(deactivated("emp-lee", "emp-boss"))
    assert world.held(handed.id) == ("emp-boss", "emp-kim")
    assert world.store.tasks[handed.id].delegation_id is None
    assert world.store.delegations[away.id].revoked_at == NOW


async def test_a_delegator_who_leaves_leaves_handed_tasks_with_the_delegate(world: World) -> None:
    away = delegation("emp-kim", "emp-lee")
    handed = task("emp-kim", delegation=away)
    world.given(away, handed)
    await world.deliver(deactivated("emp-kim", "emp-boss"))
    assert world.held(handed.id) == ("emp-lee", "emp-kim")
    assert world.store.tasks[handed.id].delegation_id is None
    # the revoked delegation does not send the task back to the leaver later
    assert await world.delegations.follow_windows() == 0
    assert world.held(handed.id) == ("emp-lee", "emp-kim")


def given_a_task_handed_over_under_a_lapsed_delegation(world: World) -> Task:
    """emp-kim's task, still stored with emp-lee: the window is over, but the sweeper has
    not given the task back yet."""
    lapsed = delegation("emp-kim", "emp-lee", ends_at=NOW - timedelta(minutes=1))
    handed = task("emp-kim", delegation=lapsed, at=NOW - timedelta(minutes=30))
    world.given(lapsed, handed)
    assert world.held(handed.id) == ("emp-lee", "emp-kim")
    return handed


async def test_a_delegator_who_leaves_after_the_window_passes_the_task_to_their_manager(
    world: World,
) -> None:
    handed = given_a_task_handed_over_under_a_lapsed_delegation(world)
    await world.deliver(deactivated("emp-kim", "emp-boss"))
    assert world.held(handed.id) == ("emp-boss", "emp-kim")
    assert world.store.tasks[handed.id].delegation_id is None
    [announced] = world.assignments()
    assert announced["tasks"][0]["assignee_id"] == "emp-boss"
    assert await world.delegations.follow_windows() == 0  # nothing left to give back
    assert world.held(handed.id) == ("emp-boss", "emp-kim")


async def test_a_delegate_who_leaves_after_the_window_leaves_the_task_with_its_approver(
    world: World,
) -> None:
    handed = given_a_task_handed_over_under_a_lapsed_delegation(world)
    await world.deliver(deactivated("emp-lee", "emp-boss"))
    assert world.held(handed.id) == ("emp-kim", None)
    assert world.store.tasks[handed.id].delegation_id is None
    [announced] = world.assignments()
    assert announced["tasks"][0]["assignee_id"] == "emp-kim"


async def test_a_delegator_without_a_manager_gets_a_lapsed_task_back_with_a_warning(
    world: World,
) -> None:
    handed = given_a_task_handed_over_under_a_lapsed_delegation(world)
    with capture_logs() as logs:
        await world.deliver(deactivated("emp-kim", None))
    assert world.held(handed.id) == ("emp-kim", None)
    assert world.store.tasks[handed.id].delegation_id is None
    assert any(e["event"] == "tasks_left_with_departed_employee" for e in logs)


async def test_a_task_opened_for_a_leaver_goes_to_their_managers_successor(world: World) -> None:
    await world.deliver(deactivated("emp-boss", "emp-park"), deactivated("emp-kim", "emp-boss"))
    world.assignments()
    await world.deliver(tasks_opened(["emp-kim"]))
    [opened] = world.store.tasks.values()
    assert (opened.approver_id, opened.assignee_id, opened.on_behalf_of) == (
        "emp-kim",
        "emp-park",
        "emp-kim",
    )


async def test_granting_an_active_delegation_hands_over_held_tasks(world: World) -> None:
    held = task("emp-kim")
    delegates_own_document = task("emp-kim", approval_id="doc-2", requester=Person("emp-lee", "이"))
    world.given(held, delegates_own_document)
    granted = await world.delegations.grant(
        "emp-kim", delegate_id="emp-lee", starts_at=NOW, ends_at=NOW + timedelta(days=1)
    )
    assert world.held(held.id) == ("emp-lee", "emp-kim")
    assert world.store.tasks[held.id].delegation_id == granted.id
    [published] = world.assignments()
    assert published["tasks"][0]["assignee_id"] == "emp-lee"
    assert world.held(delegates_own_document.id) == ("emp-kim", None)


async def test_revoking_gives_handed_tasks_back(world: World) -> None:
    held = task("emp-kim")
    world.given(held)
    granted = await world.delegations.grant(
        "emp-kim", delegate_id="emp-lee", starts_at=NOW, ends_at=NOW + timedelta(days=1)
    )
    world.assignments()
    kim = Principal(user_id="emp-kim", roles=frozenset({"employee"}))
    await world.delegations.revoke(kim, granted.id)
    assert world.held(held.id) == ("emp-kim", None)
    [published] = world.assignments()
    assert published["tasks"][0]["assignee_id"] == "emp-kim"
    await world.delegations.revoke(kim, granted.id)
    assert world.assignments() == []


async def test_only_the_delegator_or_an_admin_may_revoke(world: World) -> None:
    granted = await world.delegations.grant(
        "emp-kim", delegate_id="emp-lee", starts_at=NOW, ends_at=NOW + timedelta(days=1)
    )
    lee = Principal(user_id="emp-lee", roles=frozenset({"employee"}))
    with pytest.raises(DelegationNotFound):
        await world.delegations.revoke(lee, granted.id)
    admin = Principal(user_id="emp-admin", roles=frozenset({"employee", "admin"}))
    await world.delegations.revoke(admin, granted.id)
    assert world.store.delegations[granted.id].revoked_at == NOW


async def test_tasks_follow_delegation_windows_as_time_passes(world: World) -> None:
    held = task("emp-kim")
    world.given(held)
    await world.delegations.grant(
        "emp-kim",
        delegate_id="emp-lee",
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=2),
    )
    assert world.held(held.id) == ("emp-kim", None)
    world.clock.advance(days=1)
    assert await world.delegations.follow_windows() == 1
    assert world.held(held.id) == ("emp-lee", "emp-kim")
    world.clock.advance(days=1)
    assert await world.delegations.follow_windows() == 1
    assert world.held(held.id) == ("emp-kim", None)
    assert await world.delegations.follow_windows() == 0


async def test_delegating_to_an_unknown_or_inactive_employee_is_refused(world: World) -> None:
    for delegate_id in ("emp-nobody", "emp-gone"):
        with pytest.raises(InvalidInput) as refused:
            await world.delegations.grant(
                "emp-kim",
                delegate_id=delegate_id,
                starts_at=NOW,
                ends_at=NOW - timedelta(days=1),
            )
        assert {e.field for e in refused.value.errors} == {"delegate_id", "ends_at"}


async def test_overlapping_delegations_of_one_delegator_are_refused(world: World) -> None:
    await world.delegations.grant(
        "emp-kim", delegate_id="emp-lee", starts_at=NOW, ends_at=NOW + timedelta(days=2)
    )
    with pytest.raises(OverlappingDelegation):
        await world.delegations.grant(
            "emp-kim",
            delegate_id="emp-park",
            starts_at=NOW + timedelta(days=1),
            ends_at=NOW + timedelta(days=3),
        )
    await world.delegations.grant(
        "emp-lee", delegate_id="emp-park", starts_at=NOW, ends_at=NOW + timedelta(days=2)
    )
