"""Ports one service offers another; the composer wires in-process or remote adapters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from pydantic import AwareDatetime, BaseModel, Field


class DepartmentRef(BaseModel):
    id: str
    name: str


class EmployeeView(BaseModel):
    """The public representation of an employee (API.md `Employee`)."""

    id: str = Field(min_length=1)
    name: str
    email: str
    department: DepartmentRef | None
    position: str
    manager_id: str | None
    roles: list[str]
    active: bool
    created_at: AwareDatetime


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


class LeaveFigures(BaseModel):
    """A year's leave as the employee service counts it, in days (halves allowed).

    `pending` is what live reservations hold; `available = granted - used - pending`.
    """

    employee_id: str
    year: int
    granted: float
    used: float
    pending: float
    available: float


class LeaveHold(BaseModel):
    """A request to hold days of leave for one version of a leave document."""

    reservation_id: str
    employee_id: str
    year: int
    days: float
    document_id: str
    version: int
    start_date: date
    end_date: date


class LeaveReservation(BaseModel):
    """The ledger's answer to a `LeaveHold`: held or refused, and the year's figures.

    `figures` are the year's after the hold when it was accepted, and as they stood when
    it was refused. A refusal because the employee's leave of another document already
    holds one of the days names that document in `overlapping_document_id`.
    """

    reservation_id: str
    accepted: bool
    figures: LeaveFigures
    overlapping_document_id: str | None = None


def leave_reservation_id(document_id: str, version: int) -> str:
    """The id of the reservation of one version of a leave document."""
    return f"{document_id}.v{version}"


class LeaveLedger(Protocol):
    """Leave balances and their reservations, owned by the employee service."""

    async def reserve(self, hold: LeaveHold) -> LeaveReservation:
        """Hold the days if the year still has them; the same hold again answers the same."""
        ...

    async def release(self, reservation_id: str) -> None:
        """Let go of a hold that no submitted document confirmed (a failed submission)."""
        ...
