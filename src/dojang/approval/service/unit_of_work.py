"""What the use cases need from storage: the document repository, numbering, a unit of work.

The repository loads and saves a document whole, checked against the revision it was loaded
at, and stores the events a change causes together with the document: in SQL the outbox rows
of the same transaction, in MongoDB the pending events inside the same document update.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from dojang.approval.domain.delegations import KnownDelegation
from dojang.approval.domain.document import ApprovalDocument, DocumentStatus
from dojang.approval.domain.forms import FormCode
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.unit_of_work import TransactionalUnitOfWork
from dojang.kernel.errors import TransientError

# An event and the topic it goes to.
Outgoing = tuple[str, Event]


class StaleDocument(TransientError):
    """The document was saved by someone else after it was loaded; load it again and retry."""


class Box(StrEnum):
    """The lists of `GET /api/approvals` (결재함)."""

    DRAFTS = "drafts"  # the caller's drafts
    SUBMITTED = "submitted"  # the caller's documents past the draft stage
    INBOX = "inbox"  # in progress, and the caller holds an open task
    COMPLETED = "completed"  # approved, requested by the caller or with them in the line
    REJECTED = "rejected"  # rejected, likewise
    CC = "cc"  # the caller is in cc


@dataclass(frozen=True)
class DocumentQuery:
    """Which documents a caller lists; without a box, every one they are involved in."""

    viewer_id: str
    box: Box | None = None
    form: FormCode | None = None
    status: DocumentStatus | None = None
    text: str | None = None


class DocumentRepository(Protocol):
    """Approval documents, loaded and saved whole."""

    async def get(self, document_id: str) -> ApprovalDocument | None:
        """The document with this id, if any, at its stored revision."""
        ...

    async def add(self, document: ApprovalDocument, events: Sequence[Outgoing]) -> None:
        """Store a new document and the events its creation causes."""
        ...

    async def save(self, document: ApprovalDocument, events: Sequence[Outgoing]) -> None:
        """Store a changed document and its events; `StaleDocument` if saved meanwhile."""
        ...

    async def search(
        self, query: DocumentQuery, *, before: str | None, limit: int
    ) -> list[ApprovalDocument]:
        """Up to `limit` documents matching `query`, newest first, older than `before`."""
        ...

    async def ids_in_progress(self, *, after: str | None, limit: int) -> list[str]:
        """Up to `limit` ids of documents in progress, in id order, above `after`."""
        ...


class DelegationCopies(Protocol):
    """This service's copy of approval-processing's delegations (대결)."""

    async def active_of(
        self, delegator_ids: Collection[str], at: datetime
    ) -> dict[str, KnownDelegation]:
        """The delegations of these delegators active at `at`, by delegator."""
        ...

    async def put(self, delegation: KnownDelegation) -> None:
        """Store a granted or revoked delegation, replacing what was known of it."""
        ...


@dataclass(frozen=True)
class RememberedAnswer:
    """The first answer to a decision sent with an `Idempotency-Key`."""

    request: str
    document: Mapping[str, Any]
    revision: int


class DecisionAnswers(Protocol):
    """First answers to decisions, by caller and `Idempotency-Key`."""

    async def get(self, caller_id: str, key: str) -> RememberedAnswer | None:
        """The answer remembered for this caller's key, if any."""
        ...

    async def remember(
        self, caller_id: str, key: str, request: str, document: ApprovalDocument, at: datetime
    ) -> None:
        """Remember the document as the answer to this caller's key, in this transaction."""
        ...


class NumberSequence(Protocol):
    """Gapless counters of approved documents, one per form and year."""

    async def next(self, form: FormCode, year: int, *, document_id: str) -> int:
        """The next number of `form` in `year` for the document being approved, taken in
        this unit of work; a retried approval of the same document may get the same one."""
        ...


class ApprovalUnitOfWork(TransactionalUnitOfWork, Protocol):
    """One transaction on the approval store, with the events it causes."""

    @property
    def documents(self) -> DocumentRepository: ...

    @property
    def numbers(self) -> NumberSequence: ...

    @property
    def delegations(self) -> DelegationCopies: ...

    @property
    def answers(self) -> DecisionAnswers: ...

    async def commit(self) -> None:
        """Commit documents, counters and events together."""
        ...

    async def already_processed(self, group: str, event_id: str) -> bool:
        """Whether `group` has already applied the event with this id."""
        ...

    async def mark_processed(self, group: str, event: Event, note: str | None = None) -> None:
        """Record, in this transaction, that `group` applied the event."""
        ...

    async def processed_among(self, group: str, event_ids: Sequence[str]) -> set[str]:
        """Which of these events `group` has already applied."""
        ...

    async def mark_all_processed(
        self, group: str, events: Sequence[Event], note: str | None = None
    ) -> None:
        """Record, in this transaction, that `group` applied these events."""
        ...
