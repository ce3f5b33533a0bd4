"""The approval line a document would take if submitted now, explained (결재선 미리보기).

The line comes from the same step a submission runs (`ApprovalUseCases.route`): the same
field checks, the same default rules (`domain/routing.py`), the same checks of the people.
This module only adds who those people are and, in English and Korean, why each is there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.line import Stage
from dojang.approval.domain.routing import PassedOver, PassReason, Route, RouteReason
from dojang.approval.service.documents import ApprovalUseCases
from dojang.kernel.auth.principal import Principal
from dojang.kernel.ports import EmployeeView, OrgChart


class LineSource(StrEnum):
    """Where the previewed line comes from."""

    DEFAULT = "default"
    REQUESTED = "requested"


@dataclass(frozen=True)
class TraceNote:
    """One step of the reasoning: a stable `code` and what it means in both languages."""

    code: str
    text: str
    text_ko: str
    employee_id: str | None = None


@dataclass(frozen=True)
class PreviewedApprover:
    employee: EmployeeView
    trace: tuple[TraceNote, ...]


@dataclass(frozen=True)
class PreviewedStage:
    index: int
    stage: Stage
    approvers: tuple[PreviewedApprover, ...]


@dataclass(frozen=True)
class LinePreview:
    """The line, stage by stage, the cc list, and what the rules passed over."""

    form: FormCode
    source: LineSource
    stages: tuple[PreviewedStage, ...]
    cc: tuple[EmployeeView, ...]
    trace: tuple[TraceNote, ...]


def _money(amount: Decimal) -> str:
    return f"{amount:,}"


def _reason_note(reason: RouteReason, threshold: Decimal) -> TraceNote:
    limit = _money(threshold)
    texts = {
        RouteReason.NEAREST_MANAGER: ("The requester's nearest manager", "기안자의 직속 상사"),
        RouteReason.MANAGER_BELOW_HEAD: (
            "A manager below the department head: leave goes up to the head",
            "부서장 아래 상사: 휴가는 부서장까지 결재",
        ),
        RouteReason.DEPARTMENT_HEAD: (
            "Head of the requester's department",
            "기안자 소속 부서의 부서장",
        ),
        RouteReason.DIRECTOR_FOR_LARGE_EXPENSE: (
            f"The nearest director: the amount is over {limit}",
            f"금액이 {limit}을(를) 넘어 가장 가까운 이사 이상이 결재",
        ),
    }
    text, text_ko = texts[reason]
    return TraceNote(reason.value, text, text_ko)


REQUESTED_NOTE = TraceNote(
    "requested_line", "Named in the requested line", "기안자가 지정한 결재선"
)
FINAL_AUTHORITY_NOTE = TraceNote(
    "final_authority", "May approve the document finally (전결)", "이 단계의 전결권자"
)


def _passed_note(passed: PassedOver, names: Mapping[str, str], threshold: Decimal) -> TraceNote:
    name = names.get(passed.id or "", passed.id or "")
    if passed.reason is PassReason.DEACTIVATED:
        text, text_ko = f"{name} is deactivated: passed over", f"{name}: 비활성 직원이라 제외"
    elif passed.reason is PassReason.IS_REQUESTER:
        text = f"{name} heads the department but is the requester: passed over"
        text_ko = f"{name}: 부서장이 기안자 본인이라 제외"
    else:
        limit = _money(threshold)
        text = f"The amount is over {limit}, but no director is above the requester"
        text_ko = f"금액이 {limit}을(를) 넘지만 기안자 위에 이사 이상이 없음"
    return TraceNote(passed.reason.value, text, text_ko, passed.id)


class LinePreviews:
    """Previews of approval lines for a caller who is about to submit."""

    def __init__(
        self, use_cases: ApprovalUseCases, org: OrgChart, *, expense_director_threshold: Decimal
    ) -> None:
        self._use_cases = use_cases
        self._org = org
        self._threshold = expense_director_threshold

    async def preview(
        self,
        caller: Principal,
        form: FormCode,
        fields: Mapping[str, object],
        line: object = None,
        cc: Sequence[str] = (),
    ) -> LinePreview:
        """The line a submission by the caller would take now; 422 as a submission would."""
        routed = await self._use_cases.route(caller, form, fields, line, cc)
        stages = routed.line.stages
        route = routed.route
        passed = route.passed_over if route is not None else ()
        wanted = [a for stage in stages for a in stage.approver_ids]
        wanted += [*cc, *(p.id for p in passed if p.id is not None)]
        people = await self._org.get_employees(list(dict.fromkeys(wanted)))
        names = {employee_id: view.name for employee_id, view in people.items()}
        return LinePreview(
            form=form,
            source=LineSource.REQUESTED if route is None else LineSource.DEFAULT,
            stages=tuple(
                PreviewedStage(
                    index=index,
                    stage=stage,
                    approvers=tuple(
                        PreviewedApprover(people[a], self._approver_trace(route, stage, a))
                        for a in stage.approver_ids
                    ),
                )
                for index, stage in enumerate(stages)
            ),
            cc=tuple(people[member] for member in cc),
            trace=tuple(_passed_note(p, names, self._threshold) for p in passed),
        )

    def _approver_trace(
        self, route: Route | None, stage: Stage, approver_id: str
    ) -> tuple[TraceNote, ...]:
        if route is None:
            notes = [REQUESTED_NOTE]
        else:
            reasons = next(a.reasons for a in route.approvers if a.id == approver_id)
            notes = [_reason_note(reason, self._threshold) for reason in reasons]
        if approver_id in stage.final_authority:
            notes.append(FINAL_AUTHORITY_NOTE)
        return tuple(notes)
