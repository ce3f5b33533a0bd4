"""Taking back an approval (결재 취소) while nobody after it has acted.

Like a decision, it is checked against the line, saved with the revision check and
published through the outbox in one transaction. A take-back racing the next approver's
decision both load revision r; one saves r+1, the other's save is stale and its retry on
the fresh document refuses (409: the approval was followed, or the slot is decided again).

Approval-processing learns of it twice over: the next stage's tasks are cancelled, and the
open slots are announced, which reopens the approver's decided task (docs/approval-line.md).
"""

from __future__ import annotations

from collections.abc import Callable

import structlog

from dojang.approval.domain.document import ApprovalDocument, Person
from dojang.approval.domain.errors import NoApprovalToTakeBack
from dojang.approval.domain.line import Transition
from dojang.approval.service import events
from dojang.approval.service.holders import SlotHolders
from dojang.approval.service.unit_of_work import ApprovalUnitOfWork, StaleDocument
from dojang.contracts.approval_requests import CancelReason
from dojang.kernel.auth.principal import Principal
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Conflict
from dojang.kernel.ports import OrgChart

log = structlog.get_logger(__name__)

UnitOfWorkFactory = Callable[[], ApprovalUnitOfWork]

# A take-back that lost a race is retried on the fresh document this many times in all.
TAKE_BACK_ATTEMPTS = 3


class TakeBackUseCases:
    """결재 취소: an approver takes back the approval they made."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        *,
        holders: SlotHolders,
        org: OrgChart,
        clock: Clock,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._holders = holders
        self._org = org
        self._clock = clock

    async def take_back(
        self, caller: Principal, document_id: str, on_behalf_of: str | None
    ) -> ApprovalDocument:
        """Take back the caller's approval; the document as it stands after it.

        403 if the caller made no approval to take back; 409 if the next approver acted or
        the document is finished; 422 if they approved for several people and name none.
        """
        for attempt in range(TAKE_BACK_ATTEMPTS):
            try:
                return await self._attempt(caller, document_id, on_behalf_of)
            except StaleDocument:
                if attempt == TAKE_BACK_ATTEMPTS - 1:
                    raise Conflict(
                        "The document was changed by someone else meanwhile; load it and try again."
                    ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(
        self, caller: Principal, document_id: str, on_behalf_of: str | None
    ) -> ApprovalDocument:
        async with self._unit_of_work() as uow:
            document = await uow.documents.get(document_id)
            if document is None:
                raise NoApprovalToTakeBack("You have no approval to take back on this document.")
            approver_id = document.approval_to_take_back(caller.user_id, on_behalf_of)
            now = self._clock.now()
            held_before = (
                {a: document.holder_of(a) for a in document.line.open_approvers()}
                if document.line
                else {}
            )
            transition = document.take_back(
                approver_id=approver_id, taken_by=caller.user_id, at=now
            )
            published = events.task_changes(
                document,
                Transition(cancelled=transition.cancelled),
                reason=CancelReason.TAKEN_BACK,
                at=now,
            )
            published.append(events.slots_announced(document, at=now))
            released = [held_before.get(t.employee_id, t.employee_id) for t in transition.cancelled]
            published.append(
                events.taken_back(
                    document,
                    taken_by=await self._person(caller.user_id),
                    approver_id=approver_id,
                    released=list(dict.fromkeys(released)),
                    at=now,
                )
            )
            published += await self._holders.open_stage(uow, document, transition, at=now)
            await uow.documents.save(document, published)
            await uow.commit()
        log.info(
            "approval_taken_back",
            approval_id=document_id,
            approver_id=approver_id,
            taken_by=caller.user_id,
            stage_index=transition.opened[0].stage_index,
        )
        return document

    async def _person(self, employee_id: str) -> Person:
        view = (await self._org.get_employees([employee_id])).get(employee_id)
        return Person(employee_id, employee_id if view is None else view.name)
