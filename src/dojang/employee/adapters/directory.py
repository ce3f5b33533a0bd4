"""The `EmployeeDirectory` and `OrgChart` ports other services use to read the organisation."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from dojang.employee.adapters.repositories import (
    employee_view,
    fetch_employee_view,
    select_employee_views,
)
from dojang.employee.adapters.tables import departments, employees
from dojang.kernel.db import Database
from dojang.kernel.ports import EmployeeView


class SqlEmployeeDirectory:
    """Reads employees straight from the employee database (`EmployeeDirectory`, `OrgChart`)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_employee(self, employee_id: str) -> EmployeeView | None:
        """The employee with this id, active or not; None if there is none."""
        async with self._db.engine.connect() as connection:
            return await fetch_employee_view(connection, employee_id)

    async def get_employees(self, employee_ids: Sequence[str]) -> dict[str, EmployeeView]:
        """The employees with these ids that exist (active or not), by id; one query."""
        wanted = list(dict.fromkeys(employee_ids))
        if not wanted:
            return {}
        async with self._db.engine.connect() as connection:
            rows = await connection.execute(
                select_employee_views().where(employees.c.id.in_(wanted))
            )
            return {row.id: employee_view(row) for row in rows}

    async def manager_chain(self, employee_id: str) -> list[EmployeeView]:
        """The employee's managers, nearest first, up to the top of the organisation.

        One primary-key lookup per level. The use cases refuse management cycles, but
        should the data hold one, the chain stops before the first person seen again (the
        employee included), and it stops at a manager id that names nobody.
        """
        chain: list[EmployeeView] = []
        seen = {employee_id}
        async with self._db.engine.connect() as connection:
            manager_id = await connection.scalar(
                select(employees.c.manager_id).where(employees.c.id == employee_id)
            )
            while manager_id is not None and manager_id not in seen:
                manager = await fetch_employee_view(connection, manager_id)
                if manager is None:
                    break
                chain.append(manager)
                seen.add(manager_id)
                manager_id = manager.manager_id
        return chain

    async def department_head(self, department_id: str) -> EmployeeView | None:
        """The head (부서장) of a department, if it exists and has one."""
        head_id = (
            select(departments.c.head_id).where(departments.c.id == department_id).scalar_subquery()
        )
        async with self._db.engine.connect() as connection:
            row = (
                await connection.execute(select_employee_views().where(employees.c.id == head_id))
            ).first()
        return employee_view(row) if row is not None else None
