"""The ways a decision or a delegation is refused.

Each is one of the kernel's typed errors, so the HTTP layer answers with the right problem
without the domain knowing about HTTP.
"""

from __future__ import annotations

from dojang.kernel.errors import Conflict, Forbidden, NotFound


class NotYourTask(Forbidden):
    """The caller holds no open task on the document (also: it is someone else's turn)."""

    def __init__(self) -> None:
        super().__init__("You have no task to decide on this document.")


class TaskClosed(Conflict):
    """The caller's task on the document was decided or cancelled already."""

    def __init__(self) -> None:
        super().__init__(
            "Your task on this document is already decided or closed; "
            "the document may have moved on, been withdrawn or rejected."
        )


class FinalAuthorityRequired(Forbidden):
    """`final` (전결) by an approver who is not in the stage's final authority."""

    def __init__(self) -> None:
        super().__init__("Only the stage's final authority may approve finally (전결).")


class OverlappingDelegation(Conflict):
    """The delegator already delegates during part of the requested window."""


class DelegationNotFound(NotFound):
    """No delegation with this id that the caller may revoke."""

    def __init__(self, delegation_id: str) -> None:
        super().__init__(f"There is no delegation {delegation_id} you may revoke.")
