"""Ports one service offers another; the composer wires in-process or remote adapters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel


class DepartmentRef(BaseModel):
    id: str
    name: str


class EmployeeView(BaseModel):
    """The public representation of an employee (API.md `Employee`)."""

    id: str
    name: str
    email: str
    department: DepartmentRef | None
    position: str
    manager_id: str | None
    roles: list[str]
    active: bool
    created_at: datetime


class EmployeeDirectory(Protocol):
    """Read access to the organisation, owned by the employee service."""

    async def get_employee(self, employee_id: str) -> EmployeeView | None:
        """The employee with this id, active or not; None if there is none."""
        ...


class AccountProvisioner(Protocol):
    """Creation of logins, owned by the identity service."""

    def check_password(self, password: str) -> None:
        """Raise `InvalidInput` (field `password`) unless the password is strong enough."""
        ...

    async def prepare_login(self, user_id: str, email: str, password: str) -> None:
        """Keep the password of the login identity creates once employee `user_id` exists.

        Called before the employee is committed; `InvalidInput` (field `password`) if the
        policy refuses it. Nothing else is reserved: a hiring that then fails leaves nothing
        that blocks the email.
        """
        ...


class OrgChart(Protocol):
    """The queries that build default approval lines, owned by the employee service."""

    async def get_employees(self, employee_ids: Sequence[str]) -> dict[str, EmployeeView]:
        """The employees with these ids that exist (active or not), by id."""
        ...

    async def manager_chain(self, employee_id: str) -> list[EmployeeView]:
        """The employee's managers, nearest first, up to the top of the organisation."""
        ...

    async def department_head(self, department_id: str) -> EmployeeView | None:
        """The head of a department, if it has one."""
        ...


class OrgDirectory(EmployeeDirectory, OrgChart, Protocol):
    """Both reads of the organisation, as a service's own copy of it answers them."""


class LeaveAllowance(BaseModel):
    """What an employee was granted and has used in one year (days, halves allowed)."""

    employee_id: str
    year: int
    granted: float
    used: float


class LeaveLedger(Protocol):
    """Leave balances, owned by the employee service."""

    async def allowance(self, employee_id: str, year: int) -> LeaveAllowance:
        """Granted and used days of `year` for the employee."""
        ...
