"""Use cases of approval documents: draft, submit, withdraw, resubmit, comment, read, list.

Each change runs in one unit of work that saves the document and the events it causes
together. A change that loses a race with another writer (the results consumer, say) is
retried on the fresh document a few times before the caller hears 409. A leave document's
submission is stored only while the employee service holds its days (`service/leave.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

from dojang.approval.domain.document import (
    ApprovalDocument,
    Comment,
    DocumentContent,
    DocumentStatus,
    Person,
    VersionSnapshot,
)
from dojang.approval.domain.errors import NotADraft, NotResubmittable, RequesterOnly
from dojang.approval.domain.forms import FieldValue, Form, FormCode
from dojang.approval.domain.labels import status_label
from dojang.approval.domain.line import ApprovalLine, Transition
from dojang.approval.domain.routing import Route
from dojang.approval.service import events
from dojang.approval.service.commands import (
    KEEP,
    ContentChanges,
    NewDocument,
    clean_comment,
    clean_content,
    clean_title,
)
from dojang.approval.service.holders import SlotHolders
from dojang.approval.service.leave import LeaveReservations
from dojang.approval.service.lines import LineResolver, parse_line, requested_shape, route_line
from dojang.approval.service.metrics import count_transition
from dojang.approval.service.search import RANKED_WINDOW, Match, match_of, query_terms
from dojang.approval.service.unit_of_work import (
    ApprovalUnitOfWork,
    DocumentQuery,
    Outgoing,
    StaleDocument,
)
from dojang.contracts.approval_requests import CancelReason
from dojang.kernel.auth.principal import Principal
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Conflict, Forbidden, NotFound
from dojang.kernel.ids import new_id
from dojang.kernel.ports import EmployeeDirectory, EmployeeView

UnitOfWorkFactory = Callable[[], ApprovalUnitOfWork]
T = TypeVar("T")

# A save that lost a race is retried on the reloaded document this many times in all.
SAVE_ATTEMPTS = 3


class ApprovalUseCases:
    """Everything a requester, approver, cc member or administrator does to documents."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        *,
        forms: Mapping[FormCode, Form],
        lines: LineResolver,
        holders: SlotHolders,
        directory: EmployeeDirectory,
        leave: LeaveReservations,
        clock: Clock,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._forms = forms
        self._lines = lines
        self._holders = holders
        self._directory = directory
        self._leave = leave
        self._clock = clock

    # Reading

    async def get(self, caller: Principal, document_id: str) -> ApprovalDocument:
        """One document the caller may see; 404 otherwise."""
        async with self._unit_of_work() as uow:
            return await _visible(uow, document_id, caller)

    async def versions(self, caller: Principal, document_id: str) -> list[VersionSnapshot]:
        """Every version of a document the caller may see, oldest first."""
        return (await self.get(caller, document_id)).versions()

    async def search(
        self, query: DocumentQuery, *, before: str | None, limit: int
    ) -> list[ApprovalDocument]:
        """Documents of one box of `query.viewer_id`, newest first, older than `before`."""
        async with self._unit_of_work() as uow:
            return await uow.documents.search(query, before=before, limit=limit)

    async def search_ranked(
        self, query: DocumentQuery, *, offset: int, limit: int
    ) -> list[tuple[ApprovalDocument, Match]]:
        """Documents of a box matching `query.text`, best match first, from `offset`: the
        newest `RANKED_WINDOW` matches, scored (docs/search.md)."""
        async with self._unit_of_work() as uow:
            found = await uow.documents.search(query, before=None, limit=RANKED_WINDOW)
        terms = query_terms(query.text or "")
        scored = [(document, match_of(document, terms)) for document in found]
        scored.sort(key=lambda pair: (pair[1].score, pair[0].id), reverse=True)
        return scored[offset : offset + limit]

    # Writing

    async def create(self, caller: Principal, new: NewDocument) -> ApprovalDocument:
        """Save a draft, or submit at once (the default); 422 for bad input."""
        form = self._forms[new.form]
        title, content = clean_title(new.title), clean_content(new.content)
        fields = form.validate(new.fields or {}, complete=new.submit)
        requester = await self._requester(caller)
        line = None if new.line is None else parse_line(requester.id, new.line)
        draft = DocumentContent(
            title=title,
            content=content,
            fields=fields,
            line=line,
            custom_line=line is not None,
            cc=tuple(new.cc),
        )
        document = ApprovalDocument.draft(
            document_id=new_id(),
            form=form.code,
            requester=Person(requester.id, requester.name),
            content=draft,
            at=self._clock.now(),
        )
        if not new.submit:
            await self._lines.check_people(
                requester.id, line, draft.cc, custom_line=draft.custom_line
            )
            async with self._unit_of_work() as uow:
                await uow.documents.add(document, [])
                await uow.commit()
            return document
        submission = await self._submission(requester, form, draft)
        async with self._unit_of_work() as uow:
            now = self._clock.now()
            transition = document.submit(submission, at=now)
            async with self._leave.held(document):
                await uow.documents.add(
                    document,
                    await self._submission_events(
                        uow, document, transition, resubmission=False, at=now
                    ),
                )
                await uow.commit()
        count_transition(document)
        return document

    async def edit_draft(
        self, caller: Principal, document_id: str, changes: ContentChanges
    ) -> ApprovalDocument:
        """Change a draft (the requester only)."""

        async def attempt() -> ApprovalDocument:
            async with self._unit_of_work() as uow:
                document = await _visible(uow, document_id, caller)
                _require_requester(document, caller, "Only the requester may edit this document.")
                if document.status is not DocumentStatus.DRAFT:
                    raise NotADraft(
                        "The document is {status}; only a draft can be edited.",
                        status=status_label(document.status),
                    )
                draft = self._changed_content(document, changes, complete=False)
                await self._lines.check_people(
                    document.requester.id, draft.line, draft.cc, custom_line=draft.custom_line
                )
                document.edit_draft(draft, at=self._clock.now())
                await uow.documents.save(document, [])
                await uow.commit()
                return document

        return await _retrying(attempt)

    async def submit(self, caller: Principal, document_id: str) -> ApprovalDocument:
        """Send a draft on its way (the requester only): line built, first tasks opened."""

        async def attempt() -> ApprovalDocument:
            async with self._unit_of_work() as uow:
                document = await _visible(uow, document_id, caller)
                _require_requester(document, caller, "Only the requester may submit this document.")
                if document.status is not DocumentStatus.DRAFT:
                    raise NotADraft(
                        "The document is {status}; only a draft can be submitted.",
                        status=status_label(document.status),
                    )
                requester = await self._requester(caller)
                submission = await self._submission(
                    requester, self._forms[document.form], document.current_content()
                )
                now = self._clock.now()
                transition = document.submit(submission, at=now)
                async with self._leave.held(document):
                    await uow.documents.save(
                        document,
                        await self._submission_events(
                            uow, document, transition, resubmission=False, at=now
                        ),
                    )
                    await uow.commit()
                count_transition(document)
                return document

        return await _retrying(attempt)

    async def withdraw(self, caller: Principal, document_id: str) -> ApprovalDocument:
        """Take a document in progress back (the requester only); its open tasks close."""

        async def attempt() -> ApprovalDocument:
            async with self._unit_of_work() as uow:
                document = await _visible(uow, document_id, caller)
                _require_requester(
                    document, caller, "Only the requester may withdraw this document."
                )
                now = self._clock.now()
                _, released = document.withdraw(at=now)
                await uow.documents.save(
                    document,
                    [
                        events.tasks_cancelled(
                            document.id,
                            document.version,
                            stage_index=None,
                            approvers=None,
                            reason=CancelReason.WITHDRAWN,
                            at=now,
                        ),
                        events.withdrawn(document, released, at=now),
                    ],
                )
                await uow.commit()
                count_transition(document)
                return document

        return await _retrying(attempt)

    async def resubmit(
        self, caller: Principal, document_id: str, changes: ContentChanges
    ) -> ApprovalDocument:
        """Submit a rejected or withdrawn document again as its next version."""

        async def attempt() -> ApprovalDocument:
            async with self._unit_of_work() as uow:
                document = await _visible(uow, document_id, caller)
                _require_requester(
                    document, caller, "Only the requester may resubmit this document."
                )
                if document.status not in (DocumentStatus.REJECTED, DocumentStatus.WITHDRAWN):
                    raise NotResubmittable(
                        "The document is {status}; only a rejected or withdrawn document "
                        "can be resubmitted.",
                        status=status_label(document.status),
                    )
                requester = await self._requester(caller)
                changed = self._changed_content(document, changes, complete=True)
                submission = await self._submission(requester, self._forms[document.form], changed)
                now = self._clock.now()
                transition = document.resubmit(submission, at=now)
                async with self._leave.held(document):
                    await uow.documents.save(
                        document,
                        await self._submission_events(
                            uow, document, transition, resubmission=True, at=now
                        ),
                    )
                    await uow.commit()
                count_transition(document)
                return document

        return await _retrying(attempt)

    async def comment(self, caller: Principal, document_id: str, body: str) -> Comment:
        """Comment on a document the caller may see."""
        text = clean_comment(body)
        author_view = await self._directory.get_employee(caller.user_id)
        author = Person(
            caller.user_id,
            author_view.name if author_view is not None else caller.email or caller.user_id,
        )

        async def attempt() -> Comment:
            async with self._unit_of_work() as uow:
                document = await _visible(uow, document_id, caller)
                now = self._clock.now()
                comment = Comment(
                    id=new_id(), version=document.version, author=author, body=text, created_at=now
                )
                document.add_comment(comment)
                await uow.documents.save(document, [events.commented(document, comment, at=now)])
                await uow.commit()
                return comment

        return await _retrying(attempt)

    async def mark_read(self, caller: Principal, document_id: str) -> ApprovalDocument:
        """Record a cc member's read receipt (once); 403 for anyone else who may see it."""

        async def attempt() -> ApprovalDocument:
            async with self._unit_of_work() as uow:
                document = await _visible(uow, document_id, caller)
                if document.mark_read(caller.user_id, at=self._clock.now()):
                    await uow.documents.save(document, [])
                    await uow.commit()
                return document

        return await _retrying(attempt)

    async def route(
        self,
        caller: Principal,
        form: FormCode,
        fields: Mapping[str, object],
        line: object = None,
        cc: Sequence[str] = (),
    ) -> RoutedSubmission:
        """The line a document with these fields would take if the caller submitted it now,
        checked as a submission is (422 likewise); nothing is saved."""
        requester = await self._requester(caller)
        requested = None if line is None else parse_line(requester.id, line)
        return await self._routed(
            requester,
            self._forms[form],
            fields,
            requested,
            cc,
            custom_line=requested is not None,
        )

    # Shared steps

    async def _submission_events(
        self,
        uow: ApprovalUnitOfWork,
        document: ApprovalDocument,
        transition: Transition,
        *,
        resubmission: bool,
        at: datetime,
    ) -> list[Outgoing]:
        """The first stage's tasks opened and its holders recorded and told, then the news."""
        changes = events.task_changes(
            document, transition, reason=CancelReason.STAGE_COMPLETED, at=at
        )
        changes += await self._holders.open_stage(uow, document, transition, at=at)
        announce = events.resubmitted if resubmission else events.submitted
        return [*changes, announce(document, at=at)]

    async def _requester(self, caller: Principal) -> EmployeeView:
        employee = await self._directory.get_employee(caller.user_id)
        if employee is None or not employee.active:
            raise Forbidden("Only active employees of the organisation draft documents.")
        return employee

    def _changed_content(
        self, document: ApprovalDocument, changes: ContentChanges, *, complete: bool
    ) -> DocumentContent:
        """The document's content with `changes` applied, each changed part checked."""
        current = document.current_content()
        form = self._forms[document.form]
        title = current.title if changes.title is KEEP else clean_title(changes.title)
        content = current.content if changes.content is KEEP else clean_content(changes.content)
        fields = current.fields if changes.fields is KEEP else changes.fields
        fields = form.validate(fields, complete=complete)
        cc = current.cc if changes.cc is KEEP else tuple(changes.cc)
        requester_id = document.requester.id
        if changes.line is None:
            line, custom = None, False
        elif changes.line is not KEEP:
            line, custom = parse_line(requester_id, changes.line), True
        elif current.custom_line and current.line is not None:
            # A finished line cannot run again: a resubmission gets an undecided copy.
            line, custom = parse_line(requester_id, requested_shape(current.line)), True
        else:
            line, custom = None, False
        return DocumentContent(
            title=title, content=content, fields=fields, line=line, custom_line=custom, cc=cc
        )

    async def _submission(
        self, requester: EmployeeView, form: Form, content: DocumentContent
    ) -> DocumentContent:
        """The content as it is submitted: complete fields, a line, people checked."""
        routed = await self._routed(
            requester,
            form,
            content.fields,
            content.line,
            content.cc,
            custom_line=content.custom_line,
        )
        return replace(content, fields=routed.fields, line=routed.line)

    async def _routed(
        self,
        requester: EmployeeView,
        form: Form,
        fields: Mapping[str, object],
        line: ApprovalLine | None,
        cc: Sequence[str],
        *,
        custom_line: bool,
    ) -> RoutedSubmission:
        """Complete fields and the line a submission takes: `line`, or the form's default
        line (None) built from the org chart; 422 for bad input or people."""
        checked = form.validate(fields, complete=True)
        route = None
        if line is None:
            route = await self._lines.default_route(requester, form.code, checked)
            line = route_line(requester.id, route)
        await self._lines.check_people(requester.id, line, cc, custom_line=custom_line)
        return RoutedSubmission(fields=checked, line=line, route=route)


@dataclass(frozen=True)
class RoutedSubmission:
    """What a submission would take: its complete fields, its line, and for a default line,
    the rules that picked each approver (None for a line the requester named)."""

    fields: dict[str, FieldValue]
    line: ApprovalLine
    route: Route | None


async def _visible(
    uow: ApprovalUnitOfWork, document_id: str, caller: Principal
) -> ApprovalDocument:
    document = await uow.documents.get(document_id)
    if document is None or not (caller.is_admin or document.visible_to(caller.user_id)):
        raise NotFound("There is no approval document {document_id}.", document_id=document_id)
    return document


def _require_requester(document: ApprovalDocument, caller: Principal, refusal: str) -> None:
    if caller.user_id != document.requester.id:
        raise RequesterOnly(refusal)


async def _retrying(attempt: Callable[[], Awaitable[T]]) -> T:
    for _ in range(SAVE_ATTEMPTS - 1):
        try:
            return await attempt()
        except StaleDocument:
            continue
    try:
        return await attempt()
    except StaleDocument as exc:
        raise Conflict(
            "The document was changed by someone else meanwhile; load it and try again."
        ) from exc
