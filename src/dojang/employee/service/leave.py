"""Leave balances (연차): reading them, the `LeaveLedger` and its reservations, `approval-events`.

A year's row is created lazily, with the configured grant, the first time anything touches
it: a read through the API, a reservation, or an approval event of a leave document.

A reservation is checked and held in one transaction that first locks the year's row
(`SELECT ... FOR UPDATE`; on SQLite the transaction has the file to itself), so two requests
for the last days of one employee's year take turns, and the second sees the first's hold.
A reservation also holds its dates: one employee's leave of two documents may not share a
day. It locks the row of every year its dates touch, so two requests that share a day share
that day's year lock and take turns too, and the second sees the first's dates.
It reads the held reservations with a locking read as well: under REPEATABLE READ (MySQL's
default; Dojang sets READ COMMITTED, see `kernel.mysql`) a plain read answers from the
transaction's first snapshot, which may predate the commit that the row lock waited for.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import TypeVar

import structlog
from sqlalchemy.exc import IntegrityError

from dojang.contracts import approval_events
from dojang.contracts.approval_events import ApprovalEvent
from dojang.employee.domain.attendance import local_day
from dojang.employee.domain.leave import (
    InvalidLeaveDays,
    LeaveBalance,
    LeaveReservation,
    LeaveYear,
    ReservationStatus,
    leave_days,
    leave_year,
)
from dojang.employee.service.employees import UnitOfWorkFactory
from dojang.employee.service.unit_of_work import EmployeeUnitOfWork
from dojang.kernel import ports
from dojang.kernel.auth.principal import Principal
from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from dojang.kernel.ports import LeaveFigures, LeaveHold, leave_reservation_id

log = structlog.get_logger(__name__)

APPROVAL_EVENTS_TOPIC = approval_events.TOPIC
CONSUMER_GROUP = "employee"
LEAVE_FORM = "leave"

T = TypeVar("T")


async def _touch(
    uow: EmployeeUnitOfWork, employee_id: str, year: int, grant: Decimal, at: datetime
) -> LeaveYear:
    """The employee's year, created with `grant` if it is new."""
    account = await uow.leave.get(employee_id, year)
    if account is None:
        account = LeaveYear(employee_id=employee_id, year=year, granted=grant)
        await uow.leave.add(account, at=at)
    return account


async def _locked(
    uow: EmployeeUnitOfWork, employee_id: str, year: int, grant: Decimal, at: datetime
) -> LeaveYear:
    """The employee's year, created if new, its row locked until the transaction ends."""
    account = await uow.leave.lock(employee_id, year)
    if account is None:
        # the new row is the inserting transaction's until it ends; a concurrent first
        # touch fails on the key and runs again, then waits on the lock
        account = LeaveYear(employee_id=employee_id, year=year, granted=grant)
        await uow.leave.add(account, at=at)
    return account


async def _balance(
    uow: EmployeeUnitOfWork, account: LeaveYear, at: datetime, *, lock: bool = False
) -> LeaveBalance:
    """The year's balance at `at`, with what its held reservations still hold."""
    held = await uow.leave.held(account.employee_id, account.year, lock=lock)
    return LeaveBalance.of(account, held, at)


def _figures(balance: LeaveBalance) -> LeaveFigures:
    """A balance as the ledger answers it."""
    return LeaveFigures(
        employee_id=balance.employee_id,
        year=balance.year,
        granted=float(balance.granted),
        used=float(balance.used),
        pending=float(balance.pending),
        available=float(balance.available),
    )


class ReservationConflict(Conflict):
    """A reservation id already holds other days than the request names."""


