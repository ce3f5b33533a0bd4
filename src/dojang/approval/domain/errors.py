"""The ways a document refuses an action.

Each is one of the kernel's typed errors, so the HTTP layer answers with the right problem
(403, 409 or 422) without the domain knowing about HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence

from dojang.kernel.errors import Conflict, FieldError, Forbidden, InvalidInput


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


class NoOpenSlot(Forbidden):
    """The caller holds no open slot of the document's active stage."""


class SlotClosed(Conflict):
    """The caller's slot is already decided, or its stage or the document is no longer open."""


class NoApprovalToTakeBack(Forbidden):
    """The caller made no approval on the document's current version to take back."""


class ApprovalFollowed(Conflict):
    """The approval cannot be taken back: the next approver acted, or the document is done."""


class TooManyComments(Conflict):
    """The document holds as many comments as one document may."""


class FinalAuthorityDenied(Forbidden):
    """A final approval (전결) from a slot without final authority."""


class SlotNotNamed(InvalidInput):
    """The caller holds several open slots and did not name the one they decide."""

    def __init__(self, detail: str, *, choices: Sequence[str]) -> None:
        super().__init__(
            detail,
            errors=[
                FieldError(
                    "on_behalf_of", "name one of: {choices}", {"choices": ", ".join(choices)}
                )
            ],
        )
