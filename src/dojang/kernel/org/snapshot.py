"""The organisation as it was at one moment, and the questions approval lines ask of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dojang.kernel.org.chain import walk_up
from dojang.kernel.ports import EmployeeView


@dataclass(frozen=True)
class OrgSnapshot:
    """Everyone, and each department's head. The views are shared: never change them."""

    employees: Mapping[str, EmployeeView]
    heads: Mapping[str, str | None]

    def get_employees(self, employee_ids: Sequence[str]) -> dict[str, EmployeeView]:
        """The employees with these ids that are known (active or not), by id."""
        return {i: self.employees[i] for i in dict.fromkeys(employee_ids) if i in self.employees}

    def manager_chain(self, employee_id: str) -> list[EmployeeView]:
        """The employee's managers, nearest first, up to the top of the organisation.

        The employee service refuses management cycles, but should the data hold one, the
        chain stops before the first person seen again (the employee included), and it stops
        at a manager id that names nobody known.
        """
        return walk_up(employee_id, self.employees.get, lambda view: view.manager_id)

    def department_head(self, department_id: str) -> EmployeeView | None:
        """The head (부서장) of a department, if it is known and has one."""
        head_id = self.heads.get(department_id)
        return self.employees.get(head_id) if head_id is not None else None
