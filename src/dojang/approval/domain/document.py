"""The approval document (기안문): its content, line, cc, comments, audit timeline and versions.

`ApprovalDocument` is the aggregate the approval-request service loads and saves whole. Its
approval line is the pure state machine of `line.py`; the document adds who asked, what for,
who may see it, who holds its open tasks, and the record of everything that happened. Like the
line it reads no clock: every action takes its instant from the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from dojang.approval.domain.errors import (
    ApprovalFollowed,
    FinalAuthorityDenied,
    NoApprovalToTakeBack,
    NoOpenSlot,
    NotADraft,
    NotCc,
    NotInProgress,
    NotResubmittable,
    SlotClosed,
    SlotNotNamed,
    TooManyComments,
)
from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.labels import status_label
from dojang.approval.domain.line import (
    AlreadyDecided,
    ApprovalLine,
    Decision,
    FinalAuthorityRequired,
    LineStatus,
    NextApproverActed,
    StageStatus,
    Transition,
)
from dojang.approval.domain.line import NotInProgress as LineNotInProgress

# What the document's status is called: the line's statuses, `draft` included.
DocumentStatus = LineStatus

# comments one document may hold (all versions together)
MAX_COMMENTS = 300


class Action(StrEnum):
    """What a timeline entry records."""

    CREATED = "created"
    UPDATED = "updated"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    STAGE_APPROVED = "stage_approved"
    FINAL_APPROVED = "final_approved"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    TAKEN_BACK = "taken_back"
    RESUBMITTED = "resubmitted"
    COMMENTED = "commented"
    READ = "read"


class Role(StrEnum):
    """How an employee other than the requester is involved in a document."""

    APPROVER = "approver"  # in the line of any version
    DECIDER = "decider"  # decided in someone's place (대결)
    CC = "cc"  # in the current version's cc
    HOLDER = "holder"  # holds an open task now


@dataclass(frozen=True)
class Person:
    """An employee as documents show them: id and display name."""

    id: str
    name: str

    def to_dict(self) -> dict[str, str]:
        """The JSON form, `{id, name}`."""
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class CcMember:
    """A cc member (참조) and when they first read the document, if they have."""

    employee_id: str
    read_at: datetime | None = None

    def to_dict(self) -> dict[str, object]:
        """The JSON form, `{employee_id, read_at}`."""
        return {"employee_id": self.employee_id, "read_at": _instant(self.read_at)}


@dataclass(frozen=True)
class Comment:
    """A comment on the document, made while `version` was current."""

    id: str
    version: int
    author: Person
    body: str
    created_at: datetime

    def to_dict(self) -> dict[str, object]:
        """The JSON form."""
        return {
            "id": self.id,
            "version": self.version,
            "author": self.author.to_dict(),
            "body": self.body,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the audit trail: who did what, when, in which version."""

    at: datetime
    action: Action
    actor_id: str | None
    on_behalf_of: str | None
    version: int
    detail: Mapping[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """The JSON form."""
        return {
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "on_behalf_of": self.on_behalf_of,
            "action": self.action.value,
            "detail": dict(self.detail),
            "version": self.version,
        }


@dataclass(frozen=True)
class TaskHolder:
    """Who holds an approver's open slot: the approver, or someone on their behalf.

    This service records a holder the moment a stage opens (`task_id` None, `revision` 0);
    approval-processing, which owns who holds each slot, then reports its task and every
    later change of hands, each with the task's `revision`, so a report delivered late
    never undoes a newer one.
    """

    approver_id: str
    assignee_id: str
    task_id: str | None = None
    on_behalf_of: str | None = None
    revision: int = 0

    @classmethod
    def of(cls, approver_id: str, assignee_id: str) -> TaskHolder:
        """The holder of a slot as this service finds it when the stage opens."""
        return cls(
            approver_id=approver_id,
            assignee_id=assignee_id,
            on_behalf_of=approver_id if assignee_id != approver_id else None,
        )

    def to_dict(self) -> dict[str, object]:
        """The JSON form."""
        return {
            "approver_id": self.approver_id,
            "task_id": self.task_id,
            "assignee_id": self.assignee_id,
            "on_behalf_of": self.on_behalf_of,
            "revision": self.revision,
        }


@dataclass(frozen=True)
class VersionSnapshot:
    """A finished earlier version, kept as it stood when it was replaced by a resubmission."""

    version: int
    title: str
    content: str
    fields: Mapping[str, object]
    line: Mapping[str, object]
    cc: tuple[CcMember, ...]
    status: DocumentStatus
    submitted_at: datetime | None
    completed_at: datetime | None

    def to_dict(self) -> dict[str, object]:
        """The JSON form; `line` is the line's `to_dict()`."""
        return {
            "version": self.version,
            "title": self.title,
            "content": self.content,
            "fields": dict(self.fields),
            "line": dict(self.line),
            "cc": [member.to_dict() for member in self.cc],
            "status": self.status.value,
            "submitted_at": _instant(self.submitted_at),
            "completed_at": _instant(self.completed_at),
        }


@dataclass(frozen=True)
class DocumentContent:
    """What the requester writes: title, body text, the form's fields, line and cc.

    `line` is None when the form's default line is to be built at submission; `custom_line`
    says whether the requester named the line (it is then kept for a resubmission).
    """

    title: str
    content: str
    fields: Mapping[str, object]
    line: ApprovalLine | None
    custom_line: bool
    cc: tuple[str, ...]


class ApprovalDocument:
    """One document through all its versions; only the current version can change."""

    def __init__(
        self,
        *,
        document_id: str,
        form: FormCode,
        requester: Person,
        created_at: datetime,
        updated_at: datetime,
        version: int,
        content: DocumentContent,
        cc: Sequence[CcMember],
        submitted_at: datetime | None = None,
        completed_at: datetime | None = None,
        number: str | None = None,
        comments: Sequence[Comment] = (),
        timeline: Sequence[TimelineEntry] = (),
        holders: Mapping[str, TaskHolder] | None = None,
        history: Sequence[VersionSnapshot] = (),
        revision: int = 0,
    ) -> None:
        """Assemble a document from its parts; new ones come from `draft`."""
        self.id = document_id
        self.form = form
        self.requester = requester
        self.created_at = created_at
        self.updated_at = updated_at
        self.version = version
        self.title = content.title
        self.content = content.content
        self.fields: dict[str, object] = dict(content.fields)
        self.line = content.line
        self.custom_line = content.custom_line
        self.cc = list(cc)
        self.submitted_at = submitted_at
        self.completed_at = completed_at
        self.number = number
        self.comments = list(comments)
        self.timeline = list(timeline)
        self.holders: dict[str, TaskHolder] = dict(holders or {})
        self.history = list(history)
        # The stored revision this object was loaded at; the repository's optimistic check.
        self.revision = revision

    @classmethod
    def draft(
        cls,
        *,
        document_id: str,
        form: FormCode,
        requester: Person,
        content: DocumentContent,
        at: datetime,
    ) -> ApprovalDocument:
        """A new draft; `content.line`, if any, is a draft line."""
        document = cls(
            document_id=document_id,
            form=form,
            requester=requester,
            created_at=at,
            updated_at=at,
            version=1,
            content=content,
            cc=[CcMember(employee_id) for employee_id in content.cc],
        )
        document._record(at, Action.CREATED, requester.id)
        return document

    # What the document is now

    @property
    def status(self) -> DocumentStatus:
        """draft, in_progress, approved, rejected or withdrawn."""
        if self.line is None:
            return DocumentStatus.DRAFT
        return self.line.status

    @property
    def current_stage(self) -> int | None:
        """The index of the active stage while in progress."""
        return None if self.line is None else self.line.active_stage

    @property
    def cc_ids(self) -> list[str]:
        """The current version's cc members."""
        return [member.employee_id for member in self.cc]

    def current_content(self) -> DocumentContent:
        """The requester's part of the current version."""
        return DocumentContent(
            title=self.title,
            content=self.content,
            fields=self.fields,
            line=self.line,
            custom_line=self.custom_line,
            cc=tuple(self.cc_ids),
        )

    def task_holders(self) -> list[str]:
        """Who holds the open slots now, each once."""
        if self.line is None:
            return []
        return list(dict.fromkeys(self.holder_of(a) for a in self.line.open_approvers()))

    def participants(self) -> set[tuple[str, Role]]:
        """Everyone involved besides the requester, with how: the box and visibility index.

        A draft has none: it is the requester's alone until it is submitted.
        """
        found: set[tuple[str, Role]] = set()
        if self.status is DocumentStatus.DRAFT:
            return found
        slots = [slot for snapshot in self.history for slot in _stored_slots(snapshot.line)]
        if self.line is not None:
            slots.extend(
                (slot.employee_id, slot.decided_by)
                for stage in self.line.stages
                for slot in stage.approvers
            )
        for approver_id, decided_by in slots:
            found.add((approver_id, Role.APPROVER))
            if decided_by is not None and decided_by != approver_id:
                found.add((decided_by, Role.DECIDER))
        found.update((employee_id, Role.CC) for employee_id in self.cc_ids)
        if self.status is DocumentStatus.IN_PROGRESS:
            found.update((holder.assignee_id, Role.HOLDER) for holder in self.holders.values())
        return found

    def visible_to(self, employee_id: str) -> bool:
        """Whether this employee may read the document (administrators aside).

        A draft is the requester's alone; afterwards everyone in the line of any version,
        whoever decided or holds a task in someone's place, and the cc members may read it.
        """
        if employee_id == self.requester.id:
            return True
        return any(member == employee_id for member, _ in self.participants())

    def versions(self) -> list[VersionSnapshot]:
        """Every version, oldest first; the last is the current one as it stands now."""
        return [*self.history, self._snapshot()]

    # What the requester does

    def edit_draft(self, content: DocumentContent, *, at: datetime) -> None:
        """Replace the draft's content; only while it is a draft."""
        self._require_draft("The document is {status}; only a draft can be edited.")
        self._set_content(content)
        self.cc = [CcMember(employee_id) for employee_id in content.cc]
        self._record(at, Action.UPDATED, self.requester.id)

    def submit(self, content: DocumentContent, *, at: datetime) -> Transition:
        """Send the draft on its way with its final content; the first stage gets tasks."""
        self._require_draft("The document is {status}; only a draft can be submitted.")
        if content.line is None:
            raise ValueError("a submission needs its approval line")
        self._set_content(content)
        self.cc = [CcMember(employee_id) for employee_id in content.cc]
        transition = content.line.start()
        self.submitted_at = at
        self._record(at, Action.SUBMITTED, self.requester.id)
        return transition

    def withdraw(self, *, at: datetime) -> tuple[Transition, list[str]]:
        """Take the document back (회수); returns the transition and the holders released."""
        released = self.task_holders()
        if self.line is None:
            raise NotInProgress("A draft has not been submitted, so it cannot be withdrawn.")
        try:
            transition = self.line.withdraw()
        except LineNotInProgress:
            raise NotInProgress(
                "The document is {status}; only one in progress can be withdrawn.",
                status=status_label(self.status),
            ) from None
        self.holders = {}
        self.completed_at = at
        self._record(at, Action.WITHDRAWN, self.requester.id)
        return transition, released

    def resubmit(self, content: DocumentContent, *, at: datetime) -> Transition:
        """Start a new version after a rejection or withdrawal; the old one is kept."""
        if self.status not in (DocumentStatus.REJECTED, DocumentStatus.WITHDRAWN):
            raise NotResubmittable(
                "The document is {status}; only a rejected or withdrawn document "
                "can be resubmitted.",
                status=status_label(self.status),
            )
        if content.line is None or content.line.status is not LineStatus.DRAFT:
            raise ValueError("a resubmission needs a new draft line")
        self.history.append(self._snapshot())
        self.version += 1
        self._set_content(content)
        self.cc = [CcMember(employee_id) for employee_id in content.cc]
        self.holders = {}
        self.submitted_at = at
        self.completed_at = None
        transition = content.line.start()
        self._record(at, Action.RESUBMITTED, self.requester.id, previous=self.version - 1)
        return transition

    def add_comment(self, comment: Comment) -> None:
        """Add a comment to the current version; `TooManyComments` past `MAX_COMMENTS`.

        A document is stored whole, so each comment makes every later save larger: the
        bound keeps a document's size, and the time to save it, bounded."""
        if len(self.comments) >= MAX_COMMENTS:
            raise TooManyComments(
                "This document already has {count} comments, the most it may hold.",
                count=MAX_COMMENTS,
            )
        self.comments.append(comment)
        self._record(comment.created_at, Action.COMMENTED, comment.author.id, comment_id=comment.id)

    def mark_read(self, employee_id: str, *, at: datetime) -> bool:
        """Record a cc member's first read; False if it was recorded before."""
        for position, member in enumerate(self.cc):
            if member.employee_id != employee_id:
                continue
            if member.read_at is not None:
                return False
            self.cc[position] = replace(member, read_at=at)
            self._record(at, Action.READ, employee_id)
            return True
        raise NotCc("Only a cc member of the document records a read receipt.")

    # Who holds the open slots, and deciding

    def hold_slots(self, holders: Iterable[TaskHolder]) -> None:
        """Record who holds the slots a stage opened with, before anyone is told of them."""
        open_approvers = set(self.line.open_approvers()) if self.line is not None else set()
        for holder in holders:
            if holder.approver_id in open_approvers:
                self.holders[holder.approver_id] = holder

    def holder_of(self, approver_id: str) -> str:
        """Who holds an approver's open slot: the recorded holder, else the approver."""
        held = self.holders.get(approver_id)
        return approver_id if held is None else held.assignee_id

    def slots_held_by(self, employee_id: str) -> list[str]:
        """The approvers of the active stage whose open slot `employee_id` holds."""
        if self.line is None or self.status is not DocumentStatus.IN_PROGRESS:
            return []
        return [a for a in self.line.open_approvers() if self.holder_of(a) == employee_id]

    def assign_tasks(
        self, *, version: int, stage_index: int, tasks: Iterable[TaskHolder], at: datetime
    ) -> list[str]:
        """Record who holds which open slot, as approval-processing reports it; returns the
        holders who are new to their slot, to tell them it is their turn.

        Reports of another version or stage, of slots decided since, or older than the
        holder already recorded of the same task (a lower revision) are stale and ignored.
        A report of another task of the slot is taken: the task recorded was replaced (a
        reconciliation opens a new one where a task went missing).
        """
        newcomers: list[str] = []
        for task in self._still_open(version, stage_index, tasks):
            known = self.holders.get(task.approver_id)
            if (
                known is not None
                and known.task_id == task.task_id
                and task.revision < known.revision
            ):
                continue
            if known is None or known.assignee_id != task.assignee_id:
                newcomers.append(task.assignee_id)
            self.holders[task.approver_id] = task
            self.updated_at = at
        return list(dict.fromkeys(newcomers))

    def holders_still_waiting(
        self, *, version: int, stage_index: int, tasks: Iterable[TaskHolder]
    ) -> list[str]:
        """The holders of these slots that still wait for a decision (to remind them).

        Slots of another version or stage, or decided since, are ignored; a reminder goes
        to whoever holds the slot now. Nothing on the document changes.
        """
        current = self._still_open(version, stage_index, tasks)
        return list(dict.fromkeys(self.holder_of(task.approver_id) for task in current))

    def _still_open(
        self, version: int, stage_index: int, tasks: Iterable[TaskHolder]
    ) -> list[TaskHolder]:
        """Those of these tasks that belong to undecided approvers of the active stage."""
        if (
            self.line is None
            or version != self.version
            or self.status is not DocumentStatus.IN_PROGRESS
            or stage_index != self.line.active_stage
        ):
            return []
        open_approvers = set(self.line.open_approvers())
        return [task for task in tasks if task.approver_id in open_approvers]

    def slot_to_decide(self, caller_id: str, on_behalf_of: str | None) -> str:
        """The approver whose open slot `caller_id` decides now.

        `on_behalf_of` names the slot (the approver; the caller's own id for their own
        slot); it is needed only by a caller holding several. `NoOpenSlot` (403) when the
        caller holds no open slot of the active stage (an outsider, the requester, an
        approver of a later stage, one whose slot is with a delegate); `SlotClosed` (409)
        when the caller's slot in this version is already decided or no longer open;
        `SlotNotNamed` (422) when the caller holds several and did not say which.
        """
        held = self.slots_held_by(caller_id)
        if on_behalf_of is not None:
            if on_behalf_of in held:
                return on_behalf_of
            if self._had_slot(caller_id, on_behalf_of):
                raise SlotClosed("This approval is already decided or no longer open.")
            raise NoOpenSlot("You hold no open approval on this document for that person.")
        if len(held) == 1:
            return held[0]
        if held:
            raise SlotNotNamed(
                "You hold several approvals on this document; name one with on_behalf_of.",
                choices=held,
            )
        if self._had_slot(caller_id, None):
            raise SlotClosed("Your approval on this document is already decided or no longer open.")
        raise NoOpenSlot("You have no approval to decide on this document.")

    def _had_slot(self, caller_id: str, approver_id: str | None) -> bool:
        """Whether the caller's part in the current version is over: their own slot, or one
        they decided, is decided or its stage no longer open (later stages are not over)."""
        if self.line is None or self.status is DocumentStatus.DRAFT:
            return False
        finished = self.status is not DocumentStatus.IN_PROGRESS
        for stage in self.line.stages:
            for slot in stage.approvers:
                if approver_id is not None and slot.employee_id != approver_id:
                    continue
                if caller_id not in (slot.employee_id, slot.decided_by):
                    continue
                if slot.decision is not None or finished:
                    return True
                if stage.status in (StageStatus.APPROVED, StageStatus.REJECTED):
                    return True
        return False

    def decide(
        self,
        *,
        approver_id: str,
        decided_by: str,
        decision: Decision,
        at: datetime,
        comment: str | None,
        final: bool,
    ) -> Transition:
        """Apply a decision on `approver_id`'s open slot, made by its holder `decided_by`.

        The caller has checked with `slot_to_decide` that `decided_by` holds the slot.
        `SlotClosed` (409) when it is decided or no longer open, `FinalAuthorityRequired`
        (403) for a 전결 by a slot without final authority (a stand-in acts with the
        approver's authority).
        """
        line = self.line
        if line is None:
            raise SlotClosed("A draft has nothing to decide.")
        acting = decided_by if decided_by != approver_id else None
        stage_index = line.active_stage
        try:
            transition = line.decide(
                approver_id,
                decision,
                at,
                comment=comment,
                final=final,
                decided_by=acting,
                on_behalf_of=approver_id if acting is not None else None,
            )
        except (AlreadyDecided, LineNotInProgress) as exc:
            raise SlotClosed("This approval is already decided or no longer open.") from exc
        except FinalAuthorityRequired as exc:
            raise FinalAuthorityDenied(
                "Only a final authority of this stage may approve it finally (전결)."
            ) from exc
        self._record(
            at,
            Action.APPROVED if decision is Decision.APPROVED else Action.REJECTED,
            decided_by,
            on_behalf_of=approver_id if acting is not None else None,
            stage_index=stage_index,
            comment=comment,
            final=final,
        )
        if transition.stage_completed is not None and decision is Decision.APPROVED:
            action = Action.FINAL_APPROVED if final else Action.STAGE_APPROVED
            self._record(at, action, None, stage_index=transition.stage_completed)
        still_open = set(line.open_approvers())
        self.holders = {
            approver: holder for approver, holder in self.holders.items() if approver in still_open
        }
        if transition.outcome is not None:
            self.completed_at = at
            if transition.outcome is LineStatus.REJECTED:
                self._record(at, Action.COMPLETED, None, status=LineStatus.REJECTED.value)
        return transition

    def approval_to_take_back(self, caller_id: str, on_behalf_of: str | None) -> str:
        """The approver whose approval `caller_id` made and may take back (결재 취소).

        `on_behalf_of` names the approver when the caller approved in someone's place and
        made several approvals. `NoApprovalToTakeBack` (403) when the caller made no
        approval on the current version (or none for that person); `SlotNotNamed` (422) when
        they made several and named none.
        """
        made: list[str] = []
        if self.line is not None:
            made = [
                slot.employee_id
                for stage in self.line.stages
                for slot in stage.approvers
                if slot.decision is Decision.APPROVED
                and (slot.decided_by or slot.employee_id) == caller_id
            ]
        if on_behalf_of is not None:
            if on_behalf_of in made:
                return on_behalf_of
        elif len(made) == 1:
            return made[0]
        elif made:
            raise SlotNotNamed(
                "You approved for several people on this document; name one with on_behalf_of.",
                choices=made,
            )
        raise NoApprovalToTakeBack("You have no approval to take back on this document.")

    def take_back(self, *, approver_id: str, taken_by: str, at: datetime) -> Transition:
        """Take back `approver_id`'s approval, made by `taken_by` (checked by
        `approval_to_take_back`); `ApprovalFollowed` (409) once the next approver acted."""
        line = self.line
        if line is None:
            raise NoApprovalToTakeBack("You have no approval to take back on this document.")
        try:
            transition = line.take_back(approver_id)
        except NextApproverActed as exc:
            raise ApprovalFollowed(
                "The next approver has already acted, so the approval can no longer be taken back."
            ) from exc
        stage_index = transition.opened[0].stage_index
        self._record(
            at,
            Action.TAKEN_BACK,
            taken_by,
            on_behalf_of=approver_id if taken_by != approver_id else None,
            stage_index=stage_index,
        )
        withdrawn = {task.employee_id for task in transition.cancelled}
        self.holders = {a: h for a, h in self.holders.items() if a not in withdrawn}
        return transition

    def has_taken_back(self) -> bool:
        """Whether an approval of the current version was taken back: a stage opened again
        may then find tasks of its approvers closed in approval-processing."""
        return any(
            entry.action is Action.TAKEN_BACK and entry.version == self.version
            for entry in self.timeline
        )

    def assign_number(self, number: str, *, at: datetime) -> None:
        """Give the approved document its number (문서번호) and close its record."""
        if self.status is not DocumentStatus.APPROVED or self.number is not None:
            raise ValueError("only an approved document without a number gets one")
        self.number = number
        self._record(at, Action.COMPLETED, None, status=LineStatus.APPROVED.value, number=number)

    # Storage

    def to_dict(self) -> dict[str, Any]:
        """The whole document as JSON-ready data (without its revision)."""
        return {
            "id": self.id,
            "form": self.form.value,
            "requester": self.requester.to_dict(),
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "version": self.version,
            "title": self.title,
            "content": self.content,
            "fields": dict(self.fields),
            "line": None if self.line is None else self.line.to_dict(),
            "custom_line": self.custom_line,
            "cc": [member.to_dict() for member in self.cc],
            "submitted_at": _instant(self.submitted_at),
            "completed_at": _instant(self.completed_at),
            "number": self.number,
            "comments": [comment.to_dict() for comment in self.comments],
            "timeline": [entry.to_dict() for entry in self.timeline],
            "holders": [holder.to_dict() for holder in self.holders.values()],
            "history": [snapshot.to_dict() for snapshot in self.history],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, revision: int) -> ApprovalDocument:
        """Restore a document that `to_dict` wrote."""
        raw_line = data["line"]
        holders = [
            TaskHolder(
                approver_id=holder["approver_id"],
                assignee_id=holder["assignee_id"],
                task_id=holder.get("task_id"),
                on_behalf_of=holder.get("on_behalf_of"),
                revision=holder.get("revision", 0),
            )
            for holder in data["holders"]
        ]
        return cls(
            document_id=data["id"],
            form=FormCode(data["form"]),
            requester=Person(**data["requester"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            updated_at=datetime.fromisoformat(data["updated_at"]),
            version=data["version"],
            content=DocumentContent(
                title=data["title"],
                content=data["content"],
                fields=data["fields"],
                line=None if raw_line is None else ApprovalLine.from_dict(raw_line),
                custom_line=data["custom_line"],
                cc=(),
            ),
            cc=[_cc_member(member) for member in data["cc"]],
            submitted_at=_parse_instant(data["submitted_at"]),
            completed_at=_parse_instant(data["completed_at"]),
            number=data["number"],
            comments=[
                Comment(
                    id=comment["id"],
                    version=comment["version"],
                    author=Person(**comment["author"]),
                    body=comment["body"],
                    created_at=datetime.fromisoformat(comment["created_at"]),
                )
                for comment in data["comments"]
            ],
            timeline=[
                TimelineEntry(
                    at=datetime.fromisoformat(entry["at"]),
                    action=Action(entry["action"]),
                    actor_id=entry["actor_id"],
                    on_behalf_of=entry["on_behalf_of"],
                    version=entry["version"],
                    detail=entry["detail"],
                )
                for entry in data["timeline"]
            ],
            holders={holder.approver_id: holder for holder in holders},
            history=[
                VersionSnapshot(
                    version=snapshot["version"],
                    title=snapshot["title"],
                    content=snapshot["content"],
                    fields=snapshot["fields"],
                    line=snapshot["line"],
                    cc=tuple(_cc_member(member) for member in snapshot["cc"]),
                    status=DocumentStatus(snapshot["status"]),
                    submitted_at=_parse_instant(snapshot["submitted_at"]),
                    completed_at=_parse_instant(snapshot["completed_at"]),
                )
                for snapshot in data["history"]
            ],
            revision=revision,
        )

    def _snapshot(self) -> VersionSnapshot:
        return VersionSnapshot(
            version=self.version,
            title=self.title,
            content=self.content,
            fields=dict(self.fields),
            line=(
                {"status": DocumentStatus.DRAFT.value, "stages": []}
                if self.line is None
                else self.line.to_dict()
            ),
            cc=tuple(self.cc),
            status=self.status,
            submitted_at=self.submitted_at,
            completed_at=self.completed_at,
        )

    def _require_draft(self, refusal: str) -> None:
        if self.status is not DocumentStatus.DRAFT:
            raise NotADraft(refusal, status=status_label(self.status))

    def _set_content(self, content: DocumentContent) -> None:
        self.title = content.title
        self.content = content.content
        self.fields = dict(content.fields)
        self.line = content.line
        self.custom_line = content.custom_line

    def _record(
        self,
        at: datetime,
        action: Action,
        actor_id: str | None,
        *,
        on_behalf_of: str | None = None,
        **detail: object,
    ) -> None:
        self.timeline.append(
            TimelineEntry(
                at=at,
                action=action,
                actor_id=actor_id,
                on_behalf_of=on_behalf_of,
                version=self.version,
                detail=detail,
            )
        )
        self.updated_at = at


def _instant(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_instant(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _cc_member(data: Mapping[str, Any]) -> CcMember:
    return CcMember(data["employee_id"], _parse_instant(data["read_at"]))


def _stored_slots(line: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    return [
        (slot["employee_id"], slot["decided_by"])
        for stage in line["stages"]
        for slot in stage["approvers"]
    ]
