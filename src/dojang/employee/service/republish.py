"""The whole organisation announced again, for copies that missed part of its history.

Every service that needs the organisation keeps its own copy from `employee-events`
(docs/org-read-models.md); a copy started after the bus pruned the topic, or one restored
from an old backup, would miss what was said before. Republishing emits every department's
and every employee's current state (`department.updated` and `employee.updated`, with
`changed: []`): applying one is an upsert, so a copy that was right stays right, and one
that was behind catches up. Departments go first, so their names are known when the
employees arrive.
"""

from __future__ import annotations

from collections.abc import Callable

from dojang.employee.service import events
from dojang.employee.service.unit_of_work import EmployeeQuery, EmployeeUnitOfWork
from dojang.kernel.clock import Clock

PAGE = 500
"""Employees announced per transaction."""


class OrganisationRepublisher:
    """Emits the current state of every department and employee on `employee-events`."""

    def __init__(self, unit_of_work: Callable[[], EmployeeUnitOfWork], clock: Clock) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    async def republish(self) -> tuple[int, int]:
        """Announce everything again; returns (departments, employees) announced."""
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            departments = (await uow.departments.tree()).all()
            for department in departments:
                uow.emit(events.TOPIC, events.department_updated(department, [], at=now))
            await uow.commit()
        announced = 0
        after: tuple[str, str] | None = None
        while True:
            async with self._unit_of_work() as uow:
                page = await uow.employees.views(EmployeeQuery(), after=after, limit=PAGE)
                for view in page:
                    uow.emit(events.TOPIC, events.employee_updated(view, [], at=now))
                await uow.commit()
            announced += len(page)
            if len(page) < PAGE:
                return len(departments), announced
            after = (page[-1].name, page[-1].id)
