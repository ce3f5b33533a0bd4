"""Request and response bodies of the employee API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from dojang.employee.domain.attendance import AttendanceRecord
from dojang.employee.domain.employees import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH
from dojang.employee.domain.leave import LeaveBalance as LeaveBalanceRecord
from dojang.employee.domain.positions import Position
from dojang.employee.service.commands import (
    UNSET,
    DepartmentChanges,
    EmployeeChanges,
    NewEmployee,
)
from dojang.employee.service.departments import DepartmentView
from dojang.kernel.i18n import MessageError, msg
from dojang.kernel.text import ONE_LINE

Role = Literal["employee", "manager", "admin"]
Name = Annotated[str, ONE_LINE, StringConstraints(min_length=1, max_length=MAX_NAME_LENGTH)]
Email = Field(min_length=3, max_length=MAX_EMAIL_LENGTH, examples=["kim@example.com"])
MAX_PASSWORD_LENGTH = 1024


def _only_employee() -> list[Role]:
    return ["employee"]


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise MessageError(msg("must not be null"))
    return value


class Department(BaseModel):
    """A department and its path from the top, e.g. `본사 / 개발본부 / 플랫폼팀`."""

    id: str
    name: str
    parent_id: str | None
    head_id: str | None
    path: str

    @classmethod
    def of(cls, view: DepartmentView) -> Department:
        """The body of a department view."""
        return cls(
            id=view.id,
            name=view.name,
            parent_id=view.parent_id,
            head_id=view.head_id,
            path=view.path,
        )


class NewDepartmentBody(BaseModel):
    """A department to create; without `parent_id` it is at the top."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    parent_id: str | None = None
    head_id: str | None = None


class DepartmentPatchBody(BaseModel):
    """Fields of a department to change; `null` clears the parent or the head."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    parent_id: str | None = None
    head_id: str | None = None

    _name_not_null = field_validator("name", mode="before")(_refuse_null)

    def changes(self) -> DepartmentChanges:
        """The partial update this body asks for."""
        sent = self.model_fields_set
        return DepartmentChanges(
            name=self.name if "name" in sent and self.name is not None else UNSET,
            parent_id=self.parent_id if "parent_id" in sent else UNSET,
            head_id=self.head_id if "head_id" in sent else UNSET,
        )


class NewEmployeeBody(BaseModel):
    """An employee to hire; with `password` they can log in at once."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    email: str = Email
    department_id: str
    position: Position
    manager_id: str | None = None
    roles: list[Role] = Field(default_factory=_only_employee)
    password: str | None = Field(default=None, max_length=MAX_PASSWORD_LENGTH)

    def command(self) -> NewEmployee:
        """The hiring this body asks for."""
        return NewEmployee(
            name=self.name,
            email=self.email,
            department_id=self.department_id,
            position=self.position.value,
            manager_id=self.manager_id,
            roles=tuple(self.roles),
            password=self.password,
        )


class EmployeePatchBody(BaseModel):
    """Fields of an employee to change; `manager_id: null` removes the manager."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    email: str | None = Field(default=None, min_length=3, max_length=MAX_EMAIL_LENGTH)
    department_id: str | None = None
    position: Position | None = None
    manager_id: str | None = None
    roles: list[Role] | None = None

    _not_null = field_validator(
        "name", "email", "department_id", "position", "roles", mode="before"
    )(_refuse_null)

    def changes(self) -> EmployeeChanges:
        """The partial update this body asks for."""
        sent = self.model_fields_set
        return EmployeeChanges(
            name=self.name if self.name is not None else UNSET,
            email=self.email if self.email is not None else UNSET,
            department_id=self.department_id if self.department_id is not None else UNSET,
            position=self.position.value if self.position is not None else UNSET,
            manager_id=self.manager_id if "manager_id" in sent else UNSET,
            roles=tuple(self.roles) if self.roles is not None else UNSET,
        )


class Attendance(BaseModel):
    """One local day of attendance; `work_minutes` once checked out."""

    id: str
    employee_id: str
    date: dt.date
    check_in_at: dt.datetime
    check_out_at: dt.datetime | None
    work_minutes: int | None

    @classmethod
    def of(cls, record: AttendanceRecord) -> Attendance:
        """The body of an attendance record."""
        return cls(
            id=record.id,
            employee_id=record.employee_id,
            date=record.work_date,
            check_in_at=record.check_in_at,
            check_out_at=record.check_out_at,
            work_minutes=record.work_minutes,
        )


class LeaveBalance(BaseModel):
    """One employee's leave (연차) in one year, in days (halves allowed).

    `pending` is what reservations of submitted, undecided documents hold; `remaining` is
    `granted - used`, and `available` (`remaining - pending`) is what a new leave request
    may take: the figures a submission is checked against.
    """

    employee_id: str
    year: int
    granted: float
    used: float
    pending: float
    remaining: float
    available: float

    @classmethod
    def of(cls, balance: LeaveBalanceRecord) -> LeaveBalance:
        """The body of a balance."""
        return cls(
            employee_id=balance.employee_id,
            year=balance.year,
            granted=float(balance.granted),
            used=float(balance.used),
            pending=float(balance.pending),
            remaining=float(balance.remaining),
            available=float(balance.available),
        )
