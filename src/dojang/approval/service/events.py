"""The events the approval-request service publishes and consumes, keyed by the document id.

Schemas are in docs/events.md: `approval-requests` tells approval-processing which tasks to
open, decide or cancel, `approval-events` tells everyone else how the document fares, and
`approval-results` brings back who holds each task, which tasks have waited long, and the
delegations (대결) that decide who holds a slot when a stage opens.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from dojang.approval.domain.document import ApprovalDocument, Comment
from dojang.approval.domain.line import ApproverSlot, LineStatus, Transition
from dojang.approval.service.unit_of_work import Outgoing
from dojang.kernel.bus.envelope import Event

REQUESTS_TOPIC = "approval-requests"
EVENTS_TOPIC = "approval-events"
RESULTS_TOPIC = "approval-results"

TASKS_OPENED = "approval.tasks_opened"
TASKS_CANCELLED = "approval.tasks_cancelled"
SLOTS_ANNOUNCED = "approval.slots_announced"
SUBMITTED = "approval.submitted"
RESUBMITTED = "approval.resubmitted"
YOUR_TURN = "approval.your_turn"
APPROVED = "approval.approved"
REJECTED = "approval.rejected"
WITHDRAWN = "approval.withdrawn"
COMMENTED = "approval.commented"
REMINDER = "approval.reminder"
TASKS_ASSIGNED = "approval.tasks_assigned"
TASKS_OVERDUE = "approval.tasks_overdue"
TASKS_PENDING = "approval.tasks_pending"
DECIDED = "approval.decided"
DELEGATION_GRANTED = "delegation.granted"
DELEGATION_REVOKED = "delegation.revoked"


class CancelReason(StrEnum):
    """Why open tasks are cancelled."""

    STAGE_COMPLETED = "stage_completed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    FINAL_APPROVAL = "final_approval"
    RECONCILED = "reconciled"  # processing held tasks of a version no longer in progress


def _event(event_type: str, document_id: str, data: dict[str, Any], at: datetime) -> Event:
    return Event(type=event_type, aggregate_id=document_id, data=data, occurred_at=at)


def _lifecycle(event_type: str, document: ApprovalDocument, at: datetime, **extra: Any) -> Outgoing:
    data: dict[str, Any] = {
        "approval_id": document.id,
        "version": document.version,
        "title": document.title,
        "form": document.form.value,
        "requester": document.requester.to_dict(),
        "fields": dict(document.fields),
        **extra,
    }
    return EVENTS_TOPIC, _event(event_type, document.id, data, at)


def tasks_opened(document: ApprovalDocument, stage_index: int, *, at: datetime) -> Outgoing:
    """Open a task for every approver of the newly active stage."""
    assert document.line is not None
    stage = document.line.stages[stage_index]
    data = {
        "approval_id": document.id,
        "version": document.version,
        "title": document.title,
        "form": document.form.value,
        "requester": document.requester.to_dict(),
        "stage_index": stage_index,
        "kind": stage.kind.value,
        "approvers": list(stage.approver_ids),
        "final_authority": list(stage.final_authority),
    }
    return REQUESTS_TOPIC, _event(TASKS_OPENED, document.id, data, at)


def slots_announced(document: ApprovalDocument, *, at: datetime) -> Outgoing:
    """The open slots of a document in progress, for approval-processing to compare its
    pending tasks with (`dojang reconcile`)."""
    assert document.line is not None
    stage_index = document.line.active_stage
    assert stage_index is not None
    stage = document.line.stages[stage_index]
    data = {
        "approval_id": document.id,
        "version": document.version,
        "stage_index": stage_index,
        "kind": stage.kind.value,
        "title": document.title,
        "form": document.form.value,
        "requester": document.requester.to_dict(),
        "approvers": document.line.open_approvers(),
        "final_authority": list(stage.final_authority),
    }
    return REQUESTS_TOPIC, _event(SLOTS_ANNOUNCED, document.id, data, at)


def tasks_cancelled(
    document_id: str,
    version: int,
    *,
    stage_index: int | None,
    approvers: Sequence[str] | None,
    reason: CancelReason,
    at: datetime,
) -> Outgoing:
    """Cancel these approvers' open tasks (None: every open task of the document)."""
    data = {
        "approval_id": document_id,
        "version": version,
        "stage_index": stage_index,
        "approvers": None if approvers is None else list(approvers),
        "reason": reason.value,
    }
    return REQUESTS_TOPIC, _event(TASKS_CANCELLED, document_id, data, at)


