"""`approval-results`: approval-processing tells approval-request who holds what, and since when.

Task events are keyed by the document id; delegation events by the delegator.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from dojang.contracts.base import DocumentVersion, EventData, Id, Index, Instant, by_type

TOPIC = "approval-results"

TASKS_ASSIGNED = "approval.tasks_assigned"
TASKS_OVERDUE = "approval.tasks_overdue"
DELEGATION_GRANTED = "delegation.granted"
DELEGATION_REVOKED = "delegation.revoked"
TASKS_PENDING = "approval.tasks_pending"


class TaskHolding(BaseModel):
    """Who holds an approver's task: the approver, a delegate (대결) or a successor.

    `revision` is the task row's, which every write compares and sets; reports written
    before tasks had one carry none and count as 0.
    """

    model_config = ConfigDict(frozen=True)

    task_id: Id
    approver_id: Id
    assignee_id: Id
    on_behalf_of: Id | None
    revision: int = Field(default=0, ge=0)


class OverdueTask(TaskHolding):
    """A pending task and since when it has waited."""

    waiting_since: Instant


class _DelegationWindow(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: Id
    delegator_id: Id
    delegate_id: Id
    starts_at: Instant
    ends_at: Instant


class GrantedDelegation(_DelegationWindow):
    """A delegation in force (or to come) between its window's ends."""

    revoked_at: None = None


class RevokedDelegation(_DelegationWindow):
    """A delegation ended early, at `revoked_at`."""

    revoked_at: Instant


class TasksAssigned(EventData):
    """Who holds each of these tasks of one document, version and stage."""

    type: ClassVar[str] = TASKS_ASSIGNED

    approval_id: Id
    version: DocumentVersion
    stage_index: Index
    tasks: list[TaskHolding] = Field(min_length=1)


class TasksOverdue(EventData):
    """These pending tasks of one document, version and stage have waited long."""

    type: ClassVar[str] = TASKS_OVERDUE

    approval_id: Id
    version: DocumentVersion
    stage_index: Index
    tasks: list[OverdueTask] = Field(min_length=1)


class DelegationGranted(EventData):
    """A delegator's tasks go to the delegate while the delegation is in force."""

    type: ClassVar[str] = DELEGATION_GRANTED

    delegation: GrantedDelegation


class DelegationRevoked(EventData):
    """A delegation was revoked: the delegator holds their own slots again."""

    type: ClassVar[str] = DELEGATION_REVOKED

    delegation: RevokedDelegation


class TasksPending(EventData):
    """Sent by `dojang reconcile`: processing holds pending tasks of this version of the
    document; approval-request cancels them unless that version is in progress."""

    type: ClassVar[str] = TASKS_PENDING

    approval_id: Id
    version: DocumentVersion


MODELS = by_type(TasksAssigned, TasksOverdue, DelegationGranted, DelegationRevoked, TasksPending)
