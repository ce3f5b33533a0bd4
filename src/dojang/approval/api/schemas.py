"""Request and response bodies of the approval API (API.md "Approval documents")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from dojang.approval.domain.document import (
    ApprovalDocument,
    CcMember,
    Comment,
    DocumentStatus,
    TimelineEntry,
    VersionSnapshot,
)
from dojang.approval.domain.forms import Form, FormCode
from dojang.approval.service.commands import (
    KEEP,
    MAX_COMMENT_LENGTH,
    MAX_CONTENT_LENGTH,
    MAX_DECISION_COMMENT_LENGTH,
    MAX_TITLE_LENGTH,
    ContentChanges,
    NewDocument,
)
from dojang.approval.service.search import Match
from dojang.kernel.i18n import MessageError, msg
from dojang.kernel.text import MULTILINE, ONE_LINE


def _as_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


Instant = Annotated[datetime, AfterValidator(_as_utc)]
StageKind = Literal["approval", "agreement"]
StageStatus = Literal["waiting", "active", "approved", "rejected", "skipped"]
MAX_PEOPLE = 100
Title = Annotated[str, ONE_LINE, StringConstraints(min_length=1, max_length=MAX_TITLE_LENGTH)]
Content = Annotated[str, MULTILINE, StringConstraints(max_length=MAX_CONTENT_LENGTH)]
CommentText = Annotated[
    str, MULTILINE, StringConstraints(min_length=1, max_length=MAX_COMMENT_LENGTH)
]
DecisionComment = Annotated[
    str, MULTILINE, StringConstraints(max_length=MAX_DECISION_COMMENT_LENGTH)
]


# Requests


class NewApprovalBody(BaseModel):
    """A document to create; without `line` the form's rule builds it from the org chart."""

    model_config = ConfigDict(extra="forbid")

    form: FormCode
    title: Title
    content: Content = ""
    fields: dict[str, Any] = Field(default_factory=dict)
    line: list[Any] | None = Field(
        default=None,
        description='stages: [{kind, approvers: [employee_id], rule: "all"|"any"|'
        '{"at_least": n}, final_authority?: [employee_id]}]',
    )
    cc: list[str] = Field(default_factory=list, max_length=MAX_PEOPLE)
    submit: bool = Field(default=True, description="false saves a draft")

    def command(self) -> NewDocument:
        """The use case's input."""
        return NewDocument(
            form=self.form,
            title=self.title,
            content=self.content,
            fields=self.fields,
            line=self.line,
            cc=self.cc,
            submit=self.submit,
        )


class ContentChangesBody(BaseModel):
    """Parts of a document to change; absent ones stay, `line: null` means the default line."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    content: Content | None = None
    fields: dict[str, Any] | None = None
    line: list[Any] | None = None
    cc: list[str] | None = Field(default=None, max_length=MAX_PEOPLE)

    def changes(self) -> ContentChanges:
        """The use case's input: only what the body names."""
        given = self.model_fields_set
        return ContentChanges(
            title=self.title if self.title is not None else KEEP,
            content=self.content if self.content is not None else KEEP,
            fields=self.fields if self.fields is not None else KEEP,
            line=self.line if "line" in given else KEEP,
            cc=self.cc if self.cc is not None else KEEP,
        )


class CommentBody(BaseModel):
    """A comment."""

    model_config = ConfigDict(extra="forbid")

    body: CommentText


class ApproveBody(BaseModel):
    """An approval, with an optional comment; `final` approves the document at once (전결).

    `on_behalf_of` names the slot decided, for a caller who holds several (their own and
    one they stand in for): the approver's id, or the caller's own for their own slot."""

    model_config = ConfigDict(extra="forbid")

    comment: DecisionComment | None = None
    final: bool = False
    on_behalf_of: str | None = Field(default=None, min_length=1, max_length=64)

    @field_validator("comment")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


class TakeBackBody(BaseModel):
    """Taking back an approval (결재 취소); `on_behalf_of` names the approver for a caller
    who approved in several people's place."""

    model_config = ConfigDict(extra="forbid")

    on_behalf_of: str | None = Field(default=None, min_length=1, max_length=64)


class RejectBody(BaseModel):
    """A rejection (반려); the requester is told the reason."""

    model_config = ConfigDict(extra="forbid")

    reason: DecisionComment
    on_behalf_of: str | None = Field(default=None, min_length=1, max_length=64)

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value:
            raise MessageError(msg("a rejection needs a reason"))
        return value


# Responses


class FormOut(BaseModel):
    """A form, its fields and its default line rule."""

    code: FormCode
    name: str
    name_ko: str
    fields: list[dict[str, Any]]
    line_rule: dict[str, Any]

    @classmethod
    def of(cls, form: Form) -> FormOut:
        """The body of a form."""
        return cls.model_validate(form.to_dict())


class PersonOut(BaseModel):
    id: str
    name: str


