"""The `EmployeeDirectory` port other services use to read the organisation."""

from __future__ import annotations

from dojang.employee.adapters.repositories import fetch_employee_view
from dojang.kernel.db import Database
from dojang.kernel.ports import EmployeeView


class SqlEmployeeDirectory:
    """Reads employees straight from the employee database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_employee(self, employee_id: str) -> EmployeeView | None:
        """The employee with this id, active or not; None if there is none."""
        async with self._db.engine.connect() as connection:
            return await fetch_employee_view(connection, employee_id)
