"""Applies `employee-events` to a service's copy of the organisation.

Each event carries its aggregate's whole state, so applying it is an upsert of one row, and
the bus's per-key order is the only order needed (docs/org-read-models.md).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from pydantic import ValidationError
from sqlalchemy import Table, insert, update

from dojang.contracts import employee_events as contract
from dojang.contracts.base import EventData
from dojang.kernel.bus.envelope import Event
from dojang.kernel.org.tables import OrgTables
from dojang.kernel.ports import EmployeeView
from dojang.kernel.sql import SqlSession, rowcount

TOPIC = contract.TOPIC
EMPLOYEE_TYPES = frozenset(
    {contract.EMPLOYEE_CREATED, contract.EMPLOYEE_UPDATED, contract.EMPLOYEE_DEACTIVATED}
)
DEPARTMENT_TYPES = frozenset({contract.DEPARTMENT_CREATED, contract.DEPARTMENT_UPDATED})


class UnusableOrgEvent(ValueError):
    """An organisation event whose payload cannot be applied (it goes to the dead letters)."""


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


def _parse(event: Event) -> EventData:
    try:
        return contract.MODELS[event.type].model_validate(event.data)
    except ValidationError as exc:
        raise UnusableOrgEvent(f"{event.type} that does not fit its contract: {exc}") from exc


def _parse_employee(event: Event) -> EmployeeView:
    data = _parse(event)
    assert isinstance(data, contract.EmployeeEvent)
    view = data.employee
    if view.id != event.aggregate_id:
        raise UnusableOrgEvent(f"{event.type} for {event.aggregate_id} carries {view.id}")
    if event.type == contract.EMPLOYEE_DEACTIVATED and view.active:
        view = view.model_copy(update={"active": False})
    return view


def _parse_department(event: Event) -> contract.Department:
    data = _parse(event)
    assert isinstance(data, contract.DepartmentCreated | contract.DepartmentUpdated)
    department = data.department
    if department.id != event.aggregate_id:
        raise UnusableOrgEvent(f"{event.type} for {event.aggregate_id} carries {department.id}")
    return department
