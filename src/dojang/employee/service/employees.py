"""Use cases of employees: hire, look up, list, change, deactivate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from dojang.employee.domain.employees import Employee, clean_email, clean_name
from dojang.employee.domain.errors import DuplicateEmail
from dojang.employee.service import events
from dojang.employee.service.commands import (
    SELF_EDITABLE_FIELDS,
    UNSET,
    EmployeeChanges,
    NewEmployee,
)
from dojang.employee.service.unit_of_work import EmployeeQuery, EmployeeUnitOfWork
from dojang.kernel.auth.principal import Principal
from dojang.kernel.calls import DEFAULT_TIMEOUT_SECONDS, within
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Forbidden, InvalidInput, NotFound
from dojang.kernel.ids import new_id
from dojang.kernel.ports import AccountProvisioner, EmployeeView

UnitOfWorkFactory = Callable[[], EmployeeUnitOfWork]

_COMPARED_FIELDS = ("name", "email", "department_id", "position", "manager_id", "roles")


async def active_employee(uow: EmployeeUnitOfWork, employee_id: str, field: str) -> Employee:
    """The active employee `employee_id` refers to; 422 on `field` otherwise."""
    employee = await uow.employees.get(employee_id)
    if employee is None:
        raise InvalidInput.field(
            field, "there is no employee {employee_id}", employee_id=employee_id
        )
    if not employee.active:
        raise InvalidInput.field(
            field, "employee {employee_id} is deactivated", employee_id=employee_id
        )
    return employee


def _changed_fields(before: Employee, after: Employee) -> list[str]:
    return [name for name in _COMPARED_FIELDS if getattr(before, name) != getattr(after, name)]


class EmployeeUseCases:
    """Hiring, reading, changing and deactivating employees."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        accounts: AccountProvisioner,
        clock: Clock,
        *,
        identity_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._accounts = accounts
        self._clock = clock
        self._identity_timeout = identity_timeout

    async def get(self, employee_id: str) -> EmployeeView:
        """One employee, active or not; 404 if there is none."""
        async with self._unit_of_work() as uow:
            view = await uow.employees.view(employee_id)
        if view is None:
            raise NotFound("There is no employee {employee_id}.", employee_id=employee_id)
        return view

    async def by_email(self, email: str) -> Employee | None:
        """The employee HR registered with this address (any case), active or not."""
        try:
            address = clean_email(email)
        except InvalidInput:
            return None  # a malformed address is nobody's
        async with self._unit_of_work() as uow:
            return await uow.employees.get_by_email(address)

    async def search(
        self, query: EmployeeQuery, *, after: tuple[str, str] | None, limit: int
    ) -> list[EmployeeView]:
        """Employees matching `query`, by name then id, after `(name, id)`."""
        async with self._unit_of_work() as uow:
            return await uow.employees.views(query, after=after, limit=limit)

    async def hire(self, new: NewEmployee) -> EmployeeView:
        """Create an employee and their login together; 409 if the email is taken."""
        if new.password is not None:
            self._accounts.check_password(new.password)
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            if new.manager_id is not None:
                await uow.lock_organisation()  # the manager must stay active (see `update`)
            if new.department_id is not None:
                tree = await uow.departments.tree()
                tree.require(new.department_id, "department_id")
            view = await self.hire_in(uow, new, now=now)
            await uow.commit()
        return view

    async def add_user(
        self,
        *,
        email: str,
        name: str,
        password: str,
        roles: Sequence[str] = ("employee",),
        department: str | None = None,
        position: str = "staff",
        manager_id: str | None = None,
    ) -> EmployeeView:
        """Hire someone with a login, finding or creating their department by name."""
        self._accounts.check_password(password)
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            if manager_id is not None:
                await uow.lock_organisation()  # the manager must stay active (see `update`)
            department_id = None
            if department is not None:
                department_id, _created = await self.department_named(uow, department, now=now)
            new = NewEmployee(
                name=name,
                email=email,
                department_id=department_id,
                position=position,
                manager_id=manager_id,
                roles=roles,
                password=password,
            )
            view = await self.hire_in(uow, new, now=now)
            await uow.commit()
        return view

    async def department_named(
        self, uow: EmployeeUnitOfWork, name: str, *, now: datetime
    ) -> tuple[str, bool]:
        """The id of the department called `name`, founded at the top
        level (with its event) if there is none; and whether it was founded now."""
        wanted = clean_name(name, "department")
        tree = await uow.departments.tree()
        found = tree.named(wanted)
        if found is not None:
            return found.id, False
        founded = tree.found(
            department_id=new_id(), name=wanted, parent_id=None, head_id=None, at=now
        )
        await uow.departments.add(founded)
        uow.emit(events.TOPIC, events.department_created(founded, at=now))
        return founded.id, True

    async def hire_in(
        self, uow: EmployeeUnitOfWork, new: NewEmployee, *, now: datetime
    ) -> EmployeeView:
        """Within `uow`: store the employee and their event, and have identity keep the
        login's password.

        Runs before the unit of work commits, so if identity refuses the password or does
        not answer, the employee and the event are rolled back with it. Identity creates the
        login itself from `employee.created` (docs/org-read-models.md, "Hiring").
        """
        employee = Employee.hire(
            employee_id=new_id(),
            name=new.name,
            email=new.email,
            department_id=new.department_id,
            position=new.position,
            manager_id=new.manager_id,
            roles=new.roles,
            at=now,
        )
        if employee.manager_id is not None:
            await active_employee(uow, employee.manager_id, "manager_id")
        await self._refuse_taken_email(uow, employee)
        await uow.employees.add(employee)
        view = await uow.employees.view(employee.id)
        assert view is not None
        uow.emit(events.TOPIC, events.employee_created(view, at=now))
        if new.password is not None:
            await within(
                self._identity_timeout,
                self._accounts.prepare_login(view.id, view.email, new.password),
                unavailable="The login service did not answer in time; nobody was hired. "
                "Try again in a moment.",
            )
        return view

    @staticmethod
    async def _refuse_taken_email(uow: EmployeeUnitOfWork, employee: Employee) -> None:
        holder = await uow.employees.get_by_email(employee.email)
        if holder is not None and holder.id != employee.id:
            raise DuplicateEmail(
                "An employee with the email {email} already exists.", email=employee.email
            )

    async def update(
        self, actor: Principal, employee_id: str, changes: EmployeeChanges
    ) -> EmployeeView:
        """Change an employee: administrators anything, employees their own display name."""
        if not actor.is_admin:
            if employee_id != actor.user_id:
                raise Forbidden("Only an administrator can change another employee.")
            refused = sorted(changes.requested() - SELF_EDITABLE_FIELDS)
            if refused:
                raise Forbidden(
                    "Only an administrator can change {refused}; you may change {allowed}.",
                    refused=", ".join(refused),
                    allowed=", ".join(sorted(SELF_EDITABLE_FIELDS)),
                )
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            if changes.manager_id is not UNSET:
                # the cycle check reads the chart another change may be changing meanwhile
                await uow.lock_organisation()
            employee = await uow.employees.get(employee_id)
            if employee is None:
                raise NotFound("There is no employee {employee_id}.", employee_id=employee_id)
            before = replace(employee)
            await self._apply(uow, actor, employee, changes)
            changed = _changed_fields(before, employee)
            if changed:
                await uow.employees.save(employee, at=now)
            view = await uow.employees.view(employee.id)
            assert view is not None
            if changed:
                uow.emit(events.TOPIC, events.employee_updated(view, changed, at=now))
                await uow.commit()
        return view

    async def _apply(
        self,
        uow: EmployeeUnitOfWork,
        actor: Principal,
        employee: Employee,
        changes: EmployeeChanges,
    ) -> None:
        if changes.name is not UNSET:
            employee.rename(changes.name)
        if changes.email is not UNSET:
            employee.change_email(changes.email)
            await self._refuse_taken_email(uow, employee)
        if changes.department_id is not UNSET:
            tree = await uow.departments.tree()
            tree.require(changes.department_id, "department_id")
            employee.transfer(changes.department_id)
        if changes.position is not UNSET:
            employee.appoint(changes.position)
        if changes.roles is not UNSET:
            employee.grant_roles(changes.roles, by=actor.user_id)
        if changes.manager_id is not UNSET and changes.manager_id != employee.manager_id:
            links: dict[str, str | None] = {}
            if changes.manager_id is not None:
                await active_employee(uow, changes.manager_id, "manager_id")
                links = await uow.employees.manager_links(changes.manager_id)
            employee.report_to(changes.manager_id, links)

    async def deactivate(self, actor: Principal, employee_id: str) -> EmployeeView:
        """Deactivate an employee; their reports and departments pass to their manager.

        Deactivating an inactive employee changes nothing and publishes nothing.
        """
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            # the leaver's reports change manager; and nobody may be put under the leaver
            # while their reports are being handed over
            await uow.lock_organisation()
            employee = await uow.employees.get(employee_id)
            if employee is None:
                raise NotFound("There is no employee {employee_id}.", employee_id=employee_id)
            if not employee.deactivate(by=actor.user_id):
                view = await uow.employees.view(employee_id)
                assert view is not None
                return view
            await uow.employees.save(employee, at=now)
            view = await uow.employees.view(employee_id)
            assert view is not None
            uow.emit(events.TOPIC, events.employee_deactivated(view, at=now))
            await self._hand_over_reports(uow, employee, now=now)
            await self._vacate_headships(uow, employee, now=now)
            await uow.commit()
        return view

    async def _hand_over_reports(
        self, uow: EmployeeUnitOfWork, leaver: Employee, *, now: datetime
    ) -> None:
        reports = await uow.employees.direct_reports(leaver.id)
        if not reports:
            return
        links = (
            await uow.employees.manager_links(leaver.manager_id)
            if leaver.manager_id is not None
            else {}
        )
        for report in reports:
            report.report_to(leaver.manager_id, links)
            await uow.employees.save(report, at=now)
            view = await uow.employees.view(report.id)
            assert view is not None
            uow.emit(events.TOPIC, events.employee_updated(view, ["manager_id"], at=now))

    @staticmethod
    async def _vacate_headships(
        uow: EmployeeUnitOfWork, leaver: Employee, *, now: datetime
    ) -> None:
        tree = await uow.departments.tree()
        for department in tree.all():
            if department.head_id == leaver.id:
                department.head_id = None
                await uow.departments.save(department, at=now)
                uow.emit(events.TOPIC, events.department_updated(department, ["head_id"], at=now))
