"""The contract models refuse what no producer sends, and read what older producers sent."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from dojang.contracts.approval_events import Commented, YourTurn
from dojang.contracts.approval_requests import Decided, TasksCancelled, TasksOpened
from dojang.contracts.approval_results import DelegationGranted, DelegationRevoked, TasksAssigned
from dojang.contracts.base import EventData
from dojang.contracts.employee_events import DepartmentCreated, EmployeeCreated

PERSON = {"id": "emp-kim", "name": "김민준"}
DOCUMENT = {
    "approval_id": "doc-1",
    "version": 1,
    "title": "5월 연차",
    "form": "leave",
    "requester": PERSON,
    "fields": {"days": 2},
}
EMPLOYEE = {
    "id": "emp-kim",
    "name": "김민준",
    "email": "kim@dojang.example",
    "department": None,
    "position": "senior",
    "manager_id": None,
    "roles": ["employee"],
    "active": True,
    "created_at": "2026-03-01T09:00:00Z",
}
WINDOW = {
    "id": "dlg-1",
    "delegator_id": "emp-lee",
    "delegate_id": "emp-yoon",
    "starts_at": "2026-03-02T00:00:00+09:00",
    "ends_at": "2026-03-05T00:00:00+09:00",
}
TASK = {
    "task_id": "task-1",
    "approver_id": "emp-lee",
    "assignee_id": "emp-lee",
    "on_behalf_of": None,
}
OPENED = {
    **DOCUMENT,
    "stage_index": 0,
    "kind": "approval",
    "approvers": ["emp-lee"],
    "final_authority": [],
}
DECIDED = {
    "approval_id": "doc-1",
    "version": 1,
    "stage_index": 0,
    "approver_id": "emp-lee",
    "decided_by": "emp-lee",
    "on_behalf_of": None,
    "decision": "approved",
    "comment": None,
    "decided_at": "2026-03-02T09:00:00+09:00",
}
YOUR_TURN = {**DOCUMENT, "stage_index": 0, "kind": "approval", "recipients": ["emp-lee"]}


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (TasksOpened, OPENED),
        (Decided, DECIDED),
        (YourTurn, YOUR_TURN),
        (DelegationGranted, {"delegation": {**WINDOW, "revoked_at": None}}),
        (EmployeeCreated, {"employee": EMPLOYEE}),
    ],
)
def test_well_formed_data_is_read(model: type[EventData], data: dict[str, Any]) -> None:
    model.model_validate(data)


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (TasksOpened, OPENED | {"approval_id": ""}, "approval_id"),
        (TasksOpened, OPENED | {"version": 0}, "version"),
        (TasksOpened, OPENED | {"stage_index": -1}, "stage_index"),
        (TasksOpened, OPENED | {"kind": "consultation"}, "kind"),
        (TasksOpened, OPENED | {"approvers": []}, "approvers"),
        (TasksOpened, OPENED | {"requester": {"id": "emp-kim", "name": " "}}, "requester.name"),
        (TasksOpened, OPENED | {"title": "  "}, "title"),
        (Decided, DECIDED | {"decided_at": "2026-03-02T09:00:00"}, "decided_at"),
        (Decided, DECIDED | {"decision": "abstained"}, "decision"),
        (Decided, {k: v for k, v in DECIDED.items() if k != "on_behalf_of"}, "on_behalf_of"),
        (
            TasksCancelled,
            {"approval_id": "doc-1", "version": 1, "stage_index": None, "approvers": None},
            "reason",
        ),
        (YourTurn, YOUR_TURN | {"recipients": ["emp-lee", ""]}, "recipients.1"),
        (Commented, DOCUMENT | {"comment_id": "c-1", "author": PERSON, "body": ""}, "body"),
        (
            DelegationRevoked,
            {"delegation": {**WINDOW, "revoked_at": None}},
            "delegation.revoked_at",
        ),
        (
            DelegationGranted,
            {"delegation": {**WINDOW, "revoked_at": "2026-03-03T00:00:00Z"}},
            "delegation.revoked_at",
        ),
        (
            TasksAssigned,
            {"approval_id": "doc-1", "version": 1, "stage_index": 0, "tasks": []},
            "tasks",
        ),
        (
            EmployeeCreated,
            {"employee": EMPLOYEE | {"created_at": "2026-03-01T09:00:00"}},
            "employee.created_at",
        ),
        (EmployeeCreated, {"employee": EMPLOYEE | {"id": ""}}, "employee.id"),
        (
            DepartmentCreated,
            {"department": {"id": "eng", "name": "", "parent_id": None, "head_id": None}},
            "department.name",
        ),
    ],
)
def test_data_no_producer_sends_is_refused(
    model: type[EventData], data: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(data)
    assert field in {
        ".".join(str(part) for part in error["loc"]) for error in refused.value.errors()
    }


def test_a_holder_report_from_before_task_revisions_counts_as_revision_zero() -> None:
    report = TasksAssigned.model_validate(
        {"approval_id": "doc-1", "version": 1, "stage_index": 0, "tasks": [TASK]}
    )
    assert report.tasks[0].revision == 0


def test_fields_a_consumer_does_not_know_are_ignored() -> None:
    opened = TasksOpened.model_validate(OPENED | {"due_at": "2026-03-09T00:00:00Z"})
    assert "due_at" not in opened.model_dump()
