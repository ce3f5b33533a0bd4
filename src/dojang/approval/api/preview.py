"""`POST /api/approvals/preview`: the approval line a submission would take now, explained."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from dojang.approval.api.common import problems
from dojang.approval.api.schemas import MAX_PEOPLE, StageKind
from dojang.approval.domain.forms import FormCode
from dojang.approval.service.preview import LinePreview, LinePreviews, LineSource, TraceNote
from dojang.kernel.ports import DepartmentRef, EmployeeView
from dojang.kernel.web.deps import CurrentPrincipal


class LinePreviewBody(BaseModel):
    """The parts of a document that decide its line; the same checks as a submission."""

    model_config = ConfigDict(extra="forbid")

    form: FormCode
    fields: dict[str, Any] = Field(default_factory=dict)
    line: list[Any] | None = Field(
        default=None,
        description="the line the requester names, as for POST /api/approvals; "
        "omit for the form's default line",
    )
    cc: list[str] = Field(default_factory=list, max_length=MAX_PEOPLE)


class TraceNoteOut(BaseModel):
    """One reason: a stable code, and what it means in English and Korean."""

    code: str
    text: str
    text_ko: str
    employee_id: str | None = Field(description="whom a line-wide note is about, if anyone")

    @classmethod
    def of(cls, note: TraceNote) -> TraceNoteOut:
        """The body of a note."""
        return cls(
            code=note.code, text=note.text, text_ko=note.text_ko, employee_id=note.employee_id
        )


class PreviewPersonOut(BaseModel):
    id: str
    name: str
    position: str
    department: DepartmentRef | None

    @classmethod
    def of(cls, view: EmployeeView) -> PreviewPersonOut:
        """The body of a person on the line or in cc."""
        return cls(id=view.id, name=view.name, position=view.position, department=view.department)


class PreviewApproverOut(PreviewPersonOut):
    trace: list[TraceNoteOut] = Field(description="why this approver is on the line")


class PreviewStageOut(BaseModel):
    index: int
    kind: StageKind
    rule: Literal["all", "any"] | dict[str, int]
    final_authority: list[str]
    approvers: list[PreviewApproverOut]


class LinePreviewOut(BaseModel):
    """The line stage by stage, the cc list, and what the default rules passed over."""

    form: FormCode
    source: Literal["default", "requested"]
    line: list[PreviewStageOut]
    cc: list[PreviewPersonOut]
    trace: list[TraceNoteOut] = Field(description="line-wide notes: who was passed over, and why")

    @classmethod
    def of(cls, preview: LinePreview) -> LinePreviewOut:
        """The body of a preview."""
        return cls(
            form=preview.form,
            source="default" if preview.source is LineSource.DEFAULT else "requested",
            line=[
                PreviewStageOut(
                    index=stage.index,
                    kind=stage.stage.kind.value,
                    rule=stage.stage.rule.to_json(),
                    final_authority=list(stage.stage.final_authority),
                    approvers=[
                        PreviewApproverOut(
                            **PreviewPersonOut.of(approver.employee).model_dump(),
                            trace=[TraceNoteOut.of(note) for note in approver.trace],
                        )
                        for approver in stage.approvers
                    ],
                )
                for stage in preview.stages
            ],
            cc=[PreviewPersonOut.of(member) for member in preview.cc],
            trace=[TraceNoteOut.of(note) for note in preview.trace],
        )


def preview_router(previews: LinePreviews) -> APIRouter:
    """The preview route; it changes nothing."""
    router = APIRouter(prefix="/api/approvals", tags=["approvals"])

    @router.post("/preview", responses=problems(401, 403, 422))
    async def preview_line(caller: CurrentPrincipal, body: LinePreviewBody) -> LinePreviewOut:
        """The approval line this document would take if the caller submitted it now."""
        preview = await previews.preview(caller, body.form, body.fields, body.line, body.cc)
        return LinePreviewOut.of(preview)

    return router
