"""The `approval` consumer of `approval-results`: task holders and decisions come back.

approval-processing says who holds each task (`approval.tasks_assigned`), what an approver
decided (`approval.decided`), and which tasks have waited long (`approval.tasks_overdue`).
This service is the authority on the document: it applies a decision to the line, or
overrules it with a cancellation when the document has moved on, and it asks for reminders
only of tasks that still wait.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from zoneinfo import ZoneInfo

import structlog
from pydantic import AwareDatetime, BaseModel, ValidationError

from dojang.approval.domain.document import (
    ApprovalDocument,
    DecisionAlreadyApplied,
    DecisionOverruled,
    TaskHolder,
)
from dojang.approval.domain.line import Decision, LineStatus
from dojang.approval.domain.numbering import document_number, numbering_year
from dojang.approval.service import events
from dojang.approval.service.unit_of_work import ApprovalUnitOfWork
from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import Clock

log = structlog.get_logger(__name__)

CONSUMER_GROUP = "approval"


class UnusableResult(ValueError):
    """A result whose payload cannot be applied (it goes to the dead letters)."""


class _Assignment(BaseModel):
    task_id: str
    approver_id: str
    assignee_id: str
    on_behalf_of: str | None = None


class _TasksAssigned(BaseModel):
    approval_id: str
    version: int
    stage_index: int
    tasks: list[_Assignment]


class _Overdue(_Assignment):
    waiting_since: AwareDatetime


class _TasksOverdue(BaseModel):
    approval_id: str
    version: int
    stage_index: int
    tasks: list[_Overdue]


class _Decided(BaseModel):
    approval_id: str
    version: int
    task_id: str | None = None
    stage_index: int
    approver_id: str
    decided_by: str | None = None
    on_behalf_of: str | None = None
    decision: Decision
    comment: str | None = None
    final: bool = False
    decided_at: AwareDatetime


class ApprovalResultsHandler:
    """Applies `approval-results` to documents, in the consumer's unit of work."""

    def __init__(self, *, clock: Clock, zone: ZoneInfo) -> None:
        self._clock = clock
        self._zone = zone

    async def __call__(self, event: Event, uow: ApprovalUnitOfWork) -> None:
        """Apply one result; other event types are none of this consumer's business."""
        if event.type == events.TASKS_ASSIGNED:
            await self._tasks_assigned(_parse(_TasksAssigned, event), uow)
        elif event.type == events.DECIDED:
            await self._decided(_parse(_Decided, event), uow)
        elif event.type == events.TASKS_OVERDUE:
            await self._tasks_overdue(_parse(_TasksOverdue, event), uow)

    async def _tasks_assigned(self, data: _TasksAssigned, uow: ApprovalUnitOfWork) -> None:
        document = await _document(uow, data.approval_id)
        now = self._clock.now()
        recipients = document.assign_tasks(
            version=data.version,
            stage_index=data.stage_index,
            tasks=_holders(data.tasks),
            at=now,
        )
        if not recipients:
            log.info(
                "stale_task_assignment",
                approval_id=document.id,
                version=data.version,
                stage_index=data.stage_index,
            )
            return
        await uow.documents.save(
            document, [events.your_turn(document, data.stage_index, recipients, at=now)]
        )

    async def _tasks_overdue(self, data: _TasksOverdue, uow: ApprovalUnitOfWork) -> None:
        document = await _document(uow, data.approval_id)
        recipients = document.holders_still_waiting(
            version=data.version, stage_index=data.stage_index, tasks=_holders(data.tasks)
        )
        if not recipients:
            return  # decided, cancelled or moved on since: nobody is to be reminded
        waiting_since = min(task.waiting_since for task in data.tasks)
        reminder = events.reminder(
            document,
            data.stage_index,
            recipients,
            waiting_since=waiting_since,
            at=self._clock.now(),
        )
        await uow.documents.save(document, [reminder])

    async def _decided(self, data: _Decided, uow: ApprovalUnitOfWork) -> None:
        document = await _document(uow, data.approval_id)
        now = self._clock.now()
        decided_by = data.decided_by or data.approver_id
        try:
            transition = document.decide(
                version=data.version,
                stage_index=data.stage_index,
                approver_id=data.approver_id,
                decision=data.decision,
                at=data.decided_at,
                comment=data.comment,
                final=data.final,
                decided_by=decided_by,
            )
        except DecisionAlreadyApplied:
            return
        except DecisionOverruled as exc:
            log.info(
                "decision_overruled",
                approval_id=document.id,
                approver_id=data.approver_id,
                reason=str(exc),
            )
            cancel = events.tasks_cancelled(
                document.id,
                data.version,
                stage_index=data.stage_index,
                approvers=[data.approver_id],
                reason=events.CancelReason.OVERRULED,
                at=now,
            )
            await uow.documents.save(document, [cancel])
            return
        published = events.task_changes(
            document,
            transition,
            reason=events.outcome_reason(transition, final=data.final),
            at=now,
        )
        if transition.outcome is LineStatus.APPROVED:
            await self._number(document, uow)
            published.append(events.approved(document, at=now))
        elif transition.outcome is LineStatus.REJECTED:
            published.append(
                events.rejected(
                    document,
                    decided_by=decided_by,
                    on_behalf_of=data.approver_id if decided_by != data.approver_id else None,
                    reason=data.comment,
                    at=now,
                )
            )
        await uow.documents.save(document, published)

    async def _number(self, document: ApprovalDocument, uow: ApprovalUnitOfWork) -> None:
        assert document.completed_at is not None
        year = numbering_year(document.completed_at, self._zone)
        sequence = await uow.numbers.next(document.form, year)
        document.assign_number(
            document_number(document.form, year, sequence), at=document.completed_at
        )


def _holders(tasks: Sequence[_Assignment]) -> list[TaskHolder]:
    return [
        TaskHolder(
            approver_id=task.approver_id,
            task_id=task.task_id,
            assignee_id=task.assignee_id,
            on_behalf_of=task.on_behalf_of,
        )
        for task in tasks
    ]


_Payload = TypeVar("_Payload", _TasksAssigned, _TasksOverdue, _Decided)


def _parse(model: type[_Payload], event: Event) -> _Payload:
    try:
        payload = model.model_validate(event.data)
    except ValidationError as exc:
        raise UnusableResult(f"{event.type} with an unusable payload: {exc}") from exc
    if payload.approval_id != event.aggregate_id:
        raise UnusableResult(
            f"{event.type} keyed {event.aggregate_id} is about {payload.approval_id}"
        )
    return payload


async def _document(uow: ApprovalUnitOfWork, document_id: str) -> ApprovalDocument:
    document = await uow.documents.get(document_id)
    if document is None:
        raise UnusableResult(f"there is no approval document {document_id}")
    return document
