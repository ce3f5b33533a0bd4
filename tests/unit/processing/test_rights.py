"""Who may decide: the holder, an active delegate of the holder, never the requester."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dojang.processing.domain.delegations import Delegation
from dojang.processing.domain.errors import NotYourTask, TaskClosed
from dojang.processing.domain.rights import Actor, task_to_decide
from dojang.processing.domain.tasks import Decision, Task

from .builders import NOW, REQUESTER, delegation, task


def actor(employee_id: str, *delegators: str) -> Actor:
    return Actor(employee_id=employee_id, delegators=frozenset(delegators), at=NOW)


def by_id(*delegations: Delegation) -> dict[str, Delegation]:
    return {d.id: d for d in delegations}


def test_the_holder_decides_their_own_task() -> None:
    mine = task("emp-kim")
    assert task_to_decide(actor("emp-kim"), [mine, task("emp-park")], {}) is mine


def test_an_active_delegate_decides_the_delegators_task() -> None:
    theirs = task("emp-kim")
    assert task_to_decide(actor("emp-lee", "emp-kim"), [theirs], {}) is theirs


def test_a_delegate_holds_a_handed_over_task_only_while_the_delegation_is_active() -> None:
    away = delegation("emp-kim", "emp-lee", ends_at=NOW + timedelta(hours=1))
    handed = task("emp-kim", delegation=away)
    assert task_to_decide(actor("emp-lee"), [handed], by_id(away)) is handed
    with pytest.raises(NotYourTask):
        task_to_decide(actor("emp-kim"), [handed], by_id(away))
    away.revoke(NOW)
    assert task_to_decide(actor("emp-kim"), [handed], by_id(away)) is handed
    with pytest.raises(NotYourTask):
        task_to_decide(actor("emp-lee"), [handed], by_id(away))


def test_outsiders_and_later_stage_approvers_get_no_task() -> None:
    tasks = [task("emp-kim"), task("emp-park")]
    with pytest.raises(NotYourTask):
        task_to_decide(actor("emp-outsider"), tasks, {})
    with pytest.raises(NotYourTask):
        task_to_decide(actor("emp-next-stage"), tasks, {})


def test_the_requester_never_decides_their_own_document() -> None:
    held_by_requester = task("emp-kim", holder_id=REQUESTER.id)
    with pytest.raises(NotYourTask):
        task_to_decide(actor(REQUESTER.id), [held_by_requester], {})
    with pytest.raises(NotYourTask):
        task_to_decide(actor(REQUESTER.id, "emp-kim"), [task("emp-kim")], {})


def test_a_decided_task_is_a_conflict_for_who_had_it() -> None:
    decided = task("emp-kim")
    decided.decide(Decision.APPROVED, by="emp-lee", at=NOW, comment=None)
    with pytest.raises(TaskClosed):
        task_to_decide(actor("emp-kim"), [decided], {})
    with pytest.raises(TaskClosed):
        task_to_decide(actor("emp-lee"), [decided], {})
    with pytest.raises(NotYourTask):
        task_to_decide(actor("emp-outsider"), [decided], {})


def test_a_cancelled_task_is_a_conflict_for_its_holder() -> None:
    cancelled = task("emp-kim")
    cancelled.cancel()
    with pytest.raises(TaskClosed):
        task_to_decide(actor("emp-kim"), [cancelled], {})


def test_only_the_latest_version_decides_between_conflict_and_forbidden() -> None:
    old = task("emp-kim", version=1)
    old.cancel()
    others = task("emp-park", version=2)
    with pytest.raises(NotYourTask):
        task_to_decide(actor("emp-kim"), [old, others], {})


def test_the_callers_own_task_comes_before_those_they_stand_in_for() -> None:
    delegated = task("emp-park", at=NOW - timedelta(hours=1))
    own = task("emp-kim")
    chosen = task_to_decide(actor("emp-kim", "emp-park"), [delegated, own], {})
    assert chosen is own
    rest: list[Task] = [delegated]
    assert task_to_decide(actor("emp-kim", "emp-park"), rest, {}) is delegated