class LeaveUseCases:
    """Reading leave balances; also the `LeaveLedger` the approval service reserves with."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        zone: tzinfo,
        grant: Decimal,
        hold_ttl: timedelta,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._zone = zone
        self._grant = grant
        self._hold_ttl = hold_ttl

    def current_year(self) -> int:
        """The company's current local year."""
        return local_day(self._clock.now(), self._zone).year

    async def balance(
        self, actor: Principal, *, employee_id: str | None, year: int | None
    ) -> LeaveBalance:
        """A year's balance (default: the caller's, this local year), as a reservation sees it.

        Readable by the employee, anyone above them in the manager chain, and administrators
        (403 for anyone else); 404 for an unknown employee.
        """
        target = employee_id or actor.user_id
        wanted = year or self.current_year()

        async def read(uow: EmployeeUnitOfWork) -> LeaveBalance:
            await _require_employee(uow, target)
            await _require_reader(uow, actor, target)
            now = self._clock.now()
            balance = await _balance(uow, await _touch(uow, target, wanted, self._grant, now), now)
            await uow.commit()
            return balance

        return await self._first_touch_safe(read)

    async def reserve(self, hold: LeaveHold) -> ports.LeaveReservation:
        """`LeaveLedger`: hold the days of one version of a leave document if the year has them.

        Held reservations of the document's earlier versions are released first: a version
        is submitted only after the one before was rejected or withdrawn. The same hold again
        (a retry) answers accepted without counting twice; a released or lapsed one is held
        again if the days are there. Refused: nothing is held, and the answer carries the
        figures that refused it.
        """
        try:
            days = leave_days(hold.days)
        except InvalidLeaveDays as exc:
            message = exc.message
            raise InvalidInput.field("days", message.template, **message.params) from exc

        if hold.end_date < hold.start_date:
            raise InvalidInput.field("end_date", "must not be before start_date")

        async def attempt(uow: EmployeeUnitOfWork) -> ports.LeaveReservation:
            await _require_employee(uow, hold.employee_id)
            now = self._clock.now()
            expires_at = now + self._hold_ttl
            account = await _locked(uow, hold.employee_id, hold.year, self._grant, now)
            # the later years the dates reach, in ascending order (hold.year, the start's,
            # is the first) so that two requests cannot deadlock
            for year in range(hold.start_date.year + 1, hold.end_date.year + 1):
                await _locked(uow, hold.employee_id, year, self._grant, now)
            for earlier in await uow.leave.held_before(hold.document_id, hold.version):
                earlier.release()
                await uow.leave.save_reservation(earlier, at=now)
            wanted = LeaveReservation(
                id=hold.reservation_id,
                employee_id=hold.employee_id,
                year=hold.year,
                days=days,
                document_id=hold.document_id,
                version=hold.version,
                status=ReservationStatus.HELD,
                expires_at=expires_at,
                start_date=hold.start_date,
                end_date=hold.end_date,
            )
            existing = await uow.leave.reservation(wanted.id)
            balance = await _balance(uow, account, now, lock=True)
            overlapping = [
                other
                for other in await uow.leave.overlapping(
                    hold.employee_id, hold.start_date, hold.end_date, lock=True
                )
                if other.stands_at(now) and other.overlaps(wanted)
            ]
            if overlapping:
                await uow.commit()
                log.info(
                    "leave_reservation_overlaps",
                    reservation_id=wanted.id,
                    overlapping=overlapping[0].id,
                )
                return self._answer(
                    wanted.id,
                    balance,
                    accepted=False,
                    overlapping_document_id=overlapping[0].document_id,
                )
            if existing is not None and existing.stands_at(now):
                if not existing.same_hold(wanted):
                    raise ReservationConflict(
                        "The leave reservation {reservation_id} already holds other days.",
                        reservation_id=wanted.id,
                    )
                await uow.commit()
                return self._answer(wanted.id, balance, accepted=True)
            if not balance.admits(days):
                await uow.commit()
                log.info("leave_reservation_refused", reservation_id=wanted.id, days=str(days))
                return self._answer(wanted.id, balance, accepted=False)
            if existing is None:
                await uow.leave.add_reservation(wanted, at=now)
            else:
                existing.hold_again(wanted, expires_at=expires_at)
                await uow.leave.save_reservation(existing, at=now)
            await uow.commit()
            log.info("leave_reserved", reservation_id=wanted.id, days=str(days))
            return self._answer(wanted.id, replace(balance, pending=balance.pending + days))

        return await self._first_touch_safe(attempt)

    async def release(self, reservation_id: str) -> None:
        """`LeaveLedger`: let go of a hold no document confirmed; anything else is kept."""
        async with self._unit_of_work() as uow:
            reservation = await uow.leave.reservation(reservation_id)
            if reservation is None or not reservation.abandon():
                return
            await uow.leave.save_reservation(reservation, at=self._clock.now())
            await uow.commit()
        log.info("leave_reservation_abandoned", reservation_id=reservation_id)

    @staticmethod
    def _answer(
        reservation_id: str,
        balance: LeaveBalance,
        *,
        accepted: bool = True,
        overlapping_document_id: str | None = None,
    ) -> ports.LeaveReservation:
        return ports.LeaveReservation(
            reservation_id=reservation_id,
            accepted=accepted,
            figures=_figures(balance),
            overlapping_document_id=overlapping_document_id,
        )

    async def _first_touch_safe(self, work: Callable[[EmployeeUnitOfWork], Awaitable[T]]) -> T:
        """Run `work` in a unit of work, once more if a concurrent writer stored the same key
        first (the year's first touch, or the same reservation)."""
        for attempt in (1, 2):
            try:
                async with self._unit_of_work() as uow:
                    return await work(uow)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover


