"""The events approval-processing consumes and publishes; approval events are keyed by document.

Schemas are in docs/events.md: `approval-requests` opens, decides and cancels tasks (and,
when reconciling, announces every open slot), `employee-events` says who left, and
`approval-results` tells the approval-request service who holds each task, which tasks have
waited long enough for a reminder, every delegation granted or revoked, and, when
reconciling, which versions it holds pending tasks of.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from dojang.kernel.bus.envelope import Event
from dojang.processing.domain.delegations import Delegation
from dojang.processing.domain.tasks import Task

REQUESTS_TOPIC = "approval-requests"
RESULTS_TOPIC = "approval-results"
EMPLOYEE_EVENTS_TOPIC = "employee-events"

TASKS_OPENED = "approval.tasks_opened"
TASKS_CANCELLED = "approval.tasks_cancelled"
SLOTS_ANNOUNCED = "approval.slots_announced"
TASKS_ASSIGNED = "approval.tasks_assigned"
TASKS_OVERDUE = "approval.tasks_overdue"
TASKS_PENDING = "approval.tasks_pending"
DECIDED = "approval.decided"
DELEGATION_GRANTED = "delegation.granted"
DELEGATION_REVOKED = "delegation.revoked"
EMPLOYEE_DEACTIVATED = "employee.deactivated"


def tasks_assigned(tasks: Iterable[Task], *, at: datetime) -> list[Event]:
    """Who holds each of these tasks: one event per document, version and stage."""
    return _per_stage(TASKS_ASSIGNED, tasks, at=at)


def tasks_overdue(tasks: Iterable[Task], *, at: datetime) -> list[Event]:
    """These pending tasks have waited long; their holders are to be reminded."""
    return _per_stage(TASKS_OVERDUE, tasks, at=at, waiting=True)


def _per_stage(
    event_type: str, tasks: Iterable[Task], *, at: datetime, waiting: bool = False
) -> list[Event]:
    """One event per document, version and stage, listing its tasks and their holders."""
    groups: dict[tuple[str, int, int], list[Task]] = {}
    for task in tasks:
        groups.setdefault((task.approval_id, task.version, task.stage_index), []).append(task)
    return [
        Event(
            type=event_type,
            aggregate_id=approval_id,
            data={
                "approval_id": approval_id,
                "version": version,
                "stage_index": stage_index,
                "tasks": [_holding(task, waiting=waiting) for task in group],
            },
            occurred_at=at,
        )
        for (approval_id, version, stage_index), group in groups.items()
    ]


def _holding(task: Task, *, waiting: bool) -> dict[str, object]:
    held: dict[str, object] = {
        "task_id": task.id,
        "approver_id": task.approver_id,
        "assignee_id": task.assignee_id,
        "on_behalf_of": task.on_behalf_of,
        "revision": task.revision,
    }
    if waiting:
        held["waiting_since"] = task.created_at.isoformat()
    return held


def tasks_pending(approval_id: str, version: int, *, at: datetime) -> Event:
    """This service holds pending tasks of this version of a document (`dojang reconcile`):
    approval-request cancels them if the version is no longer in progress."""
    return Event(
        type=TASKS_PENDING,
        aggregate_id=approval_id,
        data={"approval_id": approval_id, "version": version},
        occurred_at=at,
    )


def delegation_changed(delegation: Delegation, *, at: datetime) -> Event:
    """A delegation was granted or revoked: approval-request keeps a copy, to put each slot
    in the right hands the moment a stage opens. Keyed by the delegator."""
    return Event(
        type=DELEGATION_REVOKED if delegation.revoked_at is not None else DELEGATION_GRANTED,
        aggregate_id=delegation.delegator_id,
        data={
            "delegation": {
                "id": delegation.id,
                "delegator_id": delegation.delegator_id,
                "delegate_id": delegation.delegate_id,
                "starts_at": delegation.starts_at.isoformat(),
                "ends_at": delegation.ends_at.isoformat(),
                "revoked_at": (
                    None if delegation.revoked_at is None else delegation.revoked_at.isoformat()
                ),
            }
        },
        occurred_at=at,
    )
