"""The events of topic `employee-events`, keyed by the employee or department id.

See docs/employee.md for who consumes them and what each carries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from dojang.employee.domain.organisation import Department
from dojang.kernel.bus.envelope import Event
from dojang.kernel.ports import EmployeeView

TOPIC = "employee-events"

EMPLOYEE_CREATED = "employee.created"
EMPLOYEE_UPDATED = "employee.updated"
EMPLOYEE_DEACTIVATED = "employee.deactivated"
DEPARTMENT_CREATED = "department.created"
DEPARTMENT_UPDATED = "department.updated"


def _employee_data(view: EmployeeView) -> dict[str, Any]:
    return {"employee": view.model_dump(mode="json")}


def _department_data(department: Department) -> dict[str, Any]:
    return {
        "department": {
            "id": department.id,
            "name": department.name,
            "parent_id": department.parent_id,
            "head_id": department.head_id,
        }
    }


def employee_created(view: EmployeeView, *, at: datetime) -> Event:
    """A new employee (and, with a password, their login) exists."""
    return Event(
        type=EMPLOYEE_CREATED, aggregate_id=view.id, data=_employee_data(view), occurred_at=at
    )


def employee_updated(view: EmployeeView, changed: Sequence[str], *, at: datetime) -> Event:
    """An employee's fields changed; `changed` names them."""
    return Event(
        type=EMPLOYEE_UPDATED,
        aggregate_id=view.id,
        data={**_employee_data(view), "changed": list(changed)},
        occurred_at=at,
    )


def employee_deactivated(view: EmployeeView, *, at: datetime) -> Event:
    """An employee left; their pending work goes to `manager_id`."""
    return Event(
        type=EMPLOYEE_DEACTIVATED,
        aggregate_id=view.id,
        data={**_employee_data(view), "manager_id": view.manager_id},
        occurred_at=at,
    )


def department_created(department: Department, *, at: datetime) -> Event:
    """A new department exists."""
    return Event(
        type=DEPARTMENT_CREATED,
        aggregate_id=department.id,
        data=_department_data(department),
        occurred_at=at,
    )


def department_updated(department: Department, changed: Sequence[str], *, at: datetime) -> Event:
    """A department's name, parent or head changed; `changed` names them."""
    return Event(
        type=DEPARTMENT_UPDATED,
        aggregate_id=department.id,
        data={**_department_data(department), "changed": list(changed)},
        occurred_at=at,
    )
