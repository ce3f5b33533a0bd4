"""The events the approval-request service publishes and consumes, keyed by the document id.

Each is built from its model in `dojang.contracts` (docs/events.md): `approval-requests`
tells approval-processing which tasks to open, decide or cancel, `approval-events` tells
everyone else how the document fares, and `approval-results` brings back who holds each task,
which tasks have waited long, and the delegations (대결) that decide who holds a slot when a
stage opens.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from dojang.approval.domain.document import ApprovalDocument, Comment, Person
from dojang.approval.domain.line import ApproverSlot, LineStatus, Transition
from dojang.approval.service.unit_of_work import Outgoing
from dojang.contracts import approval_events, approval_requests, approval_results
from dojang.contracts.approval_requests import CancelReason

REQUESTS_TOPIC = approval_requests.TOPIC
EVENTS_TOPIC = approval_events.TOPIC
RESULTS_TOPIC = approval_results.TOPIC


def _about(document: ApprovalDocument) -> dict[str, Any]:
    """What every `approval-events` event says about its document."""
    return {
        "approval_id": document.id,
        "version": document.version,
        "title": document.title,
        "form": document.form.value,
        "requester": document.requester.to_dict(),
        "fields": dict(document.fields),
    }


def _lifecycle(data: approval_events.ApprovalEvent, at: datetime) -> Outgoing:
    return EVENTS_TOPIC, data.to_event(data.approval_id, at=at)


def tasks_opened(document: ApprovalDocument, stage_index: int, *, at: datetime) -> Outgoing:
    """Open a task for every approver of the newly active stage."""
    assert document.line is not None
    stage = document.line.stages[stage_index]
    data = approval_requests.TasksOpened(
        approval_id=document.id,
        version=document.version,
        title=document.title,
        form=document.form.value,
        requester=document.requester.to_dict(),
        stage_index=stage_index,
        kind=stage.kind.value,
        approvers=list(stage.approver_ids),
        final_authority=list(stage.final_authority),
    )
    return REQUESTS_TOPIC, data.to_event(document.id, at=at)


def slots_announced(document: ApprovalDocument, *, at: datetime) -> Outgoing:
    """The open slots of a document in progress, for approval-processing to compare its
    pending tasks with (`dojang reconcile`)."""
    assert document.line is not None
    stage_index = document.line.active_stage
    assert stage_index is not None
    stage = document.line.stages[stage_index]
    data = approval_requests.SlotsAnnounced(
        approval_id=document.id,
        version=document.version,
        stage_index=stage_index,
        kind=stage.kind.value,
        title=document.title,
        form=document.form.value,
        requester=document.requester.to_dict(),
        approvers=document.line.open_approvers(),
        final_authority=list(stage.final_authority),
    )
    return REQUESTS_TOPIC, data.to_event(document.id, at=at)


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
    data = approval_requests.TasksCancelled(
        approval_id=document_id,
        version=version,
        stage_index=stage_index,
        approvers=None if approvers is None else list(approvers),
        reason=reason,
    )
    return REQUESTS_TOPIC, data.to_event(document_id, at=at)


def decided(document_id: str, version: int, stage_index: int, slot: ApproverSlot) -> Outgoing:
    """An approver's slot was decided (by them or by its holder in their place)."""
    assert slot.decision is not None
    assert slot.decided_at is not None
    data = approval_requests.Decided(
        approval_id=document_id,
        version=version,
        stage_index=stage_index,
        approver_id=slot.employee_id,
        decided_by=slot.decided_by or slot.employee_id,
        on_behalf_of=slot.on_behalf_of,
        decision=slot.decision.value,
        comment=slot.comment,
        decided_at=slot.decided_at,
    )
    return REQUESTS_TOPIC, data.to_event(document_id, at=slot.decided_at)