async def _require_employee(uow: EmployeeUnitOfWork, employee_id: str) -> None:
    if await uow.employees.get(employee_id) is None:
        raise NotFound("There is no employee {employee_id}.", employee_id=employee_id)


async def _require_reader(uow: EmployeeUnitOfWork, actor: Principal, employee_id: str) -> None:
    if employee_id == actor.user_id or actor.is_admin:
        return
    # every id on the way up, stopping at the first repeat of a (corrupt) cycle
    links = await uow.employees.manager_links(employee_id)
    if actor.user_id not in links:
        raise Forbidden("Only the employee, their managers and administrators can read this.")


class UnusableApprovalEvent(ValueError):
    """A leave event whose payload cannot be applied (it goes to the dead letters)."""


@dataclass(frozen=True)
class LeaveOfDocument:
    """What a leave document's event says about its leave."""

    employee_id: str
    year: int
    days: Decimal
    document_id: str
    version: int
    start_date: date
    end_date: date

    def reservation(self, status: ReservationStatus) -> LeaveReservation:
        """A reservation of these days made from the event (no hold was made before it)."""
        return LeaveReservation(
            id=leave_reservation_id(self.document_id, self.version),
            employee_id=self.employee_id,
            year=self.year,
            days=self.days,
            document_id=self.document_id,
            version=self.version,
            status=status,
            expires_at=None,
            start_date=self.start_date,
            end_date=self.end_date,
        )


SUBMISSIONS = frozenset({approval_events.SUBMITTED, approval_events.RESUBMITTED})
APPROVAL = approval_events.APPROVED
ENDINGS = frozenset({approval_events.REJECTED, approval_events.WITHDRAWN})


class ApprovalEventHandler:
    """The `employee` consumer's handler of `approval-events`: leave documents only.

    Submission confirms the version's reservation, approval consumes it (its days become
    used), rejection and withdrawal release it. Each step is idempotent in itself, and the
    consumer runner also records the event id in the same transaction.
    """

    def __init__(self, *, clock: Clock, grant: Decimal) -> None:
        self._clock = clock
        self._grant = grant

    async def __call__(self, event: Event, uow: EmployeeUnitOfWork) -> None:
        """Confirm, consume or release the reservation of the document's version."""
        if event.data.get("form") != LEAVE_FORM:
            return
        if event.type not in SUBMISSIONS | ENDINGS and event.type != APPROVAL:
            return
        leave = _leave_of(event)
        if await uow.employees.get(leave.employee_id) is None:
            raise UnusableApprovalEvent(f"{event.type}: there is no employee {leave.employee_id}")
        now = self._clock.now()
        reservation = await uow.leave.reservation_of(leave.document_id, leave.version)
        context = {"event_type": event.type, "document_id": leave.document_id}
        if event.type in SUBMISSIONS:
            if reservation is None:
                # submitted without a hold (before reservations existed): its days hold now
                log.warning("leave_held_without_reservation", **context)
                await uow.leave.add_reservation(leave.reservation(ReservationStatus.HELD), at=now)
            else:
                if reservation.confirm(now):
                    # released or lapsed before the submission's news arrived: it counts again
                    log.warning("leave_reservation_revived", **context)
                await uow.leave.save_reservation(reservation, at=now)
        elif event.type == APPROVAL:
            if reservation is None:
                log.warning("leave_used_without_reservation", **context)
                reservation = leave.reservation(ReservationStatus.HELD)
                await uow.leave.add_reservation(reservation, at=now)
            if reservation.consume():
                account = await _locked(uow, leave.employee_id, reservation.year, self._grant, now)
                account.deduct(reservation.days)
                await uow.leave.save(account, at=now)
                await uow.leave.save_reservation(reservation, at=now)
        elif reservation is not None and reservation.release():
            await uow.leave.save_reservation(reservation, at=now)
        log.info("leave_reservation_moved", days=str(leave.days), **context)


def _leave_of(event: Event) -> LeaveOfDocument:
    """The requester, year, days, document and version of a leave document's event."""
    try:
        # the balance needs only what every approval event carries (pydantic's errors are
        # ValueErrors)
        document = ApprovalEvent.model_validate(event.data)
        fields = document.fields
        return LeaveOfDocument(
            employee_id=document.requester.id,
            year=leave_year(fields),
            days=leave_days(fields["days"]),
            document_id=document.approval_id,
            version=document.version,
            start_date=date.fromisoformat(str(fields["start_date"])),
            end_date=date.fromisoformat(str(fields["end_date"])),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UnusableApprovalEvent(f"{event.type} without usable leave fields: {exc}") from exc
