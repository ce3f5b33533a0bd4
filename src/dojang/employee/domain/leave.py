"""Leave (연차): a yearly grant per employee, the days used, and the days awaiting approval.

Days are counted in half days (`0.5`), as `Decimal` so that sums stay exact. A year's row is
made the first time anything touches it, with the grant of the settings at that moment (no
pro-rating for joiners). `used` grows only when a leave document is approved; `pending` holds
what has been submitted and not yet decided, and never goes below zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

HALF_DAY = Decimal("0.5")
ZERO = Decimal(0)


class InvalidLeaveDays(ValueError):
    """A number of leave days that is not a positive multiple of half a day."""


def leave_days(raw: object) -> Decimal:
    """`raw` (a JSON number or numeric text) as days: a positive multiple of 0.5."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise InvalidLeaveDays(f"{raw!r} is not a number of days")
    try:
        days = Decimal(str(raw))
    except InvalidOperation as exc:
        raise InvalidLeaveDays(f"{raw!r} is not a number of days") from exc
    if not days.is_finite() or days <= 0 or days % HALF_DAY != 0:
        raise InvalidLeaveDays(f"{raw!r} is not a positive number of half days")
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
class LeaveBalance:
    """One employee's leave in one year."""

    employee_id: str
    year: int
    granted: Decimal
    used: Decimal = ZERO
    pending: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        """What the grant leaves after approved leave (pending days not subtracted)."""
        return self.granted - self.used

    def reserve(self, days: Decimal) -> None:
        """A leave document was submitted: its days await a decision."""
        self.pending += days

    def release(self, days: Decimal) -> Decimal:
        """A leave document was rejected or withdrawn: its days no longer await a decision.

        Returns the shortfall: the part of `days` that was not pending (pending stops at
        zero, e.g. for a document submitted before this service counted it).
        """
        released = min(days, self.pending)
        self.pending -= released
        return days - released

    def deduct(self, days: Decimal) -> Decimal:
        """A leave document was approved: its days move from pending to used.

        Returns the shortfall of pending, as `release` does; `used` grows by all of `days`.
        """
        shortfall = self.release(days)
        self.used += days
        return shortfall
