"""Request and response bodies of the processing API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

from dojang.kernel.i18n import MessageError, msg
from dojang.processing.domain.delegations import (
    MAX_REASON_NOTE_LENGTH,
    Delegation,
    DelegationReason,
)
from dojang.processing.domain.tasks import Task, TaskStatus


class PersonBody(BaseModel):
    """Someone named on a document."""

    id: str
    name: str


class InboxItem(BaseModel):
    """A task as its holder (or the one who decided it) sees it."""

    id: str
    approval_id: str
    version: int
    title: str
    form: str
    requester: PersonBody
    stage_index: int
    kind: str
    on_behalf_of: str | None = Field(description="the approver, when it is not the caller")
    created_at: datetime
    status: TaskStatus
    decided_at: datetime | None

    @classmethod
    def of(cls, task: Task, viewer_id: str) -> InboxItem:
        """The inbox entry of a task for `viewer_id`."""
        return cls(
            id=task.id,
            approval_id=task.approval_id,
            version=task.version,
            title=task.title,
            form=task.form,
            requester=PersonBody(id=task.requester.id, name=task.requester.name),
            stage_index=task.stage_index,
            kind=task.kind,
            on_behalf_of=task.on_behalf_of_for(viewer_id),
            created_at=task.created_at,
            status=task.status,
            decided_at=task.decided_at,
        )


def _day_or_instant(value: Any, handler: ValidatorFunctionWrapHandler) -> date:
    """One error for the field, whichever of the two readings failed."""
    try:
        parsed: date = handler(value)
    except ValidationError:
        raise MessageError(
            msg(
                "Enter a date (YYYY-MM-DD) or a date and time with its offset, "
                "such as 2026-03-02T09:00:00+09:00."
            )
        ) from None
    return parsed


DayOrInstantField = Annotated[
    AwareDatetime | date, Field(union_mode="left_to_right"), WrapValidator(_day_or_instant)
]
"""A window bound: an aware RFC 3339 time, or a date alone (a whole day, company time)."""


class NewDelegationBody(BaseModel):
    """Delegate the caller's tasks to `delegate_id` from `starts_at` until `ends_at` (대결).

    Each bound is an RFC 3339 time with an offset, or a date alone (`2026-12-24`): a whole day
    of the company's time zone, from its first moment (start) or until it is over (end).
    """

    model_config = ConfigDict(extra="forbid")

    delegate_id: str = Field(min_length=1, max_length=64)
    starts_at: DayOrInstantField
    ends_at: DayOrInstantField
    reason: DelegationReason | None = Field(
        default=None,
        description="why: business_trip (출장), vacation (휴가), training (교육), "
        "sick_leave (병가) or other (기타, which needs a reason_note)",
    )
    reason_note: str | None = Field(default=None, max_length=MAX_REASON_NOTE_LENGTH)


class DelegationBody(BaseModel):
    """A delegation; `revoked_at` is set once it was revoked."""

    id: str
    delegator_id: str
    delegate_id: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    revoked_at: datetime | None
    reason: DelegationReason | None
    reason_note: str | None

    @classmethod
    def of(cls, delegation: Delegation) -> DelegationBody:
        """The body of a delegation."""
        return cls(
            id=delegation.id,
            delegator_id=delegation.delegator_id,
            delegate_id=delegation.delegate_id,
            starts_at=delegation.starts_at,
            ends_at=delegation.ends_at,
            created_at=delegation.created_at,
            revoked_at=delegation.revoked_at,
            reason=delegation.reason,
            reason_note=delegation.reason_note,
        )


InboxStatus = Literal["pending", "done"]


class AdminTaskBody(BaseModel):
    """A task as an administrator sees it: whose slot it is and who holds it now."""

    id: str
    approval_id: str
    version: int
    title: str
    form: str
    requester: PersonBody
    stage_index: int
    kind: str
    approver_id: str
    assignee_id: str = Field(description="who holds the task now")
    on_behalf_of: str | None = Field(description="the approver, when someone else holds it")
    status: TaskStatus
    created_at: datetime
    revision: int

    @classmethod
    def of(cls, task: Task) -> AdminTaskBody:
        """The administrator's view of a task."""
        return cls(
            id=task.id,
            approval_id=task.approval_id,
            version=task.version,
            title=task.title,
            form=task.form,
            requester=PersonBody(id=task.requester.id, name=task.requester.name),
            stage_index=task.stage_index,
            kind=task.kind,
            approver_id=task.approver_id,
            assignee_id=task.assignee_id,
            on_behalf_of=task.on_behalf_of,
            status=task.status,
            created_at=task.created_at,
            revision=task.revision,
        )


class ReassignBody(BaseModel):
    """Hand a pending task to `assignee_id`, saying why."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    assignee_id: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=500)
