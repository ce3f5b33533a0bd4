"""The leave balance check made when a leave document is submitted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dojang.approval.domain.forms import json_number
from dojang.kernel.errors import InvalidInput


@dataclass(frozen=True)
class LeaveBalance:
    """A year's leave: granted and used (employee service), pending (in-progress documents)."""

    year: int
    granted: Decimal
    used: Decimal
    pending: Decimal

    @property
    def available(self) -> Decimal:
        """Days that a new request may still take."""
        return self.granted - self.used - self.pending


class InsufficientLeave(InvalidInput):
    """A leave request asks for more days than the year has left."""


def check_leave_balance(days: Decimal, balance: LeaveBalance) -> None:
    """Refuse (422 on `fields.days`) a request for more days than are available."""
    if days <= balance.available:
        return
    available = json_number(max(balance.available, Decimal(0)))
    message = (
        f"only {available} days of leave are available in {balance.year} "
        f"(granted {json_number(balance.granted)}, used {json_number(balance.used)}, "
        f"pending {json_number(balance.pending)}); {json_number(days)} requested"
    )
    raise InsufficientLeave.field("fields.days", message)
