"""`dojang user list|set-manager|reset-password|deactivate` and `dojang import org`: what an
operator does from the server's shell, through the services' own use cases, so that every
change is the same event an administrator's request would cause and every read model
follows. The changes are recorded as made by `OPERATOR` (an administrator)."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dojang.employee.service.commands import EmployeeChanges
from dojang.employee.service.unit_of_work import EmployeeQuery
from dojang.kernel.auth.principal import Principal
from dojang.kernel.errors import InvalidInput, NotFound
from dojang.kernel.ports import EmployeeView
from dojang.org_csv import read_org_csv

if TYPE_CHECKING:
    from dojang.app import Embedded

OPERATOR = Principal(user_id="operator", roles=frozenset({"employee", "admin"}))
PAGE = 200


async def every_employee(embedded: Embedded) -> list[EmployeeView]:
    """Every employee, active or not, by name."""
    found: list[EmployeeView] = []
    after: tuple[str, str] | None = None
    while True:
        page = await embedded.employee.use_cases.employees.search(
            EmployeeQuery(), after=after, limit=PAGE
        )
        found.extend(page)
        if len(page) < PAGE:
            return found
        after = (page[-1].name, page[-1].id)


async def employee_by_email(embedded: Embedded, email: str) -> EmployeeView:
    """The employee with this email (any case); 404 otherwise."""
    wanted = email.strip().lower()
    matches = await embedded.employee.use_cases.employees.search(
        EmployeeQuery(text=wanted), after=None, limit=PAGE
    )
    for view in matches:
        if view.email.lower() == wanted:
            return view
    raise NotFound("There is no employee with the email {email}.", email=email)


def user_lines(employees: list[EmployeeView]) -> list[str]:
    """`dojang user list`: a header, then one tab-separated line per employee."""
    emails = {view.id: view.email for view in employees}
    lines = ["email\tname\tdepartment\tposition\troles\tmanager\tstatus\tid"]
    for view in employees:
        manager = emails.get(view.manager_id or "", view.manager_id or "-")
        department = view.department.name if view.department else "-"
        status = "active" if view.active else "deactivated"
        lines.append(
            f"{view.email}\t{view.name}\t{department}\t{view.position}\t{','.join(view.roles)}"
            f"\t{manager}\t{status}\t{view.id}"
        )
    return lines


async def set_manager(embedded: Embedded, email: str, manager_email: str | None) -> str:
    """Make `manager_email` (None: nobody) the manager of `email`."""
    employee = await employee_by_email(embedded, email)
    manager = await employee_by_email(embedded, manager_email) if manager_email else None
    await embedded.employee.use_cases.employees.update(
        OPERATOR, employee.id, EmployeeChanges(manager_id=manager.id if manager else None)
    )
    return f"{employee.email} now reports to {manager.email if manager else 'nobody'}"


async def reset_password(embedded: Embedded, email: str, password: str) -> str:
    """Give the login of `email` a new password (the policy applies); its sessions end."""
    employee = await employee_by_email(embedded, email)
    await embedded.identity.accounts.set_password(employee.id, password)
    return f"set a new password for {employee.email}; its refresh tokens no longer work"


async def deactivate(embedded: Embedded, email: str) -> str:
    """Deactivate `email`: their reports, departments and pending tasks pass on."""
    employee = await employee_by_email(embedded, email)
    await embedded.employee.use_cases.employees.deactivate(OPERATOR, employee.id)
    return f"deactivated {employee.email}; their reports and pending tasks pass to their manager"


async def import_org(embedded: Embedded, path: Path, *, dry_run: bool) -> list[str]:
    """`dojang import org FILE`: what was (or would be) done, one line each."""
    rows = read_org_csv(path)
    outcome = await embedded.employee.org_import.run(rows, dry_run=dry_run)
    verb = "would " if dry_run else ""
    return [
        *(f"{verb}found department {name}" for name in outcome.departments_founded),
        *(f"{verb}hire {email}" for email in outcome.hired),
        *(f"already employed: {email}" for email in outcome.already_employed),
        f"{'dry run: nothing written; ' if dry_run else ''}{len(outcome.hired)} hired, "
        f"{len(outcome.departments_founded)} departments founded, "
        f"{len(outcome.already_employed)} already employed",
    ]


def read_new_password() -> str:
    """The new password from a prompt (asked twice) or, when piped, stdin's first line."""
    if sys.stdin.isatty():
        first = getpass.getpass("new password: ")
        if getpass.getpass("again: ") != first:
            raise InvalidInput.field("password", "the two entries differ")
        return first
    line = sys.stdin.readline()
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise InvalidInput.field("password", "give the new password on standard input")
    return password
