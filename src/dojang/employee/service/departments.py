"""Use cases of departments: list, look up, found, change."""

from __future__ import annotations

from dataclasses import dataclass, replace

from dojang.employee.domain.organisation import Department, DepartmentTree
from dojang.employee.service import events
from dojang.employee.service.commands import UNSET, DepartmentChanges
from dojang.employee.service.employees import UnitOfWorkFactory, active_employee
from dojang.kernel.clock import Clock
from dojang.kernel.errors import NotFound
from dojang.kernel.ids import new_id

_COMPARED_FIELDS = ("name", "parent_id", "head_id")


@dataclass(frozen=True)
class DepartmentView:
    """A department as clients see it, with its path from the top of the organisation."""

    id: str
    name: str
    parent_id: str | None
    head_id: str | None
    path: str

    @classmethod
    def of(cls, department: Department, tree: DepartmentTree) -> DepartmentView:
        """The view of `department`, a member of `tree`."""
        return cls(
            id=department.id,
            name=department.name,
            parent_id=department.parent_id,
            head_id=department.head_id,
            path=tree.path(department.id),
        )


class DepartmentUseCases:
    """Reading and shaping the department tree."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, clock: Clock) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    async def browse(self, *, after: tuple[str, str] | None, limit: int) -> list[DepartmentView]:
        """Departments in tree order (by path, then id), after `(path, id)`."""
        async with self._unit_of_work() as uow:
            tree = await uow.departments.tree()
        views = sorted(
            (DepartmentView.of(d, tree) for d in tree.all()), key=lambda v: (v.path, v.id)
        )
        if after is not None:
            views = [v for v in views if (v.path, v.id) > after]
        return views[:limit]

    async def get(self, department_id: str) -> DepartmentView:
        """One department; 404 if there is none."""
        async with self._unit_of_work() as uow:
            tree = await uow.departments.tree()
        department = tree.get(department_id)
        if department is None:
            raise NotFound("There is no department {department_id}.", department_id=department_id)
        return DepartmentView.of(department, tree)

    async def found(
        self, *, name: str, parent_id: str | None, head_id: str | None
    ) -> DepartmentView:
        """Create a department under `parent_id` (or at the top), led by `head_id`."""
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            if head_id is not None:
                # the head must stay active: a deactivation clears headships it has read
                await uow.lock_organisation()
            tree = await uow.departments.tree()
            department = tree.found(
                department_id=new_id(), name=name, parent_id=parent_id, head_id=head_id, at=now
            )
            if head_id is not None:
                await active_employee(uow, head_id, "head_id")
            await uow.departments.add(department)
            uow.emit(events.TOPIC, events.department_created(department, at=now))
            await uow.commit()
        return DepartmentView.of(department, tree)

    async def update(self, department_id: str, changes: DepartmentChanges) -> DepartmentView:
        """Rename, move or change the head of a department."""
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            if changes.parent_id is not UNSET or changes.head_id is not UNSET:
                # the cycle check and the active head check read what another change or a
                # deactivation may be changing meanwhile
                await uow.lock_organisation()
            tree = await uow.departments.tree()
            department = tree.get(department_id)
            if department is None:
                raise NotFound(
                    "There is no department {department_id}.", department_id=department_id
                )
            before = replace(department)
            if changes.name is not UNSET:
                tree.rename(department, changes.name)
            if changes.parent_id is not UNSET:
                tree.move(department, changes.parent_id)
            if changes.head_id is not UNSET and changes.head_id != department.head_id:
                if changes.head_id is not None:
                    await active_employee(uow, changes.head_id, "head_id")
                department.head_id = changes.head_id
            changed = [f for f in _COMPARED_FIELDS if getattr(before, f) != getattr(department, f)]
            if changed:
                await uow.departments.save(department, at=now)
                uow.emit(events.TOPIC, events.department_updated(department, changed, at=now))
                await uow.commit()
        return DepartmentView.of(department, tree)
