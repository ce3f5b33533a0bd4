"""Which boxes (결재함) hold a document, for whom: the rows of the box index.

One rule, read by every store: the SQL adapter keeps one row per (viewer, box, document),
the MongoDB adapter one `boxes` entry per pair, both written with the document itself, so a
list is a walk of one index from the newest document down that stops at the page size.
"""

from __future__ import annotations

from dojang.approval.domain.document import ApprovalDocument, DocumentStatus, Role
from dojang.approval.service.unit_of_work import Box

ALL = "all"  # the box of `GET /api/approvals` without `box`: every document one is involved in

BoxEntry = tuple[str, str]  # (viewer id, box name)


def box_name(box: Box | None) -> str:
    """The stored name of a box; `all` when the caller names none."""
    return ALL if box is None else box.value


def box_entries_of(document: ApprovalDocument) -> set[BoxEntry]:
    """Every (viewer, box) pair that lists `document` now."""
    requester = document.requester.id
    status = document.status
    involved = document.participants()
    entries: set[BoxEntry] = {(requester, ALL)}
    entries.update((employee_id, ALL) for employee_id, _ in involved)
    if status is DocumentStatus.DRAFT:
        entries.add((requester, Box.DRAFTS.value))
        return entries
    entries.add((requester, Box.SUBMITTED.value))
    entries.update((employee_id, Box.CC.value) for employee_id, role in involved if role is Role.CC)
    if status is DocumentStatus.IN_PROGRESS:
        entries.update(
            (employee_id, Box.INBOX.value) for employee_id, role in involved if role is Role.HOLDER
        )
    if status is DocumentStatus.APPROVED or status is DocumentStatus.REJECTED:
        box = Box.COMPLETED if status is DocumentStatus.APPROVED else Box.REJECTED
        entries.add((requester, box.value))
        entries.update(
            (employee_id, box.value)
            for employee_id, role in involved
            if role is Role.APPROVER or role is Role.DECIDER
        )
    return entries
