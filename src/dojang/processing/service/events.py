"""The events approval-processing consumes and publishes; approval events are keyed by document.

Schemas are in docs/events.md: `approval-requests` opens and cancels tasks, `employee-events`
says who left, and `approval-results` tells the approval-request service who holds each task,
what was decided, and which tasks have waited long enough for a reminder.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from dojang.kernel.bus.envelope import Event
from dojang.processing.domain.tasks import Task

REQUESTS_TOPIC = "approval-requests"
RESULTS_TOPIC = "approval-results"
EMPLOYEE_EVENTS_TOPIC = "employee-events"

TASKS_OPENED = "approval.tasks_opened"
TASKS_CANCELLED = "approval.tasks_cancelled"
TASKS_ASSIGNED = "approval.tasks_assigned"
TASKS_OVERDUE = "approval.tasks_overdue"
DECIDED = "approval.decided"
EMPLOYEE_DEACTIVATED = "employee.deactivated"

OVERRULED = "overruled"
"""The cancellation reason of a decision the approval-request service did not take."""


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
    }
    if waiting:
        held["waiting_since"] = task.created_at.isoformat()
    return held


def decided(task: Task, *, final: bool, at: datetime) -> Event:
    """An approver, or someone acting for them, decided their task."""
    assert task.decided_by is not None
    assert task.decided_at is not None
    return Event(
        type=DECIDED,
        aggregate_id=task.approval_id,
        data={
            "approval_id": task.approval_id,
            "version": task.version,
            "task_id": task.id,
            "stage_index": task.stage_index,
            "approver_id": task.approver_id,
            "decided_by": task.decided_by,
            "on_behalf_of": task.on_behalf_of,
            "decision": task.status.value,
            "comment": task.comment,
            "final": final,
            "decided_at": task.decided_at.isoformat(),
        },
        occurred_at=at,
    )
