"""Tasks, delegations and events as the tests need them, with readable defaults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.port import Message
from dojang.processing.domain.delegations import Delegation
from dojang.processing.domain.tasks import Person, Task

NOW = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # Monday 2 March 2026, 09:30 in Seoul
REQUESTER = Person(id="emp-requester", name="김요청")

_counter = iter(range(1, 1_000_000))


def task(
    approver_id: str = "emp-kim",
    *,
    approval_id: str = "doc-1",
    version: int = 1,
    stage_index: int = 0,
    final_authority: bool = False,
    holder_id: str | None = None,
    delegation: Delegation | None = None,
    requester: Person = REQUESTER,
    at: datetime = NOW,
) -> Task:
    """A pending task of `approver_id`, held by them unless said otherwise."""
    return Task.open(
        task_id=f"task-{next(_counter):04d}",
        approval_id=approval_id,
        version=version,
        stage_index=stage_index,
        kind="approval",
        title="휴가 신청",
        form="leave",
        requester=requester,
        approver_id=approver_id,
        final_authority=final_authority,
        holder_id=holder_id or approver_id,
        delegation=delegation,
        at=at,
    )


def delegation(
    delegator_id: str = "emp-kim",
    delegate_id: str = "emp-lee",
    *,
    starts_at: datetime = NOW - timedelta(hours=1),
    ends_at: datetime = NOW + timedelta(days=3),
    delegation_id: str | None = None,
) -> Delegation:
    """A delegation active at `NOW` unless the window says otherwise."""
    return Delegation(
        id=delegation_id or f"dlg-{next(_counter):04d}",
        delegator_id=delegator_id,
        delegate_id=delegate_id,
        starts_at=starts_at,
        ends_at=ends_at,
        created_at=NOW - timedelta(days=1),
    )


def event(event_type: str, key: str, data: dict[str, Any], *, event_id: str | None = None) -> Event:
    """An envelope as another service would publish it."""
    extra = {} if event_id is None else {"id": event_id}
    return Event(type=event_type, aggregate_id=key, data=data, occurred_at=NOW, **extra)


def as_message(e: Event) -> Message:
    """The bus message of an event, keyed by its aggregate."""
    return Message(key=e.aggregate_id, value=e.to_json())


def tasks_opened(
    approvers: list[str],
    *,
    approval_id: str = "doc-1",
    version: int = 1,
    stage_index: int = 0,
    final_authority: list[str] | None = None,
    requester: Person = REQUESTER,
    event_id: str | None = None,
) -> Event:
    """`approval.tasks_opened` for a stage of a document."""
    return event(
        "approval.tasks_opened",
        approval_id,
        {
            "approval_id": approval_id,
            "version": version,
            "title": "휴가 신청",
            "form": "leave",
            "requester": {"id": requester.id, "name": requester.name},
            "stage_index": stage_index,
            "kind": "approval",
            "approvers": approvers,
            "final_authority": final_authority or [],
        },
        event_id=event_id,
    )


def tasks_cancelled(
    *,
    approval_id: str = "doc-1",
    version: int = 1,
    stage_index: int | None = None,
    approvers: list[str] | None = None,
    reason: str = "withdrawn",
) -> Event:
    """`approval.tasks_cancelled` for some or all open tasks of a document."""
    return event(
        "approval.tasks_cancelled",
        approval_id,
        {
            "approval_id": approval_id,
            "version": version,
            "stage_index": stage_index,
            "approvers": approvers,
            "reason": reason,
        },
    )


def decided(
    approver_id: str,
    decision: str = "approved",
    *,
    approval_id: str = "doc-1",
    version: int = 1,
    stage_index: int = 0,
    decided_by: str | None = None,
    comment: str | None = None,
    at: datetime = NOW,
) -> Event:
    """`approval.decided` as the approval-request service publishes it."""
    by = decided_by or approver_id
    return event(
        "approval.decided",
        approval_id,
        {
            "approval_id": approval_id,
            "version": version,
            "stage_index": stage_index,
            "approver_id": approver_id,
            "decided_by": by,
            "on_behalf_of": None if by == approver_id else approver_id,
            "decision": decision,
            "comment": comment,
            "decided_at": at.isoformat(),
        },
    )


def deactivated(employee_id: str, manager_id: str | None) -> Event:
    """`employee.deactivated` as the employee service publishes it."""
    return event(
        "employee.deactivated",
        employee_id,
        {
            "employee": {
                "id": employee_id,
                "name": "퇴사자",
                "email": f"{employee_id}@dojang.example",
                "department": {"id": "eng", "name": "Engineering"},
                "position": "manager",
                "manager_id": manager_id,
                "roles": ["employee"],
                "active": False,
                "created_at": "2025-01-02T00:00:00+00:00",
            },
            "manager_id": manager_id,
        },
    )
