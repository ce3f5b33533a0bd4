"""The ways a delegation is refused.

Each is one of the kernel's typed errors, so the HTTP layer answers with the right problem
without the domain knowing about HTTP.
"""

from __future__ import annotations

from dojang.kernel.errors import Conflict, NotFound


class OverlappingDelegation(Conflict):
    """The delegator already delegates during part of the requested window."""


class DelegationNotFound(NotFound):
    """No delegation with this id that the caller may revoke."""

    def __init__(self, delegation_id: str) -> None:
        super().__init__(f"There is no delegation {delegation_id} you may revoke.")
