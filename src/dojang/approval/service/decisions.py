"""Deciding (결재): approve or reject, accepted or refused by the service that owns the line.

A decision is checked against the document's record of who holds each open slot, applied
to the line, saved with the revision check and published through the outbox in one
transaction. The answer is the truth: a 200 decision is on the line and nothing overrules
it later. Two people deciding one `any` stage at once both load revision r; one saves r+1,
the other's save is stale, is retried on the fresh document and hears 409.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy.exc import IntegrityError

from dojang.approval.domain.document import ApprovalDocument
from dojang.approval.domain.errors import NoOpenSlot
from dojang.approval.domain.line import Decision, LineStatus
from dojang.approval.domain.numbering import document_number, numbering_year
from dojang.approval.service import events
from dojang.approval.service.holders import SlotHolders
from dojang.approval.service.metrics import count_transition
from dojang.approval.service.unit_of_work import ApprovalUnitOfWork, StaleDocument
from dojang.kernel.auth.principal import Principal
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Conflict, InvalidInput

log = structlog.get_logger(__name__)

UnitOfWorkFactory = Callable[[], ApprovalUnitOfWork]

# A decision that lost a race with another writer is retried on the fresh document this
# many times in all; the retry then finds the slot decided or the stage closed (409).
DECIDE_ATTEMPTS = 3


@dataclass(frozen=True)
class DecisionRequest:
    """What the caller asks: approve (with `final` as 전결) or reject, on which slot."""

    decision: Decision
    comment: str | None = None
    final: bool = False
    on_behalf_of: str | None = None
    idempotency_key: str | None = None

    def fingerprint(self, document_id: str) -> str:
        """What a retry with the same `Idempotency-Key` must ask again."""
        return f"{document_id}:{self.decision.value}"


class DecisionUseCases:
    """Approve and reject, synchronously, on the document's own line."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        *,
        holders: SlotHolders,
        clock: Clock,
        zone: ZoneInfo,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._holders = holders
        self._clock = clock
        self._zone = zone

    async def decide(
        self, caller: Principal, document_id: str, request: DecisionRequest
    ) -> ApprovalDocument:
        """Apply the caller's decision; the document as it stands after it.

        403 if the caller holds no open slot of the active stage (or names one they do
        not hold, or asks for 전결 without the authority); 409 if their slot is decided
        or no longer open; 422 if they hold several slots and name none. With an
        `Idempotency-Key`, a retry answers the first answer again.
        """
        for attempt in range(DECIDE_ATTEMPTS):
            try:
                return await self._attempt(caller, document_id, request)
            except StaleDocument:
                if attempt == DECIDE_ATTEMPTS - 1:
                    raise Conflict(
                        "The document was changed by someone else meanwhile; load it and try again."
                    ) from None
            except IntegrityError:
                # Two retries with one key at once: the second to commit finds the first's
                # answer remembered on its next attempt.
                if request.idempotency_key is None or attempt == DECIDE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(
        self, caller: Principal, document_id: str, request: DecisionRequest
    ) -> ApprovalDocument:
        async with self._unit_of_work() as uow:
            # The document before the answer: an answer is written with its document, so
            # one that lands between the two reads is seen by the second. The other way
            # round, a retry reading while its first attempt lands heard "already decided".
            document = await uow.documents.get(document_id)
            remembered = await self._remembered(uow, caller, document_id, request)
            if remembered is not None:
                return remembered
            if document is None:
                # the same answer as for an outsider: nobody learns which ids exist
                raise NoOpenSlot("You have no approval to decide on this document.")
            approver_id = document.slot_to_decide(caller.user_id, request.on_behalf_of)
            now = self._clock.now()
            version = document.version
            transition = document.decide(
                approver_id=approver_id,
                decided_by=caller.user_id,
                decision=request.decision,
                at=now,
                comment=request.comment,
                final=request.final,
            )
            assert transition.decided is not None
            assert document.line is not None
            stage_index = transition.decided.stage_index
            slot = next(
                s
                for s in document.line.stages[stage_index].approvers
                if s.employee_id == approver_id
            )
            published = [events.decided(document.id, version, stage_index, slot)]
            if slot.decided_by is not None and slot.decided_by != slot.employee_id:
                decider = await self._holders.person(slot.decided_by)
                published.append(
                    events.decided_for_you(document, stage_index, slot, decider, at=now)
                )
            published += events.task_changes(
                document,
                transition,
                reason=events.outcome_reason(transition, final=request.final),
                at=now,
            )
            if transition.opened and document.has_taken_back():
                # the stage opened before in this version, and its tasks were cancelled
                # when the approval before it was taken back: announcing reopens them
                published.append(events.slots_announced(document, at=now))
            published += await self._holders.open_stage(uow, document, transition, at=now)
            if transition.outcome is LineStatus.APPROVED:
                await self._number(document, uow)
                published.append(events.approved(document, at=now))
            elif transition.outcome is LineStatus.REJECTED:
                published.append(
                    events.rejected(
                        document,
                        decided_by=caller.user_id,
                        on_behalf_of=slot.on_behalf_of,
                        reason=request.comment,
                        at=now,
                    )
                )
            await uow.documents.save(document, published)
            if request.idempotency_key is not None:
                await uow.answers.remember(
                    caller.user_id,
                    request.idempotency_key,
                    request.fingerprint(document_id),
                    document,
                    now,
                )
            await uow.commit()
        if transition.outcome is not None:
            count_transition(document)
        log.info(
            "approval_decided",
            approval_id=document_id,
            decision=request.decision.value,
            decided_by=caller.user_id,
            on_behalf_of=slot.on_behalf_of,
            final=request.final,
            outcome=None if transition.outcome is None else transition.outcome.value,
        )
        return document

    @staticmethod
    async def _remembered(
        uow: ApprovalUnitOfWork, caller: Principal, document_id: str, request: DecisionRequest
    ) -> ApprovalDocument | None:
        if request.idempotency_key is None:
            return None
        answer = await uow.answers.get(caller.user_id, request.idempotency_key)
        if answer is None:
            return None
        if answer.request != request.fingerprint(document_id):
            raise InvalidInput.field(
                "Idempotency-Key", "was already used for another request; use a new key"
            )
        return ApprovalDocument.from_dict(answer.document, revision=answer.revision)

    async def _number(self, document: ApprovalDocument, uow: ApprovalUnitOfWork) -> None:
        assert document.completed_at is not None
        year = numbering_year(document.completed_at, self._zone)
        sequence = await uow.numbers.next(document.form, year, document_id=document.id)
        document.assign_number(
            document_number(document.form, year, sequence), at=document.completed_at
        )
