"""Applies `employee-events` to a service's copy of the organisation.

Each event carries its aggregate's whole state, so applying it is an upsert of one row, and
the bus's per-key order is the only order needed (docs/org-read-models.md).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import Table, insert, update

from dojang.kernel.bus.envelope import Event
from dojang.kernel.org.tables import OrgTables
from dojang.kernel.ports import EmployeeView
from dojang.kernel.sql import SqlSession, rowcount

TOPIC = "employee-events"
EMPLOYEE_TYPES = frozenset({"employee.created", "employee.updated", "employee.deactivated"})
DEPARTMENT_TYPES = frozenset({"department.created", "department.updated"})


class UnusableOrgEvent(ValueError):
    """An organisation event whose payload cannot be applied (it goes to the dead letters)."""


class _Department(BaseModel):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    parent_id: str | None = None
    head_id: str | None = None


class OrgUnitOfWork(Protocol):
    """What the applier needs of a service's unit of work (the kernel's `SqlUnitOfWork`)."""

    @property
    def session(self) -> SqlSession: ...

    def after_commit(self, callback: Callable[[], Awaitable[None]]) -> None: ...


def is_org_event(event: Event) -> bool:
    """Whether the copy applies this event type (the runner's `accepts`)."""
    return event.type in EMPLOYEE_TYPES or event.type in DEPARTMENT_TYPES


class OrgEventApplier:
    """A consumer handler that keeps `OrgTables` equal to the last state of each aggregate."""

    def __init__(self, tables: OrgTables, on_applied: Callable[[], None]) -> None:
        self._tables = tables
        self._on_applied = on_applied

    async def __call__(self, event: Event, uow: OrgUnitOfWork) -> None:
        """Upsert the employee or department the event describes; bump the generation."""
        if event.type in EMPLOYEE_TYPES:
            view = _parse_employee(event)
            values: dict[str, Any] = {
                "view": view.model_dump(mode="json"),
                "updated_at": event.occurred_at,
            }
            await _upsert(uow.session, self._tables.employees, view.id, values)
        elif event.type in DEPARTMENT_TYPES:
            department = _parse_department(event)
            values = department.model_dump(exclude={"id"}) | {"updated_at": event.occurred_at}
            await _upsert(uow.session, self._tables.departments, department.id, values)
        else:
            return
        state = self._tables.state
        await uow.session.execute(
            update(state).where(state.c.id == 1).values(generation=state.c.generation + 1)
        )

        async def applied() -> None:
            self._on_applied()

        uow.after_commit(applied)


async def _upsert(session: SqlSession, table: Table, row_id: str, values: dict[str, Any]) -> None:
    if not await rowcount(session, update(table).where(table.c.id == row_id).values(**values)):
        await session.execute(insert(table).values(id=row_id, **values))


def _parse_employee(event: Event) -> EmployeeView:
    try:
        view = EmployeeView.model_validate(event.data["employee"])
    except (KeyError, ValidationError) as exc:
        raise UnusableOrgEvent(f"{event.type} without a valid employee: {exc}") from exc
    if view.id != event.aggregate_id:
        raise UnusableOrgEvent(f"{event.type} for {event.aggregate_id} carries {view.id}")
    if event.type == "employee.deactivated" and view.active:
        view = view.model_copy(update={"active": False})
    return view


def _parse_department(event: Event) -> _Department:
    try:
        department = _Department.model_validate(event.data["department"])
    except (KeyError, ValidationError) as exc:
        raise UnusableOrgEvent(f"{event.type} without a valid department: {exc}") from exc
    if department.id != event.aggregate_id:
        raise UnusableOrgEvent(f"{event.type} for {event.aggregate_id} carries {department.id}")
    return department
