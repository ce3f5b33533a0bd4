"""Use cases that create and submit documents: lines, people, fields, leave, events."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dojang.approval.domain.document import DocumentStatus
from dojang.approval.domain.errors import NotADraft
from dojang.approval.domain.forms import FormCode
from dojang.approval.service.commands import ContentChanges, NewDocument
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.clock import FixedClock
from dojang.kernel.errors import Forbidden, InvalidInput, ServiceUnavailable
from dojang.kernel.ports import LeaveHold
from tests.approval_stores import ApprovalStore

from .fakes import FakeOrg, Harness, load, principal, stage, started_approval

STAFF = principal("staff")


def general(**overrides: Any) -> NewDocument:
    values: dict[str, Any] = {"form": FormCode.GENERAL, "title": "회의실 예약", "content": "본문"}
    values.update(overrides)
    return NewDocument(**values)


def leave(
    days: float = 2, start: str = "2026-03-10", end: str = "2026-03-11", **extra: Any
) -> NewDocument:
    return NewDocument(
        form=FormCode.LEAVE,
        title="연차",
        fields={"start_date": start, "end_date": end, "days": days, "leave_type": "annual"},
        **extra,
    )


def expense(amount: float, **extra: Any) -> NewDocument:
    return NewDocument(
        form=FormCode.EXPENSE,
        title="출장비",
        fields={"amount": amount, "category": "travel"},
        **extra,
    )


def approvers(document: Any) -> list[list[str]]:
    return [list(s.approver_ids) for s in document.line.stages]


def error_fields(caught: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    return sorted(e.field for e in caught.value.errors)


# Default lines from the org chart


async def test_general_goes_to_the_manager_then_the_department_head(harness: Harness) -> None:
    document = await harness.service.use_cases.create(STAFF, general())
    assert approvers(document) == [["lead"], ["head"]]
    assert document.status is DocumentStatus.IN_PROGRESS
    assert document.current_stage == 0


async def test_expense_up_to_the_threshold_needs_no_director(harness: Harness) -> None:
    document = await harness.service.use_cases.create(STAFF, expense(1_000_000))
    assert approvers(document) == [["lead"], ["head"]]
    assert document.fields["currency"] == "KRW"


async def test_expense_above_the_threshold_adds_the_nearest_director(harness: Harness) -> None:
    document = await harness.service.use_cases.create(STAFF, expense(1_000_001))
    assert approvers(document) == [["lead"], ["head"], ["director"]]


async def test_leave_climbs_the_manager_chain_to_the_department_head(harness: Harness) -> None:
    harness.org.hire("assistant", "보조", manager="staff")
    document = await harness.service.use_cases.create(principal("assistant"), leave())
    assert approvers(document) == [["staff"], ["lead"], ["head"]]


async def test_the_ceo_must_name_a_line(harness: Harness) -> None:
    with pytest.raises(InvalidInput) as caught:
        await harness.service.use_cases.create(principal("ceo"), general())
    assert error_fields(caught) == ["line"]
    document = await harness.service.use_cases.create(
        principal("ceo"), general(line=[stage("director")])
    )
    assert approvers(document) == [["director"]]


# Requested lines and cc


async def test_a_requested_line_is_kept_as_given(harness: Harness) -> None:
    line = [
        stage("peer", "junior", rule={"at_least": 1}, kind="agreement"),
        stage("lead", final_authority=["lead"]),
    ]
    document = await harness.service.use_cases.create(STAFF, general(line=line))
    assert approvers(document) == [["peer", "junior"], ["lead"]]
    assert document.line is not None
    assert document.line.stages[1].final_authority == ("lead",)
    assert document.custom_line


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ([], ["line"]),
        ([stage()], ["line[0].approvers"]),
        ([stage("staff")], ["line[0].approvers[0]"]),
        ([stage("lead", rule={"at_least": 2})], ["line[0].rule.at_least"]),
        ([stage("nobody")], ["line[0].approvers[0]"]),
        ([stage("lead"), stage("retired")], ["line[1].approvers[0]"]),
        ([stage("lead"), stage("lead")], ["line[1].approvers[0]"]),
    ],
)
async def test_a_bad_line_is_refused_with_its_field_paths(
    harness: Harness, line: list[Any], fields: list[str]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await harness.service.use_cases.create(STAFF, general(line=line))
    assert error_fields(caught) == fields


@pytest.mark.parametrize(
    ("cc", "message"),
    [
        (["nobody"], "there is no employee nobody"),
        (["retired"], "employee retired is deactivated"),
        (["staff"], "the requester is not cc'd on their own document"),
        (["lead"], "lead is an approver of this document"),
        (["peer", "peer"], "peer is listed twice"),
    ],
)
async def test_a_bad_cc_is_refused(harness: Harness, cc: list[str], message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        await harness.service.use_cases.create(STAFF, general(cc=cc))
    assert [e.render("en") for e in caught.value.errors] == [message]


async def test_only_active_employees_draft(harness: Harness) -> None:
    with pytest.raises(Forbidden):
        await harness.service.use_cases.create(principal("retired"), general())
    with pytest.raises(Forbidden):
        await harness.service.use_cases.create(principal("stranger"), general())


# Events of a submission


async def test_submission_opens_the_first_stage_and_announces_it(harness: Harness) -> None:
    line = [stage("lead", "peer", final_authority=["lead"]), stage("head")]
    document = await harness.service.use_cases.create(STAFF, general(line=line, cc=["junior"]))
    published = await harness.outbox()
    assert [(topic, event.type) for topic, event in published] == [
        ("approval-requests", "approval.tasks_opened"),
        ("approval-events", "approval.your_turn"),
        ("approval-events", "approval.submitted"),
    ]
    opened, turn, submitted = (event for _, event in published)
    assert (turn.data["stage_index"], turn.data["recipients"]) == (0, ["lead", "peer"])
    assert opened.aggregate_id == document.id
    assert opened.data == {
        "approval_id": document.id,
        "version": 1,
        "title": "회의실 예약",
        "form": "general",
        "requester": {"id": "staff", "name": "사원 김"},
        "stage_index": 0,
        "kind": "approval",
        "approvers": ["lead", "peer"],
        "final_authority": ["lead"],
    }
    assert submitted.data == {
        "approval_id": document.id,
        "version": 1,
        "title": "회의실 예약",
        "form": "general",
        "requester": {"id": "staff", "name": "사원 김"},
        "fields": {},
        "cc": ["junior"],
    }


async def test_a_draft_publishes_nothing_until_it_is_submitted(harness: Harness) -> None:
    use_cases = harness.service.use_cases
    draft = await use_cases.create(
        STAFF, NewDocument(form=FormCode.LEAVE, title="휴가", fields={}, submit=False)
    )
    assert draft.status is DocumentStatus.DRAFT
    assert draft.line is None
    assert await harness.outbox() == []

    with pytest.raises(InvalidInput) as caught:
        await use_cases.submit(STAFF, draft.id)
    assert error_fields(caught) == [
        "fields.days",
        "fields.end_date",
        "fields.leave_type",
        "fields.start_date",
    ]

    fields = {"start_date": "2026-03-10", "end_date": "2026-03-10", "days": 1, "leave_type": "sick"}
    await use_cases.edit_draft(STAFF, draft.id, ContentChanges(fields=fields))
    submitted = await use_cases.submit(STAFF, draft.id)
    assert submitted.status is DocumentStatus.IN_PROGRESS
    assert approvers(submitted) == [["lead"], ["head"]]
    assert [e.type for e in await harness.events()] == [
        "approval.tasks_opened",
        "approval.your_turn",
        "approval.submitted",
    ]
    with pytest.raises(NotADraft):
        await use_cases.submit(STAFF, draft.id)


# Leave: the days are held in the employee service's ledger at submission


async def test_leave_within_the_balance_is_held_at_submission(harness: Harness) -> None:
    harness.org.allowances[("staff", 2026)] = (15, 12.5)
    document = await harness.service.use_cases.create(
        STAFF, leave(2.5, start="2026-03-10", end="2026-03-12")
    )
    assert document.status is DocumentStatus.IN_PROGRESS
    assert harness.org.holds == {
        f"{document.id}.v1": LeaveHold(
            reservation_id=f"{document.id}.v1",
            employee_id="staff",
            year=2026,
            days=2.5,
            document_id=document.id,
            version=1,
            start_date=date(2026, 3, 10),
            end_date=date(2026, 3, 12),
        )
    }


async def test_leave_the_ledger_refuses_is_422_on_days_and_nothing_is_stored(
    harness: Harness,
) -> None:
    harness.org.allowances[("staff", 2026)] = (15, 13.5)
    with pytest.raises(InvalidInput) as caught:
        await harness.service.use_cases.create(STAFF, leave(2))
    assert error_fields(caught) == ["fields.days"]
    assert "only 1.5 days" in caught.value.errors[0].render("en")
    assert await harness.events() == []
    assert harness.org.holds == {}


async def test_a_draft_holds_nothing_until_it_is_submitted(harness: Harness) -> None:
    use_cases = harness.service.use_cases
    draft = await use_cases.create(STAFF, leave(2, submit=False))
    general_document = await use_cases.create(STAFF, general())
    assert harness.org.holds == {}
    await use_cases.submit(STAFF, draft.id)
    assert list(harness.org.holds) == [f"{draft.id}.v1"]
    assert general_document.id not in {h.document_id for h in harness.org.holds.values()}


async def test_a_resubmission_holds_its_new_version(harness: Harness) -> None:
    use_cases = harness.service.use_cases
    first = await use_cases.create(STAFF, leave(3, start="2026-03-10", end="2026-03-12"))
    await use_cases.withdraw(STAFF, first.id)
    fields = {**first.fields, "days": 1}
    await use_cases.resubmit(STAFF, first.id, ContentChanges(fields=fields))
    (held,) = harness.org.holds.values()
    assert (held.reservation_id, held.version, held.days) == (f"{first.id}.v2", 2, 1)


async def test_a_resubmission_over_the_balance_is_refused_and_stays_withdrawn(
    harness: Harness,
) -> None:
    use_cases = harness.service.use_cases
    first = await use_cases.create(STAFF, leave(3, start="2026-03-10", end="2026-03-12"))
    await use_cases.withdraw(STAFF, first.id)
    harness.org.allowances[("staff", 2026)] = (15, 13)
    with pytest.raises(InvalidInput) as caught:
        await use_cases.resubmit(STAFF, first.id, ContentChanges())
    assert error_fields(caught) == ["fields.days"]
    assert (await load(harness, first.id)).status is DocumentStatus.WITHDRAWN


async def test_a_ledger_that_does_not_answer_is_503_and_nothing_is_stored(
    tmp_path: Path, bus: LocalBus, org: FakeOrg, clock: FixedClock, approval_store: ApprovalStore
) -> None:
    slow = Harness(
        service=await started_approval(
            tmp_path,
            bus,
            org,
            clock,
            leave_ledger_timeout_seconds=0.05,
            **approval_store.overrides,
        ),
        bus=bus,
        org=org,
        clock=clock,
    )
    org.ledger_delay = 1.0
    try:
        with pytest.raises(ServiceUnavailable) as caught:
            await slow.service.use_cases.create(STAFF, leave(2))
        assert caught.value.status == 503
        assert await slow.events() == []
        # it may have held the days all the same: they are let go
        assert len(org.released) == 1
    finally:
        await slow.close()


async def test_a_submission_that_fails_after_the_hold_lets_it_go(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def full_disk(self: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(type(harness.service.unit_of_work()), "commit", full_disk)
    with pytest.raises(OSError, match="disk full"):
        await harness.service.use_cases.create(STAFF, leave(2))
    assert harness.org.holds == {}
    assert len(harness.org.released) == 1
