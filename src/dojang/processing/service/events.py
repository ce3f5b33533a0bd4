"""The events approval-processing consumes and publishes; approval events are keyed by document.

Their models are in `dojang.contracts` (docs/events.md): `approval-requests` opens, decides
and cancels tasks (and, when reconciling, announces every open slot), `employee-events` says
who left, and `approval-results` tells the approval-request service who holds each task, which
tasks have waited long enough for a reminder, every delegation granted or revoked, and, when
reconciling, which versions it holds pending tasks of.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from dojang.contracts import approval_requests, approval_results, employee_events
from dojang.contracts.approval_results import (
    DelegationGranted,
    DelegationRevoked,
    GrantedDelegation,
    OverdueTask,
    RevokedDelegation,
    TaskHolding,
    TasksAssigned,
    TasksOverdue,
)
from dojang.kernel.bus.envelope import Event
from dojang.processing.domain.delegations import Delegation
from dojang.processing.domain.tasks import Task

REQUESTS_TOPIC = approval_requests.TOPIC
RESULTS_TOPIC = approval_results.TOPIC
EMPLOYEE_EVENTS_TOPIC = employee_events.TOPIC

TASKS_OPENED = approval_requests.TASKS_OPENED
TASKS_CANCELLED = approval_requests.TASKS_CANCELLED
DECIDED = approval_requests.DECIDED
EMPLOYEE_DEACTIVATED = employee_events.EMPLOYEE_DEACTIVATED
SLOTS_ANNOUNCED = approval_requests.SLOTS_ANNOUNCED


def tasks_assigned(tasks: Iterable[Task], *, at: datetime) -> list[Event]:
    """Who holds each of these tasks: one event per document, version and stage."""
    return [
        TasksAssigned(
            approval_id=approval_id,
            version=version,
            stage_index=stage_index,
            tasks=[_holding(task) for task in group],
        ).to_event(approval_id, at=at)
        for (approval_id, version, stage_index), group in _per_stage(tasks).items()
    ]


def tasks_overdue(tasks: Iterable[Task], *, at: datetime) -> list[Event]:
    """These pending tasks have waited long; their holders are to be reminded."""
    return [
        TasksOverdue(
            approval_id=approval_id,
            version=version,
            stage_index=stage_index,
            tasks=[
                OverdueTask(**_holding(task).model_dump(), waiting_since=task.created_at)
                for task in group
            ],
        ).to_event(approval_id, at=at)
        for (approval_id, version, stage_index), group in _per_stage(tasks).items()
    ]


def _per_stage(tasks: Iterable[Task]) -> dict[tuple[str, int, int], list[Task]]:
    """The tasks by document, version and stage."""
    groups: dict[tuple[str, int, int], list[Task]] = {}
    for task in tasks:
        groups.setdefault((task.approval_id, task.version, task.stage_index), []).append(task)
    return groups


def _holding(task: Task) -> TaskHolding:
    return TaskHolding(
        task_id=task.id,
        approver_id=task.approver_id,
        assignee_id=task.assignee_id,
        on_behalf_of=task.on_behalf_of,
        revision=task.revision,
    )


def tasks_pending(approval_id: str, version: int, *, at: datetime) -> Event:
    """This service holds pending tasks of this version of a document (`dojang reconcile`):
    approval-request cancels them if the version is no longer in progress."""
    data = approval_results.TasksPending(approval_id=approval_id, version=version)
    return data.to_event(approval_id, at=at)


def delegation_changed(delegation: Delegation, *, at: datetime) -> Event:
    """A delegation was granted or revoked: approval-request keeps a copy, to put each slot
    in the right hands the moment a stage opens. Keyed by the delegator."""
    window = {
        "id": delegation.id,
        "delegator_id": delegation.delegator_id,
        "delegate_id": delegation.delegate_id,
        "starts_at": delegation.starts_at,
        "ends_at": delegation.ends_at,
    }
    data: DelegationGranted | DelegationRevoked
    if delegation.revoked_at is None:
        data = DelegationGranted(delegation=GrantedDelegation(**window))
    else:
        data = DelegationRevoked(
            delegation=RevokedDelegation(**window, revoked_at=delegation.revoked_at)
        )
    return data.to_event(delegation.delegator_id, at=at)
