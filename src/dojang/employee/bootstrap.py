"""Wires the employee service from settings: database, unit of work, use cases, routes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dojang.employee.adapters.tables import kernel_tables
from dojang.employee.adapters.unit_of_work import SqlEmployeeUnitOfWork
from dojang.employee.api.attendance import attendance_router
from dojang.employee.api.departments import departments_router
from dojang.employee.api.employees import employees_router
from dojang.employee.api.leave import leave_router
from dojang.employee.service.attendance import AttendanceUseCases
from dojang.employee.service.departments import DepartmentUseCases
from dojang.employee.service.employees import EmployeeUseCases
from dojang.employee.service.leave import (
    APPROVAL_EVENTS_TOPIC,
    CONSUMER_GROUP,
    ApprovalEventHandler,
    LeaveUseCases,
)
from dojang.employee.service.org_import import OrganisationImport
from dojang.employee.service.republish import OrganisationRepublisher
from dojang.employee.service.use_cases import UseCases
from dojang.employee.settings import EmployeeSettings
from dojang.kernel.bus.consumer import ConsumerRunner
from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.port import EventBus
from dojang.kernel.bus.relay import OutboxRelay
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import Clock
from dojang.kernel.db import Database
from dojang.kernel.ports import AccountProvisioner, EmployeeView
from dojang.kernel.service import ServiceModule

SERVICE_NAME = "employee"
MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass
class EmployeeService:
    """The assembled employee service and the ports it offers.

    `leave_ledger` is the `LeaveLedger` (approval-request); `leave_events` is the consumer
    of `approval-events` (also in `module.consumers`). Other services read the organisation
    from their own copies, fed by `employee-events` (docs/org-read-models.md); `republisher`
    announces all of it again for a copy that missed events (`dojang org republish`).
    """

    module: ServiceModule
    leave_ledger: LeaveUseCases
    leave_events: ConsumerRunner[SqlEmployeeUnitOfWork]
    use_cases: UseCases
    republisher: OrganisationRepublisher
    org_import: OrganisationImport

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
        """Create an employee with a login (CLI and demo); the department is found or created.

        Raises `InvalidInput` for a weak password or a bad field and `Conflict` for a taken
        email, before anything is stored.
        """
        return await self.use_cases.employees.add_user(
            email=email,
            name=name,
            password=password,
            roles=roles,
            department=department,
            position=position,
            manager_id=manager_id,
        )


def build_employee(
    settings: EmployeeSettings,
    bus: EventBus,
    accounts: AccountProvisioner,
    *,
    clock: Clock,
) -> EmployeeService:
    """The employee service on its own database.

    It publishes `employee-events` through its outbox and consumes `approval-events` as
    group `employee` (leave balances).
    """
    database = Database(
        settings.database_url_for(SERVICE_NAME, settings.employee_database_url),
        mysql=settings.mysql_options,
    )
    signal = OutboxSignal()

    def unit_of_work() -> SqlEmployeeUnitOfWork:
        return SqlEmployeeUnitOfWork(database, kernel_tables, signal)

    use_cases = UseCases(
        departments=DepartmentUseCases(unit_of_work, clock),
        employees=EmployeeUseCases(
            unit_of_work, accounts, clock, identity_timeout=settings.port_timeout_seconds
        ),
        attendance=AttendanceUseCases(unit_of_work, clock, settings.zone),
        leave=LeaveUseCases(
            unit_of_work, clock, settings.zone, settings.annual_leave, settings.leave_hold_ttl
        ),
    )
    leave_events = ConsumerRunner[SqlEmployeeUnitOfWork](
        bus=bus,
        group=CONSUMER_GROUP,
        topics=[APPROVAL_EVENTS_TOPIC],
        handler=ApprovalEventHandler(clock=clock, grant=settings.annual_leave),
        unit_of_work=unit_of_work,
        dead_letters=BusDeadLetters(bus),
        # only leave documents move balances; the rest pass without a transaction
        accepts=lambda event: event.data.get("form") == "leave",
    )
    module = ServiceModule(
        name=SERVICE_NAME,
        routers=[
            departments_router(use_cases.departments),
            employees_router(use_cases.employees),
            attendance_router(use_cases.attendance),
            leave_router(use_cases.leave),
        ],
        database=database,
        migrations=MIGRATIONS,
        relay=OutboxRelay(database, kernel_tables, bus, signal),
        consumers=[leave_events],
    )
    return EmployeeService(
        module=module,
        leave_ledger=use_cases.leave,
        leave_events=leave_events,
        use_cases=use_cases,
        republisher=OrganisationRepublisher(unit_of_work, clock),
        org_import=OrganisationImport(unit_of_work, use_cases.employees, clock),
    )
