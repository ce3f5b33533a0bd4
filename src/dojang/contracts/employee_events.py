"""`employee-events`: the employee service's organisation changes, keyed by employee or department.

Consumed by identity (logins follow email, roles and the active flag) and approval-processing
(a leaver's tasks go to their manager).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from dojang.contracts.base import EventData, Id, Text, by_type
from dojang.kernel.ports import EmployeeView

TOPIC = "employee-events"

EMPLOYEE_CREATED = "employee.created"
EMPLOYEE_UPDATED = "employee.updated"
EMPLOYEE_DEACTIVATED = "employee.deactivated"
DEPARTMENT_CREATED = "department.created"
DEPARTMENT_UPDATED = "department.updated"


class Department(BaseModel):
    """A department as its events carry it."""

    model_config = ConfigDict(frozen=True)

    id: Id
    name: Text
    parent_id: Id | None
    head_id: Id | None


class EmployeeEvent(EventData):
    """What every `employee.*` event carries: the employee as they are now."""

    employee: EmployeeView


class EmployeeCreated(EmployeeEvent):
    """A new employee (and, with a password, their login) exists."""

    type: ClassVar[str] = EMPLOYEE_CREATED


class EmployeeUpdated(EmployeeEvent):
    """An employee's fields changed; `changed` names them."""

    type: ClassVar[str] = EMPLOYEE_UPDATED

    changed: list[str]


class EmployeeDeactivated(EmployeeEvent):
    """An employee left; their pending work goes to `manager_id`."""

    type: ClassVar[str] = EMPLOYEE_DEACTIVATED

    manager_id: Id | None


class DepartmentCreated(EventData):
    """A new department exists."""

    type: ClassVar[str] = DEPARTMENT_CREATED

    department: Department


class DepartmentUpdated(EventData):
    """A department's name, parent or head changed; `changed` names them."""

    type: ClassVar[str] = DEPARTMENT_UPDATED

    department: Department
    changed: list[str]


MODELS = by_type(
    EmployeeCreated, EmployeeUpdated, EmployeeDeactivated, DepartmentCreated, DepartmentUpdated
)
