"""Approval lines and cc lists checked against the organisation (the `OrgChart` port)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from dojang.approval.domain.forms import FormCode, expense_amount
from dojang.approval.domain.line import ApprovalLine, LineError
from dojang.approval.domain.routing import (
    OrgMember,
    Route,
    default_route,
    single_approver_stages,
)
from dojang.kernel.errors import FieldError, InvalidInput
from dojang.kernel.i18n import Message, msg
from dojang.kernel.ports import EmployeeView, OrgChart


def line_problem(error: LineError) -> InvalidInput:
    """A line the state machine refused, as a 422 naming each field."""
    return InvalidInput(
        "The approval line is invalid.",
        errors=[FieldError.of(field, message) for field, message in error.errors],
    )


def parse_line(requester_id: str, raw: object) -> ApprovalLine:
    """A requested line (API shape) as a draft line; 422 with the line's field paths."""
    try:
        return ApprovalLine.build(requester_id, raw)
    except LineError as exc:
        raise line_problem(exc) from None


def requested_shape(line: ApprovalLine) -> list[dict[str, object]]:
    """The request that builds a fresh, undecided copy of `line`."""
    return [
        {
            "kind": stage.kind.value,
            "approvers": list(stage.approver_ids),
            "rule": stage.rule.to_json(),
            "final_authority": list(stage.final_authority),
        }
        for stage in line.stages
    ]


def route_line(requester_id: str, route: Route) -> ApprovalLine:
    """The draft line of a default route: one 결재 stage per approver."""
    return parse_line(requester_id, single_approver_stages(route.approver_ids))


def _member(view: EmployeeView) -> OrgMember:
    return OrgMember(id=view.id, position=view.position, active=view.active)


class LineResolver:
    """Builds default lines and checks the people a document names."""

    def __init__(self, org: OrgChart, *, expense_director_threshold: Decimal) -> None:
        self._org = org
        self._threshold = expense_director_threshold

    async def default_route(
        self, requester: EmployeeView, form: FormCode, fields: Mapping[str, object]
    ) -> Route:
        """Who the form's rule picks for the requester's default line, and why; 422 if
        nobody can approve."""
        chain = await self._org.manager_chain(requester.id)
        head = (
            await self._org.department_head(requester.department.id)
            if requester.department is not None
            else None
        )
        amount = expense_amount(fields)
        return default_route(
            form,
            requester.id,
            [_member(view) for view in chain],
            None if head is None else _member(head),
            needs_director=amount is not None and amount > self._threshold,
        )

    async def check_people(
        self,
        requester_id: str,
        line: ApprovalLine | None,
        cc: Sequence[str],
        *,
        custom_line: bool,
    ) -> None:
        """422 unless every approver of a custom line and every cc member is an active
        employee, and cc names neither the requester, nor an approver, nor anyone twice."""
        approvers = [list(stage.approver_ids) for stage in line.stages] if line is not None else []
        to_look_up = list(cc)
        if custom_line:
            to_look_up.extend(a for stage in approvers for a in stage)
        found = await self._org.get_employees(list(dict.fromkeys(to_look_up))) if to_look_up else {}
        errors: list[FieldError] = []
        if custom_line:
            for index, stage in enumerate(approvers):
                for position, approver in enumerate(stage):
                    problem = _unusable(found.get(approver), approver)
                    if problem is not None:
                        errors.append(
                            FieldError.of(f"line[{index}].approvers[{position}]", problem)
                        )
        in_line = {approver for stage in approvers for approver in stage}
        seen: set[str] = set()
        for position, member in enumerate(cc):
            problem = _unusable(found.get(member), member)
            if member == requester_id:
                problem = msg("the requester is not cc'd on their own document")
            elif member in in_line:
                problem = msg("{employee_id} is an approver of this document", employee_id=member)
            elif member in seen:
                problem = msg("{employee_id} is listed twice", employee_id=member)
            seen.add(member)
            if problem is not None:
                errors.append(FieldError.of(f"cc[{position}]", problem))
        if errors:
            raise InvalidInput("The document names people who cannot take part.", errors=errors)


def _unusable(view: EmployeeView | None, employee_id: str) -> Message | None:
    if view is None:
        return msg("there is no employee {employee_id}", employee_id=employee_id)
    if not view.active:
        return msg("employee {employee_id} is deactivated", employee_id=employee_id)
    return None
