"""Leave (연차): a yearly grant per employee, the days used, and reservations of days.

Days are counted in half days (`0.5`), as `Decimal` so that sums stay exact. A year's row is
made the first time anything touches it, with the grant of the settings at that moment (no
pro-rating for joiners). A leave document's days are reserved when it is submitted; the
reservation is consumed (the days are used) when the document is approved, and released when
it is rejected or withdrawn. `pending` is what the live reservations hold, and a request is
refused when it asks for more than `available = granted - used - pending`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from dojang.kernel.i18n import MessageError, msg

HALF_DAY = Decimal("0.5")
ZERO = Decimal(0)


class InvalidLeaveDays(MessageError):
    """A number of leave days that is not a positive multiple of half a day."""


def leave_days(raw: object) -> Decimal:
    """`raw` (a JSON number or numeric text) as days: a positive multiple of 0.5."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise InvalidLeaveDays(msg("{value} is not a number of days", value=repr(raw)))
    try:
        days = Decimal(str(raw))
    except InvalidOperation as exc:
        raise InvalidLeaveDays(msg("{value} is not a number of days", value=repr(raw))) from exc
    if not days.is_finite() or days <= 0 or days % HALF_DAY != 0:
        raise InvalidLeaveDays(
            msg("{value} is not a positive number of half days", value=repr(raw))
        )
    return days


def grant_days(raw: object) -> Decimal:
    """A yearly grant: zero or a positive multiple of 0.5 days."""
    if raw == 0:
        return ZERO
    return leave_days(raw)


def leave_year(fields: Mapping[str, object]) -> int:
    """The year whose allowance a leave document uses: the year of its `start_date`.

    `start_date` is a calendar day the requester wrote, already local to the company.
    """
    start = fields.get("start_date")
    if not isinstance(start, str):
        raise ValueError(f"start_date {start!r} is not a date")
    return date.fromisoformat(start).year


@dataclass
class LeaveYear:
    """One employee's grant and used days of one year: the row a reservation locks."""

    employee_id: str
    year: int
    granted: Decimal
    used: Decimal = ZERO

    def deduct(self, days: Decimal) -> None:
        """An approved leave document's days are used (not capped by the grant)."""
        self.used += days


class ReservationStatus(StrEnum):
    HELD = "held"
    CONSUMED = "consumed"
    RELEASED = "released"


@dataclass
class LeaveReservation:
    """The days of one version of a leave document, held until the document is decided.

    The approval service reserves before it stores the submission. Until the document's
    `approval.submitted` (or `resubmitted`) confirms the hold, it lapses at `expires_at`, so
    a submission that failed after reserving holds nothing for long.
    """

    id: str
    employee_id: str
    year: int
    days: Decimal
    document_id: str
    version: int
    status: ReservationStatus
    expires_at: datetime | None
    start_date: date | None = None
    end_date: date | None = None

    def holds_at(self, at: datetime) -> bool:
        """Whether its days count as pending at `at`: held, and confirmed or not yet lapsed."""
        return self.status is ReservationStatus.HELD and (
            self.expires_at is None or at < self.expires_at
        )

    def stands_at(self, at: datetime) -> bool:
        """Whether it is the answer to its request at `at`: still holding, or consumed."""
        return self.status is ReservationStatus.CONSUMED or self.holds_at(at)

    def same_hold(self, other: LeaveReservation) -> bool:
        """Whether `other` asks for exactly what this one holds."""
        mine = (self.employee_id, self.year, self.days, self.document_id, self.version)
        theirs = (other.employee_id, other.year, other.days, other.document_id, other.version)
        return mine == theirs and self._dates() == other._dates()

    def overlaps(self, other: LeaveReservation) -> bool:
        """Whether both are the same employee's dated leave of other documents sharing a day."""
        if self.employee_id != other.employee_id or self.document_id == other.document_id:
            return False
        if None in (*self._dates(), *other._dates()):
            return False
        return self.start_date <= other.end_date and other.start_date <= self.end_date  # type: ignore[operator]

    def hold_again(self, other: LeaveReservation, *, expires_at: datetime) -> None:
        """A released or lapsed hold, made again (a retried submission) as `other` asks."""
        self.year, self.days = other.year, other.days
        self.start_date, self.end_date = other.start_date, other.end_date
        self.status, self.expires_at = ReservationStatus.HELD, expires_at

    def _dates(self) -> tuple[date | None, date | None]:
        return self.start_date, self.end_date

    def confirm(self, at: datetime) -> bool:
        """The document was submitted: held until it is decided, without lapsing.

        Returns whether the days count again only now (the hold had been released or had
        lapsed before the confirmation arrived). A consumed reservation stays consumed.
        """
        if self.status is ReservationStatus.CONSUMED:
            return False
        revived = not self.holds_at(at)
        self.status, self.expires_at = ReservationStatus.HELD, None
        return revived

    def consume(self) -> bool:
        """The document was approved: returns whether its days are newly used."""
        if self.status is ReservationStatus.CONSUMED:
            return False
        self.status, self.expires_at = ReservationStatus.CONSUMED, None
        return True

    def abandon(self) -> bool:
        """The submission that reserved failed: let go unless its document confirmed it.

        Returns whether a hold was let go.
        """
        if self.status is not ReservationStatus.HELD or self.expires_at is None:
            return False
        self.status = ReservationStatus.RELEASED
        return True

    def release(self) -> bool:
        """The document was rejected or withdrawn: returns whether a hold was let go."""
        if self.status is not ReservationStatus.HELD:
            return False
        self.status = ReservationStatus.RELEASED
        return True


@dataclass(frozen=True)
class LeaveBalance:
    """One employee's leave in one year, as it stands at one moment."""

    employee_id: str
    year: int
    granted: Decimal
    used: Decimal = ZERO
    pending: Decimal = ZERO

    @classmethod
    def of(
        cls, account: LeaveYear, reservations: Iterable[LeaveReservation], at: datetime
    ) -> LeaveBalance:
        """The year's balance at `at`: pending is what its reservations still hold then."""
        pending = sum((r.days for r in reservations if r.holds_at(at)), ZERO)
        return cls(account.employee_id, account.year, account.granted, account.used, pending)

    @property
    def remaining(self) -> Decimal:
        """What the grant leaves after approved leave (pending days not subtracted)."""
        return self.granted - self.used

    @property
    def available(self) -> Decimal:
        """What a new request may still take: the remaining days that nothing holds."""
        return self.remaining - self.pending

    def admits(self, days: Decimal) -> bool:
        """Whether a request for `days` fits in what is available."""
        return days <= self.available
