"""Whose pending tasks a caller sees: the holder's, an active delegate's, never the requester's."""

from __future__ import annotations

from datetime import timedelta

from dojang.processing.domain.rights import Actor
from dojang.processing.domain.tasks import Decision

from .builders import NOW, REQUESTER, delegation, task


def actor(employee_id: str, *delegators: str) -> Actor:
    return Actor(employee_id=employee_id, delegators=frozenset(delegators), at=NOW)


def test_the_holder_and_an_active_delegate_see_a_pending_task() -> None:
    theirs = task("emp-kim")
    assert actor("emp-kim").may_decide(theirs, None)
    assert actor("emp-lee", "emp-kim").may_decide(theirs, None)
    assert not actor("emp-outsider").may_decide(theirs, None)


def test_a_handed_over_task_is_the_delegates_only_while_the_delegation_is_active() -> None:
    away = delegation("emp-kim", "emp-lee", ends_at=NOW + timedelta(hours=1))
    handed = task("emp-kim", delegation=away)
    assert actor("emp-lee").may_decide(handed, away)
    assert not actor("emp-kim").may_decide(handed, away)
    away.revoke(NOW)
    assert actor("emp-kim").may_decide(handed, away)
    assert not actor("emp-lee").may_decide(handed, away)


def test_the_requester_never_sees_a_task_of_their_own_document() -> None:
    held_by_requester = task("emp-kim", holder_id=REQUESTER.id)
    assert not actor(REQUESTER.id).may_decide(held_by_requester, None)
    assert not actor(REQUESTER.id, "emp-kim").may_decide(task("emp-kim"), None)


def test_a_decided_task_waits_for_nobody() -> None:
    decided = task("emp-kim")
    decided.record_decision(Decision.APPROVED, by="emp-kim", at=NOW, comment=None)
    assert not actor("emp-kim").may_decide(decided, None)
