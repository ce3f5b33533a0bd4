"""Who is acting: taken only from a verified token."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("employee", "manager", "admin")


@dataclass(frozen=True)
class Principal:
    """The verified caller: an employee id and the roles the token grants."""

    user_id: str
    roles: frozenset[str]
    email: str | None = None

    def has_role(self, role: str) -> bool:
        """Whether the token grants `role` (every caller is an `employee`)."""
        return role == "employee" or role in self.roles

    @property
    def is_admin(self) -> bool:
        """Whether the caller is an administrator."""
        return "admin" in self.roles
