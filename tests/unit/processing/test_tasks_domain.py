"""Tasks: who holds them, how they are decided, cancelled and handed on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dojang.kernel.errors import InvalidInput
from dojang.processing.domain.errors import TaskNotPending
from dojang.processing.domain.tasks import Decision, TaskStatus, successor

from .builders import NOW, REQUESTER, delegation, task


def test_a_new_task_is_pending_and_held_by_its_approver() -> None:
    opened = task("emp-kim")
    assert opened.status is TaskStatus.PENDING
    assert opened.assignee_id == "emp-kim"
    assert opened.on_behalf_of is None
    assert opened.delegation_id is None


def test_a_new_task_goes_to_the_active_delegate_on_behalf_of_the_approver() -> None:
    away = delegation("emp-kim", "emp-lee")
    opened = task("emp-kim", delegation=away)
    assert opened.assignee_id == "emp-lee"
    assert opened.on_behalf_of == "emp-kim"
    assert opened.delegation_id == away.id


def test_a_delegation_that_has_not_started_leaves_the_task_with_the_approver() -> None:
    later = delegation("emp-kim", "emp-lee", starts_at=NOW + timedelta(days=1))
    assert task("emp-kim", delegation=later).assignee_id == "emp-kim"


def test_a_task_never_goes_to_a_delegate_who_requested_the_document() -> None:
    to_requester = delegation("emp-kim", REQUESTER.id)
    assert task("emp-kim", delegation=to_requester).assignee_id == "emp-kim"


def test_a_handed_over_task_is_back_with_the_delegator_once_the_delegation_lapses() -> None:
    away = delegation("emp-kim", "emp-lee", ends_at=NOW + timedelta(hours=1))
    opened = task("emp-kim", delegation=away)
    assert opened.holder(away, NOW) == "emp-lee"
    assert opened.holder(away, NOW + timedelta(hours=1)) == "emp-kim"
    away.revoke(NOW)
    assert opened.holder(away, NOW) == "emp-kim"


def test_recording_a_decision_keeps_who_decided_and_when() -> None:
    opened = task("emp-kim")
    assert opened.record_decision(Decision.APPROVED, by="emp-kim", at=NOW, comment="좋습니다")
    assert opened.status is TaskStatus.APPROVED
    assert (opened.decided_by, opened.decided_at, opened.comment) == ("emp-kim", NOW, "좋습니다")
    assert opened.on_behalf_of is None


def test_a_stand_ins_decision_is_on_behalf_of_the_approver() -> None:
    opened = task("emp-kim")
    assert opened.record_decision(Decision.REJECTED, by="emp-lee", at=NOW, comment="예산 초과")
    assert opened.status is TaskStatus.REJECTED
    assert opened.decided_by == "emp-lee"
    assert opened.on_behalf_of == "emp-kim"


def test_a_closed_task_records_no_decision() -> None:
    decided = task("emp-kim")
    decided.record_decision(Decision.APPROVED, by="emp-kim", at=NOW, comment=None)
    assert not decided.record_decision(Decision.REJECTED, by="emp-kim", at=NOW, comment="아니요")
    assert decided.status is TaskStatus.APPROVED
    cancelled = task("emp-kim")
    assert cancelled.cancel()
    assert not cancelled.cancel()
    assert not cancelled.record_decision(Decision.APPROVED, by="emp-kim", at=NOW, comment=None)
    assert cancelled.status is TaskStatus.CANCELLED


def test_a_leavers_task_goes_to_their_manager_on_behalf_of_the_approver() -> None:
    opened = task("emp-kim")
    taker = opened.successor_after_departure("emp-boss")
    assert taker == "emp-boss"
    opened.hand_to(taker)
    assert (opened.assignee_id, opened.on_behalf_of) == ("emp-boss", "emp-kim")


def test_a_leavers_task_stays_without_a_manager_or_when_the_manager_requested_it() -> None:
    opened = task("emp-kim")
    assert opened.successor_after_departure(None) is None
    assert opened.successor_after_departure(REQUESTER.id) is None


def test_a_task_handed_back_to_its_approver_is_no_longer_on_anyones_behalf() -> None:
    opened = task("emp-kim", delegation=delegation("emp-kim", "emp-lee"))
    opened.hand_to("emp-kim")
    assert (opened.assignee_id, opened.on_behalf_of, opened.delegation_id) == (
        "emp-kim",
        None,
        None,
    )


def test_the_viewer_sees_on_whose_behalf_they_act() -> None:
    opened = task("emp-kim")
    assert opened.on_behalf_of_for("emp-kim") is None
    assert opened.on_behalf_of_for("emp-lee") == "emp-kim"


def test_work_of_a_leaver_goes_up_the_chain_of_leavers() -> None:
    assert successor("emp-kim", {}) == "emp-kim"
    assert successor("emp-kim", {"emp-kim": "emp-boss"}) == "emp-boss"
    assert successor("emp-kim", {"emp-kim": "emp-boss", "emp-boss": "emp-ceo"}) == "emp-ceo"
    assert successor("emp-kim", {"emp-kim": None}) is None
    assert successor("emp-kim", {"emp-kim": "emp-boss", "emp-boss": "emp-kim"}) is None


def test_a_reassigned_task_is_held_outright_on_behalf_of_its_approver() -> None:
    away = delegation("emp-kim", "emp-lee")
    held = task("emp-kim", delegation=away)
    assert held.reassign("emp-park")
    assert (held.assignee_id, held.on_behalf_of, held.delegation_id) == (
        "emp-park",
        "emp-kim",
        None,
    )
    assert not held.reassign("emp-park")
    assert held.reassign("emp-kim")
    assert held.on_behalf_of is None


def test_a_task_is_never_reassigned_to_the_requester_nor_once_closed() -> None:
    open_task = task("emp-kim")
    with pytest.raises(InvalidInput):
        open_task.reassign(REQUESTER.id)
    open_task.cancel()
    with pytest.raises(TaskNotPending):
        open_task.reassign("emp-lee")


def test_a_reopened_task_forgets_its_decision_and_is_held_as_a_new_one() -> None:
    decided_task = task("emp-kim")
    decided_task.record_decision(Decision.APPROVED, by="emp-kim", at=NOW, comment="ok")
    assert decided_task.reopen(
        holder_id="emp-kim", delegation=delegation("emp-kim", "emp-lee"), at=NOW
    )
    assert decided_task.status is TaskStatus.PENDING
    assert (decided_task.decided_by, decided_task.decided_at, decided_task.comment) == (
        None,
        None,
        None,
    )
    assert (decided_task.assignee_id, decided_task.on_behalf_of) == ("emp-lee", "emp-kim")
    assert not decided_task.reopen(holder_id="emp-kim", delegation=None, at=NOW)
