"""`approval-requests`: approval-request tells approval-processing which tasks to open and close.

Keyed by the document id, so one document's task changes arrive in order.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field

from dojang.contracts.base import (
    DocumentVersion,
    EventData,
    Id,
    Index,
    Instant,
    Person,
    StageKind,
    Text,
    by_type,
)

TOPIC = "approval-requests"

TASKS_OPENED = "approval.tasks_opened"
TASKS_CANCELLED = "approval.tasks_cancelled"
DECIDED = "approval.decided"
SLOTS_ANNOUNCED = "approval.slots_announced"


class CancelReason(StrEnum):
    """Why open tasks are cancelled."""

    STAGE_COMPLETED = "stage_completed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    FINAL_APPROVAL = "final_approval"
    TAKEN_BACK = "taken_back"  # an approval taken back (결재 취소) closed the next stage again
    RECONCILED = "reconciled"  # processing held tasks of a version no longer in progress


class TasksOpened(EventData):
    """Open a task for every approver of the newly active stage.

    `final_authority` are the approvers who may approve with `final` (전결).
    """

    type: ClassVar[str] = TASKS_OPENED

    approval_id: Id
    version: DocumentVersion
    title: Text
    form: Id
    requester: Person
    stage_index: Index
    kind: StageKind
    approvers: list[Id] = Field(min_length=1)
    final_authority: list[Id]


class TasksCancelled(EventData):
    """Cancel these approvers' open tasks of a stage (`None` approvers: every open task)."""

    type: ClassVar[str] = TASKS_CANCELLED

    approval_id: Id
    version: DocumentVersion
    stage_index: Index | None
    approvers: list[Id] | None
    reason: CancelReason


class Decided(EventData):
    """An approver's slot was decided on the line: by them, or by its holder on their behalf."""

    type: ClassVar[str] = DECIDED

    approval_id: Id
    version: DocumentVersion
    stage_index: Index
    approver_id: Id
    decided_by: Id
    on_behalf_of: Id | None
    decision: Literal["approved", "rejected"]
    comment: str | None
    decided_at: Instant


class SlotsAnnounced(EventData):
    """The open (undecided) slots of a document in progress, announced by `dojang reconcile`:
    processing makes its pending tasks of the document match them."""

    type: ClassVar[str] = SLOTS_ANNOUNCED

    approval_id: Id
    version: DocumentVersion
    stage_index: Index
    kind: StageKind
    title: Text
    form: Id
    requester: Person
    approvers: list[Id]
    final_authority: list[Id]


MODELS = by_type(TasksOpened, TasksCancelled, Decided, SlotsAnnounced)
