"""Departments and the tree they form (a department may have a parent and a head)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from dojang.employee.domain.employees import clean_name
from dojang.employee.domain.errors import DepartmentCycle, DuplicateDepartmentName
from dojang.kernel.errors import InvalidInput
from dojang.kernel.org.chain import walk_up

PATH_SEPARATOR = " / "


@dataclass
class Department:
    """A unit of the organisation; `head_id` is the employee who leads it (부서장)."""

    id: str
    name: str
    parent_id: str | None
    head_id: str | None
    created_at: datetime


class DepartmentTree:
    """Every department, to check names, parents and cycles and to compute paths."""

    def __init__(self, departments: Iterable[Department]) -> None:
        self._by_id = {department.id: department for department in departments}

    def all(self) -> list[Department]:
        """Every department, in no particular order."""
        return list(self._by_id.values())

    def get(self, department_id: str) -> Department | None:
        """The department with this id, if any."""
        return self._by_id.get(department_id)

    def require(self, department_id: str, field: str) -> Department:
        """The department with this id; 422 on `field` if there is none."""
        department = self._by_id.get(department_id)
        if department is None:
            raise InvalidInput.field(
                field, "there is no department {department_id}", department_id=department_id
            )
        return department

    def named(self, name: str) -> Department | None:
        """The department called exactly `name`, if any."""
        return next((d for d in self._by_id.values() if d.name == name), None)

    def ancestors(self, department_id: str) -> list[Department]:
        """The parent, grandparent, ... of a department, nearest first."""
        return walk_up(department_id, self._by_id.get, lambda d: d.parent_id)

    def path(self, department_id: str) -> str:
        """The names from the top department down to this one, e.g. `본사 / 개발본부`."""
        department = self._by_id[department_id]
        names = [d.name for d in reversed(self.ancestors(department_id))]
        return PATH_SEPARATOR.join([*names, department.name])

    def found(
        self,
        *,
        department_id: str,
        name: str,
        parent_id: str | None,
        head_id: str | None,
        at: datetime,
    ) -> Department:
        """Add a new department under `parent_id` (or at the top) and return it."""
        cleaned = clean_name(name)
        self._refuse_taken_name(cleaned, department_id)
        if parent_id is not None:
            self.require(parent_id, "parent_id")
        department = Department(
            id=department_id, name=cleaned, parent_id=parent_id, head_id=head_id, created_at=at
        )
        self._by_id[department.id] = department
        return department

    def rename(self, department: Department, name: str) -> None:
        """Give a department another name, unique in the company."""
        cleaned = clean_name(name)
        self._refuse_taken_name(cleaned, department.id)
        department.name = cleaned

    def move(self, department: Department, parent_id: str | None) -> None:
        """Put a department under another parent (or at the top), refusing cycles."""
        if parent_id is not None:
            self.require(parent_id, "parent_id")
            if parent_id == department.id:
                raise DepartmentCycle("A department cannot be its own parent.")
            if any(a.id == department.id for a in self.ancestors(parent_id)):
                raise DepartmentCycle(
                    "The new parent is inside this department; that would make a cycle."
                )
        department.parent_id = parent_id

    def _refuse_taken_name(self, name: str, department_id: str) -> None:
        folded = name.casefold()
        for other in self._by_id.values():
            if other.id != department_id and other.name.casefold() == folded:
                raise DuplicateDepartmentName(
                    "There is already a department named '{name}'.", name=name
                )
