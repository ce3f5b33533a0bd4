"""Importing an organisation: departments and employees with their managers, all in one
transaction, so that a file is applied whole or not at all.

Rows are hired managers first (a manager named in the file is hired before their reports);
a row whose email is already an employee's is left as it is, so running the same file again
changes nothing. Every row's problems are collected, each named by its line, before the
transaction is rolled back; a dry run rolls back what would have been applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from dojang.employee.service.commands import NewEmployee
from dojang.employee.service.employees import EmployeeUseCases, UnitOfWorkFactory
from dojang.employee.service.unit_of_work import EmployeeUnitOfWork
from dojang.kernel.clock import Clock
from dojang.kernel.errors import DojangError, FieldError, InvalidInput


@dataclass(frozen=True)
class ImportedEmployee:
    """One row of the file: who, where, and the email of their manager."""

    line: int
    name: str
    email: str
    department: str | None
    position: str
    manager_email: str | None = None
    roles: tuple[str, ...] = ("employee",)


@dataclass
class ImportOutcome:
    """What the import did (or, in a dry run, would do)."""

    departments_founded: list[str] = field(default_factory=list)
    hired: list[str] = field(default_factory=list)
    already_employed: list[str] = field(default_factory=list)


class OrganisationImport:
    """The use case behind `dojang import org`."""

    def __init__(
        self, unit_of_work: UnitOfWorkFactory, employees: EmployeeUseCases, clock: Clock
    ) -> None:
        self._unit_of_work = unit_of_work
        self._employees = employees
        self._clock = clock

    async def run(self, rows: Sequence[ImportedEmployee], *, dry_run: bool) -> ImportOutcome:
        """Apply every row, or none: 422 naming each bad row's line."""
        problems: list[FieldError] = []
        by_email: dict[str, ImportedEmployee] = {}
        for row in rows:
            key = row.email.strip().lower()
            if key in by_email:
                problems.append(_at(row, f"{row.email} is also on line {by_email[key].line}"))
            else:
                by_email[key] = row
        ordered = _managers_first(list(by_email.values()), problems)
        outcome = ImportOutcome()
        async with self._unit_of_work() as uow:
            await uow.lock_organisation()
            ids: dict[str, str] = {}
            for row in ordered:
                await self._apply(uow, row, ids, outcome, problems)
            if problems:
                problems.sort(key=lambda problem: int(problem.field.split()[1]))
                raise nothing_imported(problems)
            if not dry_run:
                await uow.commit()
        return outcome

    async def _apply(
        self,
        uow: EmployeeUnitOfWork,
        row: ImportedEmployee,
        ids: dict[str, str],
        outcome: ImportOutcome,
        problems: list[FieldError],
    ) -> None:
        now = self._clock.now()
        existing = await uow.employees.get_by_email(row.email.strip())
        if existing is not None:
            ids[row.email.strip().lower()] = existing.id
            outcome.already_employed.append(existing.email)
            return
        manager_id = None
        if row.manager_email:
            manager_id = ids.get(row.manager_email.strip().lower())
            if manager_id is None:
                manager = await uow.employees.get_by_email(row.manager_email.strip())
                if manager is None:
                    problems.append(_at(row, f"manager {row.manager_email} is not an employee"))
                    return
                manager_id = manager.id
        try:
            department_id = None
            if row.department:
                department_id, founded = await self._employees.department_named(
                    uow, row.department, now=now
                )
                if founded:
                    outcome.departments_founded.append(row.department.strip())
            view = await self._employees.hire_in(
                uow,
                NewEmployee(
                    name=row.name,
                    email=row.email,
                    department_id=department_id,
                    position=row.position,
                    manager_id=manager_id,
                    roles=row.roles,
                ),
                now=now,
            )
        except DojangError as exc:
            details = "; ".join(f"{e.field}: {e.message}" for e in exc.errors) or exc.detail
            problems.append(_at(row, details))
            return
        ids[view.email.lower()] = view.id
        outcome.hired.append(view.email)


def nothing_imported(problems: list[FieldError]) -> InvalidInput:
    """The refusal of a whole file, naming each problem (its field is its line)."""
    return InvalidInput(
        "Nothing was imported: {count} problems found.", errors=problems, count=len(problems)
    )


def _at(row: ImportedEmployee, message: str) -> FieldError:
    return FieldError(f"line {row.line}", message)


def _managers_first(
    rows: list[ImportedEmployee], problems: list[FieldError]
) -> list[ImportedEmployee]:
    """The rows with every manager of the file before their reports; a cycle is a problem."""
    by_email = {row.email.strip().lower(): row for row in rows}
    ordered: list[ImportedEmployee] = []
    placed: set[str] = set()
    for row in rows:
        chain: list[ImportedEmployee] = []
        current: ImportedEmployee | None = row
        seen: set[str] = set()
        while current is not None:
            key = current.email.strip().lower()
            if key in placed:
                break
            if key in seen:
                problems.append(_at(current, "its managers lead back to it (a cycle)"))
                chain = []
                break
            seen.add(key)
            chain.append(current)
            manager = (current.manager_email or "").strip().lower()
            current = by_email.get(manager)
        for link in reversed(chain):
            placed.add(link.email.strip().lower())
            ordered.append(link)
    return ordered
