"""The `approval` consumer of `approval-results`: who holds each slot, reminders, delegations.

approval-processing owns who holds each open slot and says so (`approval.tasks_assigned`,
each task with its revision, so a late report never undoes a newer one); it says which
tasks have waited long (`approval.tasks_overdue`), and it announces every delegation (대결)
granted or revoked, which this service keeps to know a slot's holder the moment a stage
opens. When reconciling, it reports the versions it holds pending tasks of
(`approval.tasks_pending`), and this service cancels those no longer in progress.
Decisions are not here: they are taken synchronously (`service/decisions.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import structlog
from pydantic import ValidationError

from dojang.approval.domain.delegations import KnownDelegation
from dojang.approval.domain.document import ApprovalDocument, TaskHolder
from dojang.approval.service import events
from dojang.approval.service.reconcile import answer_tasks_pending
from dojang.approval.service.unit_of_work import ApprovalUnitOfWork
from dojang.contracts import approval_results
from dojang.contracts.approval_results import (
    DelegationGranted,
    DelegationRevoked,
    TaskHolding,
    TasksAssigned,
    TasksOverdue,
    TasksPending,
)
from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import Clock

log = structlog.get_logger(__name__)

CONSUMER_GROUP = "approval"


class UnusableResult(ValueError):
    """A result whose payload cannot be applied (it goes to the dead letters)."""


class ApprovalResultsHandler:
    """Applies `approval-results` to documents, in the consumer's unit of work."""

    def __init__(self, *, clock: Clock) -> None:
        self._clock = clock

    async def __call__(self, event: Event, uow: ApprovalUnitOfWork) -> None:
        """Apply one result; other event types are none of this consumer's business."""
        if event.type == approval_results.TASKS_ASSIGNED:
            await self._tasks_assigned(_parse(TasksAssigned, event), uow)
        elif event.type == approval_results.DELEGATION_GRANTED:
            await self._delegation_changed(DelegationGranted, event, uow)
        elif event.type == approval_results.DELEGATION_REVOKED:
            await self._delegation_changed(DelegationRevoked, event, uow)
        elif event.type == approval_results.TASKS_OVERDUE:
            await self._tasks_overdue(_parse(TasksOverdue, event), uow)
        elif event.type == approval_results.TASKS_PENDING:
            await answer_tasks_pending(_parse(TasksPending, event), uow, clock=self._clock)

    async def _tasks_assigned(self, data: TasksAssigned, uow: ApprovalUnitOfWork) -> None:
        document = await _document(uow, data.approval_id)
        now = self._clock.now()
        before = dict(document.holders)
        newcomers = document.assign_tasks(
            version=data.version,
            stage_index=data.stage_index,
            tasks=_holders(data.tasks),
            at=now,
        )
        if document.holders == before:
            log.info(
                "stale_task_assignment",
                approval_id=document.id,
                version=data.version,
                stage_index=data.stage_index,
            )
            return
        told = (
            [events.your_turn(document, data.stage_index, newcomers, at=now)] if newcomers else []
        )
        await uow.documents.save(document, told)

    async def _tasks_overdue(self, data: TasksOverdue, uow: ApprovalUnitOfWork) -> None:
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

    @staticmethod
    async def _delegation_changed(
        model: type[DelegationGranted | DelegationRevoked], event: Event, uow: ApprovalUnitOfWork
    ) -> None:
        try:
            data = model.model_validate(event.data).delegation
        except ValidationError as exc:
            raise UnusableResult(f"{event.type} with an unusable payload: {exc}") from exc
        if data.delegator_id != event.aggregate_id:
            raise UnusableResult(f"{event.type} keyed {event.aggregate_id} is not the delegator's")
        await uow.delegations.put(KnownDelegation(**data.model_dump()))


def _holders(tasks: Sequence[TaskHolding]) -> list[TaskHolder]:
    return [
        TaskHolder(
            approver_id=task.approver_id,
            task_id=task.task_id,
            assignee_id=task.assignee_id,
            on_behalf_of=task.on_behalf_of,
            revision=task.revision,
        )
        for task in tasks
    ]


_Payload = TypeVar("_Payload", TasksAssigned, TasksOverdue, TasksPending)


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
