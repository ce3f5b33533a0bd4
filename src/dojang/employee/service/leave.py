"""Leave balances (연차): reading them, the `LeaveLedger` port, and `approval-events`.

A year's balance is created lazily, with the configured grant, the first time anything
touches it: a read through the API or the ledger, or an approval event of a leave document.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from decimal import Decimal

import structlog
from sqlalchemy.exc import IntegrityError

from dojang.contracts import approval_events
from dojang.contracts.approval_events import ApprovalEvent
from dojang.employee.domain.attendance import local_day
from dojang.employee.domain.leave import LeaveBalance, leave_days, leave_year
from dojang.employee.service.employees import UnitOfWorkFactory
from dojang.employee.service.unit_of_work import EmployeeUnitOfWork
from dojang.kernel.auth.principal import Principal
from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Forbidden, NotFound
from dojang.kernel.ports import LeaveAllowance

log = structlog.get_logger(__name__)

APPROVAL_EVENTS_TOPIC = approval_events.TOPIC
CONSUMER_GROUP = "employee"
LEAVE_FORM = "leave"


async def _touch(
    uow: EmployeeUnitOfWork, employee_id: str, year: int, grant: Decimal, at: datetime
) -> LeaveBalance:
    """The employee's balance of `year`, created with `grant` if the year is new."""
    balance = await uow.leave.get(employee_id, year)
    if balance is None:
        balance = LeaveBalance(employee_id=employee_id, year=year, granted=grant)
        await uow.leave.add(balance, at=at)
    return balance


class LeaveUseCases:
    """Reading leave balances; also the `LeaveLedger` the approval service asks."""

    def __init__(
        self, unit_of_work: UnitOfWorkFactory, clock: Clock, zone: tzinfo, grant: Decimal
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._zone = zone
        self._grant = grant

    def current_year(self) -> int:
        """The company's current local year."""
        return local_day(self._clock.now(), self._zone).year

    async def balance(
        self, actor: Principal, *, employee_id: str | None, year: int | None
    ) -> LeaveBalance:
        """A year's balance (default: the caller's, this local year).

        Readable by the employee, anyone above them in the manager chain, and administrators
        (403 for anyone else); 404 for an unknown employee.
        """
        target = employee_id or actor.user_id
        year = year or self.current_year()
        return await self._read(target, year, actor)

    async def allowance(self, employee_id: str, year: int) -> LeaveAllowance:
        """`LeaveLedger`: granted and used days of `year` (the grant if nobody is known)."""
        try:
            balance = await self._read(employee_id, year, None)
        except NotFound:
            balance = LeaveBalance(employee_id=employee_id, year=year, granted=self._grant)
        return LeaveAllowance(
            employee_id=employee_id,
            year=year,
            granted=float(balance.granted),
            used=float(balance.used),
        )

    async def _read(self, employee_id: str, year: int, actor: Principal | None) -> LeaveBalance:
        for attempt in (1, 2):
            try:
                async with self._unit_of_work() as uow:
                    if await uow.employees.get(employee_id) is None:
                        raise NotFound(f"There is no employee {employee_id}.")
                    if actor is not None:
                        await _require_reader(uow, actor, employee_id)
                    balance = await uow.leave.get(employee_id, year)
                    if balance is not None:
                        return balance
                    balance = await _touch(uow, employee_id, year, self._grant, self._clock.now())
                    await uow.commit()
                    return balance
            except IntegrityError:
                if attempt == 2:
                    raise
                # a concurrent first touch stored the year first: read what it stored
        raise AssertionError("unreachable")  # pragma: no cover


async def _require_reader(uow: EmployeeUnitOfWork, actor: Principal, employee_id: str) -> None:
    if employee_id == actor.user_id or actor.is_admin:
        return
    # every id on the way up, stopping at the first repeat of a (corrupt) cycle
    links = await uow.employees.manager_links(employee_id)
    if actor.user_id not in links:
        raise Forbidden("Only the employee, their managers and administrators can read this.")


class UnusableApprovalEvent(ValueError):
    """A leave event whose payload cannot be applied (it goes to the dead letters)."""


Effect = Callable[[LeaveBalance, Decimal], Decimal]


def _reserve(balance: LeaveBalance, days: Decimal) -> Decimal:
    balance.reserve(days)
    return Decimal(0)


EFFECTS: dict[str, Effect] = {
    "approval.submitted": _reserve,
    "approval.resubmitted": _reserve,
    "approval.approved": LeaveBalance.deduct,
    "approval.rejected": LeaveBalance.release,
    "approval.withdrawn": LeaveBalance.release,
}
"""What each event of a leave document does to the balance of its year."""


class ApprovalEventHandler:
    """The `employee` consumer's handler of `approval-events`: leave documents only.

    Applied once per event id: the consumer runner records the id in the same transaction,
    so an approval delivered twice deducts once.
    """

    def __init__(self, *, clock: Clock, grant: Decimal) -> None:
        self._clock = clock
        self._grant = grant

    async def __call__(self, event: Event, uow: EmployeeUnitOfWork) -> None:
        """Move the document's days between pending and used in its year's balance."""
        effect = EFFECTS.get(event.type)
        if effect is None or event.data.get("form") != LEAVE_FORM:
            return
        employee_id, year, days = _leave_of(event)
        if await uow.employees.get(employee_id) is None:
            raise UnusableApprovalEvent(f"{event.type}: there is no employee {employee_id}")
        now = self._clock.now()
        balance = await _touch(uow, employee_id, year, self._grant, now)
        shortfall = effect(balance, days)
        if shortfall:
            log.warning(
                "leave_pending_clamped",
                employee_id=employee_id,
                year=year,
                event_type=event.type,
                approval_id=event.data.get("approval_id"),
                days=str(days),
                not_pending=str(shortfall),
            )
        await uow.leave.save(balance, at=now)
        log.info(
            "leave_balance_changed",
            employee_id=employee_id,
            year=year,
            event_type=event.type,
            days=str(days),
        )


def _leave_of(event: Event) -> tuple[str, int, Decimal]:
    """The requester, the leave year and the days of a leave document's event."""
    try:
        # the balance needs only what every approval event carries (pydantic's errors are
        # ValueErrors)
        document = ApprovalEvent.model_validate(event.data)
        fields = document.fields
        return document.requester.id, leave_year(fields), leave_days(fields["days"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UnusableApprovalEvent(f"{event.type} without usable leave fields: {exc}") from exc
