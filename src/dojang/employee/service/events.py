"""The events of topic `employee-events`, keyed by the employee or department id.

Each is built from its model in `dojang.contracts.employee_events`; see docs/employee.md
for who consumes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from dojang.contracts import employee_events
from dojang.contracts.employee_events import (
    DepartmentCreated,
    DepartmentUpdated,
    EmployeeCreated,
    EmployeeDeactivated,
    EmployeeUpdated,
)
from dojang.employee.domain.organisation import Department
from dojang.kernel.bus.envelope import Event
from dojang.kernel.ports import EmployeeView

TOPIC = employee_events.TOPIC


def _department(department: Department) -> employee_events.Department:
    return employee_events.Department(
        id=department.id,
        name=department.name,
        parent_id=department.parent_id,
        head_id=department.head_id,
    )


def employee_created(view: EmployeeView, *, at: datetime) -> Event:
    """A new employee (and, with a password, their login) exists."""
    return EmployeeCreated(employee=view).to_event(view.id, at=at)


def employee_updated(view: EmployeeView, changed: Sequence[str], *, at: datetime) -> Event:
    """An employee's fields changed; `changed` names them."""
    return EmployeeUpdated(employee=view, changed=list(changed)).to_event(view.id, at=at)


def employee_deactivated(view: EmployeeView, *, at: datetime) -> Event:
    """An employee left; their pending work goes to `manager_id`."""
    return EmployeeDeactivated(employee=view, manager_id=view.manager_id).to_event(view.id, at=at)


def department_created(department: Department, *, at: datetime) -> Event:
    """A new department exists."""
    return DepartmentCreated(department=_department(department)).to_event(department.id, at=at)


def department_updated(department: Department, changed: Sequence[str], *, at: datetime) -> Event:
    """A department's name, parent or head changed; `changed` names them."""
    data = DepartmentUpdated(department=_department(department), changed=list(changed))
    return data.to_event(department.id, at=at)
