"""The ways a document refuses an action.

Each is one of the kernel's typed errors, so the HTTP layer answers with the right problem
(403, 409 or 422) without the domain knowing about HTTP.
"""

from __future__ import annotations

from dojang.kernel.errors import Conflict, Forbidden


class NotADraft(Conflict):
    """Only a draft can be edited or submitted."""


class NotInProgress(Conflict):
    """The document is a draft or already finished, so it cannot be withdrawn."""


class NotResubmittable(Conflict):
    """Only a rejected or withdrawn document can be submitted again."""


class RequesterOnly(Forbidden):
    """Only the requester may do this to their document."""


class NotCc(Forbidden):
    """Only a cc member (참조) records a read receipt."""
