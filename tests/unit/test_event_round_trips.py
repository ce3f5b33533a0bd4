"""Every event a producer builds reads back through its contract model, losing nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from dojang.approval.domain.document import (
    ApprovalDocument,
    Comment,
    DocumentContent,
    Person,
)
from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.line import ApprovalLine, ApproverSlot, Decision
from dojang.approval.service import events as approval
from dojang.contracts import approval_events, approval_requests, approval_results, employee_events
from dojang.contracts.approval_requests import CancelReason
from dojang.employee.domain.organisation import Department
from dojang.employee.service import events as employee
from dojang.kernel.bus.envelope import Event
from dojang.kernel.ports import DepartmentRef, EmployeeView
from dojang.processing.service import events as processing

from .processing.builders import delegation, task

NOW = datetime(2026, 3, 2, 0, 30, 15, 250_000, tzinfo=UTC)
TOPICS = {
    module.TOPIC: module.MODELS
    for module in (employee_events, approval_requests, approval_results, approval_events)
}


def kim() -> EmployeeView:
    return EmployeeView(
        id="emp-kim",
        name="김민준",
        email="kim@dojang.example",
        department=DepartmentRef(id="eng", name="Engineering"),
        position="senior",
        manager_id="emp-lee",
        roles=["employee", "manager"],
        active=True,
        created_at=NOW - timedelta(days=400),
    )


def engineering() -> Department:
    return Department(
        id="eng", name="Engineering", parent_id="hq", head_id="emp-lee", created_at=NOW
    )


def leave_document() -> ApprovalDocument:
    """A leave document in progress: an approval stage, then an agreement with 전결."""
    line = ApprovalLine.build(
        "emp-kim",
        [
            {"kind": "approval", "approvers": ["emp-lee"], "rule": "all"},
            {
                "kind": "agreement",
                "approvers": ["emp-park", "emp-choi"],
                "rule": {"at_least": 1},
                "final_authority": ["emp-park"],
            },
        ],
    )
    content = DocumentContent(
        title="5월 연차",
        content="가족 여행",
        fields={"start_date": "2026-05-04", "end_date": "2026-05-05", "days": 2.5},
        line=line,
        custom_line=True,
        cc=("emp-han",),
    )
    document = ApprovalDocument.draft(
        document_id="doc-1",
        form=FormCode.LEAVE,
        requester=Person(id="emp-kim", name="김민준"),
        content=content,
        at=NOW,
    )
    document.submit(content, at=NOW)
    return document


def completed(document: ApprovalDocument, number: str | None) -> ApprovalDocument:
    document.number = number
    document.completed_at = NOW + timedelta(hours=2)
    return document


Produced = tuple[str, Event]
"""The topic an event goes to, and the event."""
PRODUCERS: dict[str, Callable[[], Produced]] = {}


def producer(make: Callable[[], Produced]) -> Callable[[], Produced]:
    PRODUCERS[make.__name__] = make
    return make


@producer
def employee_created() -> Produced:
    return employee.TOPIC, employee.employee_created(kim(), at=NOW)


@producer
def employee_updated() -> Produced:
    return employee.TOPIC, employee.employee_updated(kim(), ["email", "roles"], at=NOW)


@producer
def employee_deactivated() -> Produced:
    leaver = kim().model_copy(update={"active": False})
    return employee.TOPIC, employee.employee_deactivated(leaver, at=NOW)


@producer
def department_created() -> Produced:
    return employee.TOPIC, employee.department_created(engineering(), at=NOW)


@producer
def department_updated() -> Produced:
    return employee.TOPIC, employee.department_updated(engineering(), ["head_id"], at=NOW)


@producer
def tasks_opened() -> Produced:
    return approval.tasks_opened(leave_document(), 1, at=NOW)


@producer
def slots_announced() -> Produced:
    return approval.slots_announced(leave_document(), at=NOW)


@producer
def tasks_of_a_stage_cancelled() -> Produced:
    return approval.tasks_cancelled(
        "doc-1",
        1,
        stage_index=1,
        approvers=["emp-choi"],
        reason=CancelReason.STAGE_COMPLETED,
        at=NOW,
    )


@producer
def every_task_cancelled() -> Produced:
    return approval.tasks_cancelled(
        "doc-1", 2, stage_index=None, approvers=None, reason=CancelReason.WITHDRAWN, at=NOW
    )


@producer
def slot_decided_on_behalf() -> Produced:
    slot = ApproverSlot(
        employee_id="emp-lee",
        decision=Decision.APPROVED,
        decided_by="emp-yoon",
        on_behalf_of="emp-lee",
        decided_at=NOW,
        comment="대결 처리",
    )
    return approval.decided("doc-1", 1, 0, slot)


@producer
def tasks_pending() -> Produced:
    return processing.RESULTS_TOPIC, processing.tasks_pending("doc-1", 2, at=NOW)


@producer
def tasks_assigned() -> Produced:
    tasks = [task("emp-park", stage_index=1), task("emp-choi", stage_index=1, holder_id="emp-yoon")]
    [assigned] = processing.tasks_assigned(tasks, at=NOW)
    return processing.RESULTS_TOPIC, assigned


@producer
def tasks_overdue() -> Produced:
    [overdue] = processing.tasks_overdue([task("emp-lee", at=NOW - timedelta(days=2))], at=NOW)
    return processing.RESULTS_TOPIC, overdue


@producer
def delegation_granted() -> Produced:
    granted = delegation("emp-lee", "emp-yoon")
    return processing.RESULTS_TOPIC, processing.delegation_changed(granted, at=NOW)


@producer
def delegation_revoked() -> Produced:
    revoked = delegation("emp-lee", "emp-yoon")
    revoked.revoke(NOW)
    return processing.RESULTS_TOPIC, processing.delegation_changed(revoked, at=NOW)


@producer
def submitted() -> Produced:
    return approval.submitted(leave_document(), at=NOW)


@producer
def resubmitted() -> Produced:
    return approval.resubmitted(leave_document(), at=NOW)


@producer
def your_turn() -> Produced:
    return approval.your_turn(leave_document(), 1, ["emp-park", "emp-yoon"], at=NOW)


@producer
def reminder() -> Produced:
    waiting_since = NOW - timedelta(hours=30)
    return approval.reminder(leave_document(), 0, ["emp-lee"], waiting_since=waiting_since, at=NOW)


@producer
def approved() -> Produced:
    return approval.approved(completed(leave_document(), "LEAVE-2026-000042"), at=NOW)


@producer
def rejected_on_behalf() -> Produced:
    return approval.rejected(
        completed(leave_document(), None),
        decided_by="emp-yoon",
        on_behalf_of="emp-lee",
        reason="일정 조정 필요",
        at=NOW,
    )


@producer
def withdrawn() -> Produced:
    return approval.withdrawn(leave_document(), ["emp-lee"], at=NOW)


@producer
def taken_back() -> Produced:
    taker = Person(id="emp-lee", name="이서연")
    return approval.taken_back(
        leave_document(), taken_by=taker, approver_id="emp-lee", released=["emp-park"], at=NOW
    )


@producer
def decided_for_you() -> Produced:
    slot = ApproverSlot(
        employee_id="emp-lee",
        decision=Decision.REJECTED,
        decided_by="emp-yoon",
        on_behalf_of="emp-lee",
        decided_at=NOW,
        comment="대결 반려",
    )
    stand_in = Person(id="emp-yoon", name="윤지우")
    return approval.decided_for_you(leave_document(), 0, slot, stand_in, at=NOW)


@producer
def commented() -> Produced:
    author = Person(id="emp-lee", name="이서연")
    comment = Comment(id="c-1", version=1, author=author, body="확인했습니다", created_at=NOW)
    return approval.commented(leave_document(), comment, at=NOW)


@pytest.mark.parametrize("case", PRODUCERS)
def test_a_produced_event_round_trips_through_its_model(case: str) -> None:
    topic, produced = PRODUCERS[case]()
    received = Event.from_json(produced.to_json())
    model = TOPICS[topic][received.type]
    assert model.model_validate(received.data).model_dump(mode="json") == received.data


def test_every_model_has_a_produced_event() -> None:
    produced = {(topic, event.type) for topic, event in (make() for make in PRODUCERS.values())}
    assert produced == {(topic, t) for topic, models in TOPICS.items() for t in models}
