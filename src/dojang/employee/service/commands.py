"""What callers ask the use cases to do, as plain data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from enum import Enum
from typing import Final


class Unset(Enum):
    """Marks a field a partial update leaves as it is (None may be a real value)."""

    UNSET = "unset"


UNSET: Final = Unset.UNSET


@dataclass(frozen=True)
class NewEmployee:
    """An employee to hire; without a password the login exists but cannot be used yet."""

    name: str
    email: str
    department_id: str | None
    position: str = "staff"
    manager_id: str | None = None
    roles: Sequence[str] = ("employee",)
    password: str | None = None


@dataclass(frozen=True)
class EmployeeChanges:
    """A partial update of an employee."""

    name: str | Unset = UNSET
    email: str | Unset = UNSET
    department_id: str | Unset = UNSET
    position: str | Unset = UNSET
    manager_id: str | Unset | None = UNSET
    roles: Sequence[str] | Unset = UNSET

    def requested(self) -> set[str]:
        """The names of the fields this update sets."""
        return {f.name for f in fields(self) if getattr(self, f.name) is not UNSET}


SELF_EDITABLE_FIELDS = frozenset({"name"})
"""What employees may change on their own record; everything else is for administrators."""


@dataclass(frozen=True)
class DepartmentChanges:
    """A partial update of a department."""

    name: str | Unset = UNSET
    parent_id: str | Unset | None = UNSET
    head_id: str | Unset | None = UNSET
