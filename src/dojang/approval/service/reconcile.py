"""Reconciliation, approval-request's part: it owns the lines, so it announces the open slots
of every document in progress, and answers approval-processing's report of pending tasks.

Both go through events on the topics that already carry each document's changes, in order:
an announcement is saved with the document (compare-and-set on its revision), so it follows
every change it did not see, and approval-processing applies it after them.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog

from dojang.approval.domain.document import DocumentStatus
from dojang.approval.service import events
from dojang.approval.service.unit_of_work import ApprovalUnitOfWork, StaleDocument
from dojang.contracts.approval_requests import CancelReason
from dojang.contracts.approval_results import TasksPending
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Conflict

log = structlog.get_logger(__name__)

UnitOfWorkFactory = Callable[[], ApprovalUnitOfWork]

_PAGE = 200
_SAVE_ATTEMPTS = 5


class SlotAnnouncements:
    """Announces the open slots of documents in progress (`approval.slots_announced`)."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, *, clock: Clock) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    async def announce_all(self) -> int:
        """Announce the open slots of every document in progress; returns how many."""
        announced = 0
        after: str | None = None
        while True:
            async with self._unit_of_work() as uow:
                page = await uow.documents.ids_in_progress(after=after, limit=_PAGE)
            if not page:
                return announced
            for document_id in page:
                announced += await self._announce(document_id)
            after = page[-1]

    async def _announce(self, document_id: str) -> int:
        """Announce one document's open slots, saved with it; 0 if it is no longer in
        progress. A document saved by someone else meanwhile is read again: the announcement
        then describes the line after that change, and follows its events."""
        for _ in range(_SAVE_ATTEMPTS):
            try:
                async with self._unit_of_work() as uow:
                    document = await uow.documents.get(document_id)
                    if (
                        document is None
                        or document.status is not DocumentStatus.IN_PROGRESS
                        or document.line is None
                        or document.line.active_stage is None
                    ):
                        return 0  # completed or withdrawn since it was listed
                    announcement = events.slots_announced(document, at=self._clock.now())
                    await uow.documents.save(document, [announcement])
                    await uow.commit()
                    return 1
            except StaleDocument:
                continue
        raise Conflict(
            "approval document {document_id} kept changing; reconcile again.",
            document_id=document_id,
        )


async def answer_tasks_pending(
    data: TasksPending, uow: ApprovalUnitOfWork, *, clock: Clock
) -> None:
    """Cancel the tasks approval-processing holds of a version that is no longer in
    progress; a version in progress is left to the slots announced for it."""
    document = await uow.documents.get(data.approval_id)
    if document is None:
        log.warning("pending_tasks_of_unknown_document", approval_id=data.approval_id)
        return
    if document.status is DocumentStatus.IN_PROGRESS and document.version == data.version:
        return
    cancel = events.tasks_cancelled(
        document.id,
        data.version,
        stage_index=None,
        approvers=None,
        reason=CancelReason.RECONCILED,
        at=clock.now(),
    )
    await uow.documents.save(document, [cancel])
    log.info(
        "stale_tasks_cancelled",
        approval_id=document.id,
        version=data.version,
        status=document.status.value,
        current_version=document.version,
    )
