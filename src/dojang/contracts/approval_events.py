"""`approval-events`: how a document fares, for everyone else (notification, employee, ...).

Keyed by the document id. Every type carries what `ApprovalEvent` says about the document,
plus its own fields.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

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

TOPIC = "approval-events"

SUBMITTED = "approval.submitted"
RESUBMITTED = "approval.resubmitted"
YOUR_TURN = "approval.your_turn"
REMINDER = "approval.reminder"
APPROVED = "approval.approved"
REJECTED = "approval.rejected"
WITHDRAWN = "approval.withdrawn"
TAKEN_BACK = "approval.taken_back"
COMMENTED = "approval.commented"
DECIDED_FOR_YOU = "approval.decided_for_you"


class ApprovalEvent(EventData):
    """What every `approval-events` event says about its document."""

    approval_id: Id
    version: DocumentVersion
    title: Text
    form: Id
    requester: Person
    fields: dict[str, Any]


class Submitted(ApprovalEvent):
    """A document was submitted for the first time."""

    type: ClassVar[str] = SUBMITTED

    cc: list[Id]


class Resubmitted(ApprovalEvent):
    """A rejected or withdrawn document was submitted again as a new version."""

    type: ClassVar[str] = RESUBMITTED

    cc: list[Id]


class YourTurn(ApprovalEvent):
    """These task holders of the active stage are to decide now."""

    type: ClassVar[str] = YOUR_TURN

    stage_index: Index
    kind: StageKind
    recipients: list[Id]


class Reminder(ApprovalEvent):
    """These task holders of the active stage have left the document waiting since then."""

    type: ClassVar[str] = REMINDER

    stage_index: Index
    kind: StageKind
    recipients: list[Id]
    waiting_since: Instant


class Approved(ApprovalEvent):
    """The document was finally approved and numbered."""

    type: ClassVar[str] = APPROVED

    number: str | None
    cc: list[Id]
    completed_at: Instant | None


class Rejected(ApprovalEvent):
    """An approver (or the holder of their slot, on their behalf) rejected the document."""

    type: ClassVar[str] = REJECTED

    decided_by: Id
    on_behalf_of: Id | None
    reason: str | None
    cc: list[Id]
    completed_at: Instant | None


class Withdrawn(ApprovalEvent):
    """The requester withdrew the document; `released` held its open tasks."""

    type: ClassVar[str] = WITHDRAWN

    released: list[Id]


class TakenBack(ApprovalEvent):
    """An approver took back their approval (결재 취소); `released` held the next stage's
    tasks it cancelled (empty when the approver's stage was still open)."""

    type: ClassVar[str] = TAKEN_BACK

    taken_by: Person
    approver_id: Id
    released: list[Id]


class Commented(ApprovalEvent):
    """Someone commented on the document."""

    type: ClassVar[str] = COMMENTED

    comment_id: Id
    author: Person
    body: Text


class DecidedForYou(ApprovalEvent):
    """Someone holding an approver's slot (a delegate, 대결) decided it in the approver's name."""

    type: ClassVar[str] = DECIDED_FOR_YOU

    stage_index: Index
    approver_id: Id
    decided_by: Person
    decision: Literal["approved", "rejected"]


MODELS = by_type(
    Submitted,
    Resubmitted,
    YourTurn,
    Reminder,
    Approved,
    Rejected,
    Withdrawn,
    TakenBack,
    Commented,
    DecidedForYou,
)