def decided(document_id: str, version: int, stage_index: int, slot: ApproverSlot) -> Outgoing:
    """An approver's slot was decided (by them or by its holder in their place)."""
    assert slot.decision is not None
    assert slot.decided_at is not None
    data = {
        "approval_id": document_id,
        "version": version,
        "stage_index": stage_index,
        "approver_id": slot.employee_id,
        "decided_by": slot.decided_by or slot.employee_id,
        "on_behalf_of": slot.on_behalf_of,
        "decision": slot.decision.value,
        "comment": slot.comment,
        "decided_at": slot.decided_at.isoformat(),
    }
    return REQUESTS_TOPIC, _event(DECIDED, document_id, data, slot.decided_at)


def task_changes(
    document: ApprovalDocument, transition: Transition, *, reason: CancelReason, at: datetime
) -> list[Outgoing]:
    """The `approval-requests` events of a transition: tasks it closed, then tasks it opened."""
    changes: list[Outgoing] = []
    cancelled_stages = sorted({task.stage_index for task in transition.cancelled})
    for stage_index in cancelled_stages:
        approvers = [t.employee_id for t in transition.cancelled if t.stage_index == stage_index]
        changes.append(
            tasks_cancelled(
                document.id,
                document.version,
                stage_index=stage_index,
                approvers=approvers,
                reason=reason,
                at=at,
            )
        )
    for stage_index in sorted({task.stage_index for task in transition.opened}):
        changes.append(tasks_opened(document, stage_index, at=at))
    return changes


def submitted(document: ApprovalDocument, *, at: datetime) -> Outgoing:
    """A document was submitted for the first time."""
    return _lifecycle(SUBMITTED, document, at, cc=document.cc_ids)


def resubmitted(document: ApprovalDocument, *, at: datetime) -> Outgoing:
    """A rejected or withdrawn document was submitted again as a new version."""
    return _lifecycle(RESUBMITTED, document, at, cc=document.cc_ids)


def your_turn(
    document: ApprovalDocument, stage_index: int, recipients: Sequence[str], *, at: datetime
) -> Outgoing:
    """These task holders of the active stage are to decide now."""
    return _to_holders(YOUR_TURN, document, stage_index, recipients, at=at)


def reminder(
    document: ApprovalDocument,
    stage_index: int,
    recipients: Sequence[str],
    *,
    waiting_since: datetime,
    at: datetime,
) -> Outgoing:
    """These task holders of the active stage have left the document waiting since then."""
    return _to_holders(
        REMINDER,
        document,
        stage_index,
        recipients,
        at=at,
        waiting_since=waiting_since.isoformat(),
    )


def _to_holders(
    event_type: str,
    document: ApprovalDocument,
    stage_index: int,
    recipients: Sequence[str],
    *,
    at: datetime,
    **extra: Any,
) -> Outgoing:
    assert document.line is not None
    return _lifecycle(
        event_type,
        document,
        at,
        stage_index=stage_index,
        kind=document.line.stages[stage_index].kind.value,
        recipients=list(recipients),
        **extra,
    )


def approved(document: ApprovalDocument, *, at: datetime) -> Outgoing:
    """The document was finally approved and numbered."""
    return _lifecycle(
        APPROVED,
        document,
        at,
        number=document.number,
        cc=document.cc_ids,
        completed_at=None if document.completed_at is None else document.completed_at.isoformat(),
    )


def rejected(
    document: ApprovalDocument,
    *,
    decided_by: str,
    on_behalf_of: str | None,
    reason: str | None,
    at: datetime,
) -> Outgoing:
    """An approver (or their delegate) rejected the document."""
    return _lifecycle(
        REJECTED,
        document,
        at,
        decided_by=decided_by,
        on_behalf_of=on_behalf_of,
        reason=reason,
        cc=document.cc_ids,
        completed_at=None if document.completed_at is None else document.completed_at.isoformat(),
    )


def withdrawn(document: ApprovalDocument, released: Sequence[str], *, at: datetime) -> Outgoing:
    """The requester withdrew the document; `released` held its open tasks."""
    return _lifecycle(WITHDRAWN, document, at, released=list(released))


def commented(document: ApprovalDocument, comment: Comment, *, at: datetime) -> Outgoing:
    """Someone commented on the document."""
    return _lifecycle(
        COMMENTED,
        document,
        at,
        comment_id=comment.id,
        author=comment.author.to_dict(),
        body=comment.body,
    )


def outcome_reason(transition: Transition, *, final: bool) -> CancelReason:
    """Why a decision's transition cancels the tasks it cancels."""
    if transition.outcome is LineStatus.REJECTED:
        return CancelReason.REJECTED
    if final:
        return CancelReason.FINAL_APPROVAL
    return CancelReason.STAGE_COMPLETED
