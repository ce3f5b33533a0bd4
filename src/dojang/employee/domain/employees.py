"""Employees, their roles, and the manager chain (who reports to whom)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from dojang.employee.domain.errors import (
    CannotDeactivateSelf,
    CannotDropOwnAdminRole,
    ManagementCycle,
)
from dojang.employee.domain.positions import Position
from dojang.kernel.auth.principal import ROLES
from dojang.kernel.errors import InvalidInput

MAX_NAME_LENGTH = 100
MAX_EMAIL_LENGTH = 254
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def clean_name(value: str, field: str = "name") -> str:
    """A display name with surrounding and repeated whitespace removed; 422 if unusable."""
    name = " ".join(value.split())
    if not name:
        raise InvalidInput.field(field, "must not be blank")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput.field(
            field, "must be at most {max_length} characters", max_length=MAX_NAME_LENGTH
        )
    if not name.isprintable():
        raise InvalidInput.field(field, "must not contain control characters")
    return name


def clean_email(value: str) -> str:
    """An email address in the lower case it is stored and compared in; 422 if malformed."""
    email = value.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH:
        raise InvalidInput.field(
            "email", "must be at most {max_length} characters", max_length=MAX_EMAIL_LENGTH
        )
    if not _EMAIL.fullmatch(email):
        raise InvalidInput.field("email", "is not an email address")
    return email


def clean_roles(roles: Iterable[str]) -> tuple[str, ...]:
    """The roles in canonical order, always including `employee`; 422 for an unknown one."""
    wanted = set(roles)
    unknown = sorted(wanted.difference(ROLES))
    if unknown:
        raise InvalidInput.field(
            "roles",
            "unknown role {unknown}; choose from {roles}",
            unknown=", ".join(unknown),
            roles=", ".join(ROLES),
        )
    wanted.add("employee")
    return tuple(role for role in ROLES if role in wanted)


def parse_position(value: str) -> Position:
    """The position named `value`; 422 if there is none."""
    try:
        return Position(value)
    except ValueError:
        choices = ", ".join(p.value for p in Position)
        raise InvalidInput.field(
            "position", "unknown position; choose from {choices}", choices=choices
        ) from None


def managers_above(employee_id: str, manager_of: Mapping[str, str | None]) -> list[str]:
    """The employee's manager, that manager's manager, and so on up to the top.

    `manager_of` maps an employee id to their manager's id; an id it lacks is at the top.
    A chain that comes back on itself is refused with `ManagementCycle`.
    """
    chain: list[str] = []
    seen = {employee_id}
    current = manager_of.get(employee_id)
    while current is not None:
        if current in seen:
            raise ManagementCycle(
                "This would make a management cycle: {cycle}",
                cycle=" → ".join([employee_id, *chain, current]),
            )
        chain.append(current)
        seen.add(current)
        current = manager_of.get(current)
    return chain


@dataclass
class Employee:
    """A person of the company; `manager_id` is who approves for them first."""

    id: str
    name: str
    email: str
    department_id: str | None
    position: Position
    manager_id: str | None
    roles: tuple[str, ...]
    active: bool
    created_at: datetime

    @classmethod
    def hire(
        cls,
        *,
        employee_id: str,
        name: str,
        email: str,
        department_id: str | None,
        position: str,
        manager_id: str | None,
        roles: Iterable[str],
        at: datetime,
    ) -> Employee:
        """A new, active employee with validated fields.

        A new id cannot be anyone's manager yet, so the manager needs no cycle check; that
        the manager exists and is active is for the caller, who can look it up.
        """
        return cls(
            id=employee_id,
            name=clean_name(name),
            email=clean_email(email),
            department_id=department_id,
            position=parse_position(position),
            manager_id=manager_id,
            roles=clean_roles(roles),
            active=True,
            created_at=at,
        )

    @property
    def is_admin(self) -> bool:
        """Whether this employee administers Dojang."""
        return "admin" in self.roles

    def rename(self, name: str) -> None:
        """Change the display name."""
        self.name = clean_name(name)

    def change_email(self, email: str) -> None:
        """Change the email address (uniqueness is the repository's to check)."""
        self.email = clean_email(email)

    def transfer(self, department_id: str | None) -> None:
        """Move to another department (its existence is the caller's to check)."""
        self.department_id = department_id

    def appoint(self, position: str) -> None:
        """Give the employee another position."""
        self.position = parse_position(position)

    def grant_roles(self, roles: Iterable[str], *, by: str) -> None:
        """Replace the roles; an administrator cannot drop their own `admin` role."""
        granted = clean_roles(roles)
        if by == self.id and self.is_admin and "admin" not in granted:
            raise CannotDropOwnAdminRole(
                "You cannot remove your own admin role; ask another administrator."
            )
        self.roles = granted

    def report_to(self, manager_id: str | None, manager_of: Mapping[str, str | None]) -> None:
        """Change the manager, refusing self-management and cycles.

        `manager_of` must hold the chain above the new manager as it is now.
        """
        if manager_id == self.id:
            raise ManagementCycle("An employee cannot be their own manager.")
        if manager_id is not None:
            managers_above(self.id, {**manager_of, self.id: manager_id})
        self.manager_id = manager_id

    def deactivate(self, *, by: str) -> bool:
        """Mark the employee inactive; False if they already were. Nobody deactivates themself."""
        if by == self.id:
            raise CannotDeactivateSelf("You cannot deactivate yourself.")
        if not self.active:
            return False
        self.active = False
        return True
