"""Holding a leave document's days in the employee service's ledger while it is submitted.

The employee service is the one authority on leave balances: it checks and holds the days
(`LeaveLedger.reserve`), and its consumer of `approval-events` confirms, consumes or releases
the hold as the document goes on. This service only asks, synchronously, with a timeout.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import TypeVar

import structlog

from dojang.approval.domain.document import ApprovalDocument
from dojang.approval.domain.forms import FormCode, LeaveRequest, json_number
from dojang.kernel.calls import within
from dojang.kernel.errors import FieldError, InvalidInput, ServiceUnavailable
from dojang.kernel.i18n import msg
from dojang.kernel.ports import LeaveFigures, LeaveHold, LeaveLedger, leave_reservation_id

log = structlog.get_logger(__name__)

T = TypeVar("T")


class InsufficientLeave(InvalidInput):
    """A leave request asks for more days than the year has available."""


class LeaveLedgerUnavailable(ServiceUnavailable):
    """The employee service did not answer a leave reservation in time."""


def refusal(days: Decimal, figures: LeaveFigures) -> InsufficientLeave:
    """422 on `fields.days`, with the figures of the ledger that refused the request."""
    available = json_number(max(Decimal(str(figures.available)), Decimal(0)))
    message = msg(
        "only {available} days of leave are available in {year} "
        "(granted {granted}, used {used}, pending {pending}); {requested} requested",
        available=available,
        year=figures.year,
        granted=json_number(Decimal(str(figures.granted))),
        used=json_number(Decimal(str(figures.used))),
        pending=json_number(Decimal(str(figures.pending))),
        requested=json_number(days),
    )
    return InsufficientLeave(
        message.template, errors=[FieldError.of("fields.days", message)], **message.params
    )


def overlap_refusal(document_id: str) -> InvalidInput:
    """422 on `fields.start_date`: another leave document of the requester holds a day."""
    message = f"overlaps leave already requested in document {document_id}"
    return InvalidInput(
        "The leave overlaps leave already requested.",
        errors=[FieldError("fields.start_date", message)],
    )


class LeaveReservations:
    """The `LeaveLedger` as submission uses it: one hold per version of a leave document."""

    def __init__(self, ledger: LeaveLedger, *, timeout: float) -> None:
        self._ledger = ledger
        self._timeout = timeout

    @asynccontextmanager
    async def held(self, document: ApprovalDocument) -> AsyncIterator[None]:
        """Hold the days of a leave document's current version for the block (other forms
        pass through).

        Refused: 422 on `fields.days`. No answer in time: 503. If the block fails (the
        document is not stored), the hold is let go; should that fail too, the unconfirmed
        hold lapses on its own.
        """
        if document.form is not FormCode.LEAVE:
            yield
            return
        request = LeaveRequest.of(document.fields)
        hold = LeaveHold(
            reservation_id=leave_reservation_id(document.id, document.version),
            employee_id=document.requester.id,
            year=request.year,
            days=float(request.days),
            document_id=document.id,
            version=document.version,
            start_date=request.start_date,
            end_date=request.end_date,
        )
        try:
            answer = await self._answered(self._ledger.reserve(hold))
        except LeaveLedgerUnavailable:
            await self._let_go(hold.reservation_id)  # it may have been held all the same
            raise
        if answer.overlapping_document_id is not None:
            raise overlap_refusal(answer.overlapping_document_id)
        if not answer.accepted:
            raise refusal(request.days, answer.figures)
        try:
            yield
        except Exception:
            await self._let_go(hold.reservation_id)
            raise

    async def _answered(self, call: Awaitable[T]) -> T:
        return await within(
            self._timeout,
            call,
            unavailable="The leave ledger did not answer in time; try again in a moment.",
            error=LeaveLedgerUnavailable,
        )

    async def _let_go(self, reservation_id: str) -> None:
        try:
            await self._answered(self._ledger.release(reservation_id))
        except Exception as exc:  # the hold lapses unconfirmed: nothing more to do here
            log.warning("leave_release_failed", reservation_id=reservation_id, error=repr(exc))
