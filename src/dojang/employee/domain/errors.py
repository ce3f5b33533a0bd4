"""The ways an organisation or attendance rule refuses a change.

Each is one of the kernel's typed errors, so the HTTP layer answers with the right problem
(422 with the offending field, or 409) without the domain knowing about HTTP.
"""

from __future__ import annotations

from dojang.kernel.errors import Conflict, FieldError, InvalidInput


class _FieldInvalid(InvalidInput):
    """Invalid input that always names one field."""

    field_name = "body"

    def __init__(self, detail: str, **params: object) -> None:
        super().__init__(detail, errors=[FieldError(self.field_name, detail, params)], **params)


class ManagementCycle(_FieldInvalid):
    """The new manager would end up reporting, directly or not, to the employee."""

    field_name = "manager_id"


class DepartmentCycle(_FieldInvalid):
    """The new parent department would end up below the department itself."""

    field_name = "parent_id"


class DuplicateEmail(Conflict):
    """Another employee already has this email address."""


class DuplicateDepartmentName(Conflict):
    """Another department already has this name."""


class CannotDeactivateSelf(Conflict):
    """An administrator tried to deactivate their own record."""


class CannotDropOwnAdminRole(Conflict):
    """An administrator tried to take the `admin` role away from themselves."""


class AlreadyCheckedIn(Conflict):
    """The employee has checked in on this local day already."""


class NotCheckedIn(Conflict):
    """There is no open check-in for a check-out to close."""


class AlreadyCheckedOut(Conflict):
    """Today's check-in has been closed by a check-out already."""
