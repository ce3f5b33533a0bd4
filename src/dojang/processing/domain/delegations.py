"""대결: for a window of time, a delegate receives and decides the delegator's tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from dojang.kernel.errors import FieldError, InvalidInput

MAX_REASON_NOTE_LENGTH = 200
"""How long the free text of a delegation's reason may be."""


class DelegationReason(StrEnum):
    """Why the delegator is away; the values are the API's `reason` strings."""

    BUSINESS_TRIP = "business_trip"  # 출장
    VACATION = "vacation"  # 휴가
    TRAINING = "training"  # 교육
    SICK_LEAVE = "sick_leave"  # 병가
    OTHER = "other"  # 기타: the note says what


def _note(
    value: str | None, reason: DelegationReason | None, errors: list[FieldError]
) -> str | None:
    note = None if value is None else " ".join(value.split()) or None
    if note is not None and len(note) > MAX_REASON_NOTE_LENGTH:
        errors.append(
            FieldError(
                "reason_note",
                "must be at most {max_length} characters",
                {"max_length": MAX_REASON_NOTE_LENGTH},
            )
        )
    elif note is None and reason is DelegationReason.OTHER:
        errors.append(FieldError("reason_note", "says what the reason is when it is other"))
    return note


def _utc(field: str, value: datetime, errors: list[FieldError]) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        errors.append(FieldError(field, "must carry a time zone offset (RFC 3339)"))
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # year 1 behind UTC, or year 9999 ahead of it
        errors.append(FieldError(field, "is out of range"))
        return value.replace(tzinfo=UTC)


@dataclass
class Delegation:
    """The delegator's tasks go to the delegate from `starts_at` until before `ends_at`."""

    id: str
    delegator_id: str
    delegate_id: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    revoked_at: datetime | None = None
    reason: DelegationReason | None = None  # None: granted before reasons were asked for
    reason_note: str | None = None

    @classmethod
    def grant(
        cls,
        *,
        delegation_id: str,
        delegator_id: str,
        delegate_id: str,
        starts_at: datetime,
        ends_at: datetime,
        at: datetime,
        reason: DelegationReason | None = None,
        reason_note: str | None = None,
    ) -> Delegation:
        """A new delegation; `InvalidInput` listing every problem of the request.

        Refused: delegating to oneself, naive times, an empty or reversed window, a
        window that is over already, a reason note that is too long, and the reason
        `other` without a note. A window that started in the past is fine.
        """
        errors: list[FieldError] = []
        if delegate_id == delegator_id:
            errors.append(FieldError("delegate_id", "you cannot delegate to yourself"))
        starts_at = _utc("starts_at", starts_at, errors)
        ends_at = _utc("ends_at", ends_at, errors)
        note = _note(reason_note, reason, errors)
        if not errors:
            if ends_at <= starts_at:
                errors.append(FieldError("ends_at", "must be later than starts_at"))
            elif ends_at <= at:
                errors.append(FieldError("ends_at", "must be in the future"))
        if errors:
            raise InvalidInput("The delegation is not valid.", errors=errors)
        return cls(
            id=delegation_id,
            delegator_id=delegator_id,
            delegate_id=delegate_id,
            starts_at=starts_at,
            ends_at=ends_at,
            created_at=at,
            reason=reason,
            reason_note=note,
        )

    @property
    def revoked(self) -> bool:
        """Whether the delegation was revoked."""
        return self.revoked_at is not None

    def is_active(self, at: datetime) -> bool:
        """Whether the delegate acts for the delegator at `at`."""
        return not self.revoked and self.starts_at <= at < self.ends_at

    def has_ended(self, at: datetime) -> bool:
        """Whether the delegation will never be active again after `at`."""
        return self.revoked or at >= self.ends_at

    def overlaps(self, other: Delegation) -> bool:
        """Whether both delegations are in force during some common instant."""
        if self.revoked or other.revoked:
            return False
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def involves(self, employee_id: str) -> bool:
        """Whether the employee is the delegator or the delegate."""
        return employee_id in (self.delegator_id, self.delegate_id)

    def may_be_revoked_by(self, employee_id: str, *, is_admin: bool) -> bool:
        """Only the delegator (or an administrator) revokes a delegation."""
        return is_admin or employee_id == self.delegator_id

    def revoke(self, at: datetime) -> bool:
        """End the delegation now; False if it was revoked already."""
        if self.revoked:
            return False
        self.revoked_at = at
        return True
