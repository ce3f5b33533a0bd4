"""Use cases of attendance: check in, check out, read someone's record."""

from __future__ import annotations

from datetime import date, timedelta, tzinfo

from dojang.employee.domain import attendance as rules
from dojang.employee.domain.attendance import AttendanceRecord, local_day
from dojang.employee.domain.employees import managers_above
from dojang.employee.service.employees import UnitOfWorkFactory
from dojang.employee.service.unit_of_work import EmployeeUnitOfWork
from dojang.kernel.auth.principal import Principal
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Forbidden, InvalidInput, NotFound
from dojang.kernel.ids import new_id

DEFAULT_PERIOD = timedelta(days=30)
"""What `history` covers when the caller names no start: the 30 days up to the end."""


class AttendanceUseCases:
    """Check-in and check-out of the caller, and reading attendance by those allowed to."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, clock: Clock, zone: tzinfo) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._zone = zone

    async def check_in(self, actor: Principal) -> AttendanceRecord:
        """Open the caller's attendance of today; 409 if they checked in today already."""
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            await self._require_active(uow, actor.user_id)
            record = rules.check_in(
                record_id=new_id(),
                employee_id=actor.user_id,
                at=now,
                zone=self._zone,
                todays_record=await uow.attendance.latest(actor.user_id),
            )
            await uow.attendance.add(record)
            await uow.commit()
        return record

    async def check_out(self, actor: Principal) -> AttendanceRecord:
        """Close the caller's open check-in; 409 without one or after a check-out."""
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            await self._require_active(uow, actor.user_id)
            latest = await uow.attendance.latest(actor.user_id)
            record = rules.check_out(latest, at=now, zone=self._zone)
            await uow.attendance.save(record)
            await uow.commit()
        return record

    async def history(
        self,
        actor: Principal,
        *,
        employee_id: str | None,
        first: date | None,
        last: date | None,
        after: tuple[date, str] | None,
        limit: int,
    ) -> list[AttendanceRecord]:
        """Records of days `first`..`last`, newest first, for the employee or those above them.

        Without an employee, the caller's own; without `last`, up to today; without `first`,
        the 30 days before `last`.
        """
        target = employee_id or actor.user_id
        last = last or local_day(self._clock.now(), self._zone)
        if first is None:
            first = last - DEFAULT_PERIOD if last - date.min > DEFAULT_PERIOD else date.min
        if first > last:
            raise InvalidInput.field("from", "must not be after `to`")
        async with self._unit_of_work() as uow:
            if await uow.employees.get(target) is None:
                raise NotFound("There is no employee {employee_id}.", employee_id=target)
            if target != actor.user_id and not actor.is_admin:
                chain = managers_above(target, await uow.employees.manager_links(target))
                if actor.user_id not in chain:
                    raise Forbidden(
                        "Only the employee, their managers and administrators can read this."
                    )
            return await uow.attendance.between(target, first, last, after=after, limit=limit)

    @staticmethod
    async def _require_active(uow: EmployeeUnitOfWork, employee_id: str) -> None:
        employee = await uow.employees.get(employee_id)
        if employee is None or not employee.active:
            raise Forbidden("Only active employees record attendance.")