class ApproverOut(BaseModel):
    employee_id: str
    decision: Literal["approved", "rejected"] | None
    decided_by: str | None
    on_behalf_of: str | None
    decided_at: Instant | None
    comment: str | None


class StageOut(BaseModel):
    index: int
    kind: StageKind
    rule: Literal["all", "any"] | dict[str, int]
    status: StageStatus
    final_authority: list[str]
    approvers: list[ApproverOut]


class CcOut(BaseModel):
    employee_id: str
    read_at: Instant | None

    @classmethod
    def of(cls, member: CcMember) -> CcOut:
        """The body of a cc member."""
        return cls(employee_id=member.employee_id, read_at=member.read_at)


class CommentOut(BaseModel):
    id: str
    version: int
    author: PersonOut
    body: str
    created_at: Instant

    @classmethod
    def of(cls, comment: Comment) -> CommentOut:
        """The body of a comment."""
        return cls(
            id=comment.id,
            version=comment.version,
            author=PersonOut(id=comment.author.id, name=comment.author.name),
            body=comment.body,
            created_at=comment.created_at,
        )


class TimelineEntryOut(BaseModel):
    at: Instant
    actor_id: str | None
    on_behalf_of: str | None
    action: str
    detail: dict[str, Any]
    version: int

    @classmethod
    def of(cls, entry: TimelineEntry) -> TimelineEntryOut:
        """The body of a timeline entry."""
        return cls(
            at=entry.at,
            actor_id=entry.actor_id,
            on_behalf_of=entry.on_behalf_of,
            action=entry.action.value,
            detail=dict(entry.detail),
            version=entry.version,
        )


def _stages(line: dict[str, Any] | None) -> list[StageOut]:
    if line is None:
        return []
    return [StageOut.model_validate(stage) for stage in line["stages"]]


class DocumentOut(BaseModel):
    """An approval document (API.md `Document`), its current version."""

    id: str
    number: str | None
    form: FormCode
    title: str
    content: str
    fields: dict[str, Any]
    requester: PersonOut
    status: DocumentStatus
    version: int
    current_stage: int | None
    line: list[StageOut]
    cc: list[CcOut]
    comments: list[CommentOut]
    timeline: list[TimelineEntryOut]
    created_at: Instant
    updated_at: Instant
    submitted_at: Instant | None
    completed_at: Instant | None

    @classmethod
    def of(cls, document: ApprovalDocument) -> DocumentOut:
        """The body of a document."""
        return cls(
            id=document.id,
            number=document.number,
            form=document.form,
            title=document.title,
            content=document.content,
            fields=dict(document.fields),
            requester=PersonOut(id=document.requester.id, name=document.requester.name),
            status=document.status,
            version=document.version,
            current_stage=document.current_stage,
            line=_stages(None if document.line is None else document.line.to_dict()),
            cc=[CcOut.of(member) for member in document.cc],
            comments=[CommentOut.of(comment) for comment in document.comments],
            timeline=[TimelineEntryOut.of(entry) for entry in document.timeline],
            created_at=document.created_at,
            updated_at=document.updated_at,
            submitted_at=document.submitted_at,
            completed_at=document.completed_at,
        )


class SearchMatchOut(BaseModel):
    """How a listed document matched `q`: its score and the matches marked `<mark>`."""

    score: float = Field(description="higher is a better match (`sort=relevance` orders by it)")
    title: str = Field(description="the title, HTML-escaped, each match in <mark>…</mark>")
    snippet: str = Field(description="text around the first match in the content or fields")

    @classmethod
    def of(cls, found: Match) -> SearchMatchOut:
        """The body of a match."""
        return cls(score=found.score, title=found.title, snippet=found.snippet)


class ListedDocumentOut(DocumentOut):
    """A document in a list; with `q`, how it matched."""

    match: SearchMatchOut | None = None

    @classmethod
    def listed(cls, document: ApprovalDocument, found: Match | None) -> ListedDocumentOut:
        """The body of a listed document."""
        return cls(
            **dict(DocumentOut.of(document)),
            match=None if found is None else SearchMatchOut.of(found),
        )


class VersionOut(BaseModel):
    """One version of a document as it stood when it was replaced (or stands now)."""

    version: int
    title: str
    content: str
    fields: dict[str, Any]
    status: DocumentStatus
    line: list[StageOut]
    cc: list[CcOut]
    submitted_at: Instant | None
    completed_at: Instant | None

    @classmethod
    def of(cls, snapshot: VersionSnapshot) -> VersionOut:
        """The body of a version."""
        return cls(
            version=snapshot.version,
            title=snapshot.title,
            content=snapshot.content,
            fields=dict(snapshot.fields),
            status=snapshot.status,
            line=_stages(dict(snapshot.line)),
            cc=[CcOut.of(member) for member in snapshot.cc],
            submitted_at=snapshot.submitted_at,
            completed_at=snapshot.completed_at,
        )


class VersionList(BaseModel):
    """Every version of a document, oldest first."""

    items: list[VersionOut]