def decided_for_you(
    document: ApprovalDocument,
    stage_index: int,
    slot: ApproverSlot,
    decider: Person,
    *,
    at: datetime,
) -> Outgoing:
    """`decider` decided the slot of `slot.employee_id`, who is to be told."""
    assert slot.decision is not None
    data = approval_events.DecidedForYou(
        **_about(document),
        stage_index=stage_index,
        approver_id=slot.employee_id,
        decided_by=decider.to_dict(),
        decision=slot.decision.value,
    )
    return _lifecycle(data, at)


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
    return _lifecycle(approval_events.Submitted(**_about(document), cc=document.cc_ids), at)


def resubmitted(document: ApprovalDocument, *, at: datetime) -> Outgoing:
    """A rejected or withdrawn document was submitted again as a new version."""
    return _lifecycle(approval_events.Resubmitted(**_about(document), cc=document.cc_ids), at)


def your_turn(
    document: ApprovalDocument, stage_index: int, recipients: Sequence[str], *, at: datetime
) -> Outgoing:
    """These task holders of the active stage are to decide now."""
    data = approval_events.YourTurn(
        **_about(document),
        stage_index=stage_index,
        kind=_kind_of(document, stage_index),
        recipients=list(recipients),
    )
    return _lifecycle(data, at)


def reminder(
    document: ApprovalDocument,
    stage_index: int,
    recipients: Sequence[str],
    *,
    waiting_since: datetime,
    at: datetime,
) -> Outgoing:
    """These task holders of the active stage have left the document waiting since then."""
    data = approval_events.Reminder(
        **_about(document),
        stage_index=stage_index,
        kind=_kind_of(document, stage_index),
        recipients=list(recipients),
        waiting_since=waiting_since,
    )
    return _lifecycle(data, at)


def _kind_of(document: ApprovalDocument, stage_index: int) -> str:
    assert document.line is not None
    return document.line.stages[stage_index].kind.value


def approved(document: ApprovalDocument, *, at: datetime) -> Outgoing:
    """The document was finally approved and numbered."""
    data = approval_events.Approved(
        **_about(document),
        number=document.number,
        cc=document.cc_ids,
        completed_at=document.completed_at,
    )
    return _lifecycle(data, at)


def rejected(
    document: ApprovalDocument,
    *,
    decided_by: str,
    on_behalf_of: str | None,
    reason: str | None,
    at: datetime,
) -> Outgoing:
    """An approver (or their delegate) rejected the document."""
    data = approval_events.Rejected(
        **_about(document),
        decided_by=decided_by,
        on_behalf_of=on_behalf_of,
        reason=reason,
        cc=document.cc_ids,
        completed_at=document.completed_at,
    )
    return _lifecycle(data, at)


def withdrawn(document: ApprovalDocument, released: Sequence[str], *, at: datetime) -> Outgoing:
    """The requester withdrew the document; `released` held its open tasks."""
    return _lifecycle(approval_events.Withdrawn(**_about(document), released=list(released)), at)


def taken_back(
    document: ApprovalDocument,
    *,
    taken_by: Person,
    approver_id: str,
    released: Sequence[str],
    at: datetime,
) -> Outgoing:
    """An approver took back their approval (결재 취소); `released` held the tasks it cancelled."""
    data = approval_events.TakenBack(
        **_about(document),
        taken_by=taken_by.to_dict(),
        approver_id=approver_id,
        released=list(released),
    )
    return _lifecycle(data, at)


def commented(document: ApprovalDocument, comment: Comment, *, at: datetime) -> Outgoing:
    """Someone commented on the document."""
    data = approval_events.Commented(
        **_about(document),
        comment_id=comment.id,
        author=comment.author.to_dict(),
        body=comment.body,
    )
    return _lifecycle(data, at)


def outcome_reason(transition: Transition, *, final: bool) -> CancelReason:
    """Why a decision's transition cancels the tasks it cancels."""
    if transition.outcome is LineStatus.REJECTED:
        return CancelReason.REJECTED
    if final:
        return CancelReason.FINAL_APPROVAL
    return CancelReason.STAGE_COMPLETED
