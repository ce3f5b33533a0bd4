"""Example tests for the approval line state machine: one per rule, action and refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dojang.approval.domain.line import (
    AlreadyDecided,
    AlreadyStarted,
    ApprovalLine,
    Decision,
    FinalAuthorityRequired,
    LineError,
    LineStatus,
    NotInProgress,
    NotYourTurn,
    Rule,
    StageKind,
    StageStatus,
    TaskRef,
    Transition,
)

REQUESTER = "requester"
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
APPROVED = Decision.APPROVED
REJECTED = Decision.REJECTED


def stage(
    *approvers: str,
    rule: object = "all",
    kind: object = "approval",
    final_authority: list[str] | None = None,
) -> dict[str, object]:
    """A requested stage in the API shape."""
    raw: dict[str, object] = {"kind": kind, "approvers": list(approvers), "rule": rule}
    if final_authority is not None:
        raw["final_authority"] = final_authority
    return raw


def started(*stages: dict[str, object]) -> ApprovalLine:
    """A line built from `stages` and submitted."""
    line = ApprovalLine.build(REQUESTER, list(stages))
    line.start()
    return line


def statuses(line: ApprovalLine) -> list[StageStatus]:
    """Each stage's status, in order."""
    return [s.status for s in line.stages]


def refusal(raw_line: object, requester: str = REQUESTER) -> list[tuple[str, str]]:
    """The field errors `build` raises for `raw_line`."""
    with pytest.raises(LineError) as caught:
        ApprovalLine.build(requester, raw_line)
    return [(path, message.render("en")) for path, message in caught.value.errors]


def refused_fields(raw_line: object) -> list[str]:
    """The field paths `build` refuses in `raw_line`."""
    return [field for field, _ in refusal(raw_line)]


# Building


def test_build_returns_a_draft_with_every_stage_waiting() -> None:
    line = ApprovalLine.build(
        REQUESTER, [stage("a", "b", rule={"at_least": 1}), stage("c", kind="agreement")]
    )

    assert line.status is LineStatus.DRAFT
    assert statuses(line) == [StageStatus.WAITING, StageStatus.WAITING]
    assert line.active_stage is None
    assert line.open_approvers() == []
    assert line.stages[0].rule == Rule.at_least(1)
    assert line.stages[1].kind is StageKind.AGREEMENT


@pytest.mark.parametrize("raw_line", [[], None, "a", {"stages": []}])
def test_empty_line_is_refused(raw_line: object) -> None:
    assert refused_fields(raw_line) == ["line"]


@pytest.mark.parametrize("approvers", [[], None, "a"])
def test_stage_without_approvers_is_refused(approvers: object) -> None:
    raw = [stage("a"), {"kind": "approval", "approvers": approvers, "rule": "all"}]

    assert refused_fields(raw) == ["line[1].approvers"]


@pytest.mark.parametrize("entry", ["", 7, None])
def test_approver_that_is_not_an_employee_id_is_refused(entry: object) -> None:
    assert refused_fields([{"kind": "approval", "approvers": ["a", entry], "rule": "all"}]) == [
        "line[0].approvers[1]"
    ]


@pytest.mark.parametrize("rule", ["most", None, {"at_most": 1}, {"at_least": 1, "x": 2}, ["all"]])
def test_unknown_rule_is_refused(rule: object) -> None:
    assert refused_fields([stage("a", rule=rule)]) == ["line[0].rule"]


@pytest.mark.parametrize("kind", ["review", None])
def test_unknown_stage_kind_is_refused(kind: object) -> None:
    assert refused_fields([stage("a", kind=kind)]) == ["line[0].kind"]


@pytest.mark.parametrize("n", [0, -1, 3, "2", 1.5, True])
def test_at_least_outside_one_to_the_number_of_approvers_is_refused(n: object) -> None:
    assert refused_fields([stage("a", "b", rule={"at_least": n})]) == ["line[0].rule.at_least"]


def test_at_least_equal_to_the_number_of_approvers_is_accepted() -> None:
    line = ApprovalLine.build(REQUESTER, [stage("a", "b", rule={"at_least": 2})])

    assert line.stages[0].rule == Rule.at_least(2)


@pytest.mark.parametrize(
    ("final_authority", "field"),
    [
        (["c"], "line[0].final_authority[0]"),
        (["a", "a"], "line[0].final_authority[1]"),
        ("a", "line[0].final_authority"),
    ],
)
def test_final_authority_must_be_a_subset_of_the_stage_approvers(
    final_authority: list[str], field: str
) -> None:
    raw = [stage("a", "b", final_authority=final_authority), stage("c")]

    assert refused_fields(raw) == [field]


def test_self_approval_is_refused() -> None:
    errors = refusal([stage("a"), stage("b", REQUESTER)])

    assert errors == [("line[1].approvers[1]", "the requester may not approve their own document")]


@pytest.mark.parametrize(
    ("raw_line", "field"),
    [
        ([stage("a", "b", "a")], "line[0].approvers[2]"),
        ([stage("a"), stage("b"), stage("c", "a")], "line[2].approvers[1]"),
    ],
)
def test_duplicate_approver_anywhere_in_the_line_is_refused(
    raw_line: list[dict[str, object]], field: str
) -> None:
    assert refused_fields(raw_line) == [field]


def test_line_error_reports_every_problem_at_once() -> None:
    raw = [stage(), stage(REQUESTER, rule="most"), {"kind": "approval"}, "stage"]

    assert refused_fields(raw) == [
        "line[0].approvers",
        "line[1].approvers[0]",
        "line[1].rule",
        "line[2].approvers",
        "line[2].rule",
        "line[3]",
    ]


# Starting


def test_start_activates_the_first_stage_and_opens_its_tasks() -> None:
    line = ApprovalLine.build(REQUESTER, [stage("a", "b"), stage("c")])

    transition = line.start()

    assert transition == Transition(opened=(TaskRef(0, "a"), TaskRef(0, "b")))
    assert line.status is LineStatus.IN_PROGRESS
    assert statuses(line) == [StageStatus.ACTIVE, StageStatus.WAITING]
    assert line.active_stage == 0
    assert line.open_approvers() == ["a", "b"]


def test_starting_twice_is_refused() -> None:
    line = started(stage("a"))

    with pytest.raises(AlreadyStarted):
        line.start()


def test_deciding_a_draft_is_refused() -> None:
    line = ApprovalLine.build(REQUESTER, [stage("a")])

    with pytest.raises(NotInProgress):
        line.decide("a", APPROVED, AT)


# Rules


def test_all_rule_waits_for_every_approver() -> None:
    line = started(stage("a", "b", "c"), stage("d"))

    assert line.decide("a", APPROVED, AT) == Transition(decided=TaskRef(0, "a"))
    line.decide("b", APPROVED, AT)

    assert line.active_stage == 0
    assert line.open_approvers() == ["c"]
    transition = line.decide("c", APPROVED, AT)

    assert transition.stage_completed == 0
    assert line.active_stage == 1


def test_any_rule_completes_on_the_first_approval() -> None:
    line = started(stage("a", "b", "c", rule="any"), stage("d"))

    transition = line.decide("b", APPROVED, AT)

    assert statuses(line) == [StageStatus.APPROVED, StageStatus.ACTIVE]
    assert transition.stage_completed == 0


def test_at_least_rule_completes_on_the_nth_approval() -> None:
    line = started(stage("a", "b", "c", "d", rule={"at_least": 2}), stage("e"))

    line.decide("c", APPROVED, AT)
    assert line.active_stage == 0
    line.decide("a", APPROVED, AT)

    assert statuses(line) == [StageStatus.APPROVED, StageStatus.ACTIVE]


def test_stage_completing_early_cancels_the_undecided_approvers() -> None:
    line = started(stage("a", "b", "c", "d", rule={"at_least": 2}), stage("e", "f"))
    line.decide("b", APPROVED, AT)

    transition = line.decide("d", APPROVED, AT)

    assert transition == Transition(
        decided=TaskRef(0, "d"),
        opened=(TaskRef(1, "e"), TaskRef(1, "f")),
        cancelled=(TaskRef(0, "a"), TaskRef(0, "c")),
        stage_completed=0,
    )
    assert [slot.decision for slot in line.stages[0].approvers] == [None, APPROVED, None, APPROVED]
    assert line.open_approvers() == ["e", "f"]


def test_approval_of_the_last_stage_approves_the_document() -> None:
    line = started(stage("a"), stage("b", "c", rule="any"))
    line.decide("a", APPROVED, AT)

    transition = line.decide("c", APPROVED, AT)

    assert transition == Transition(
        decided=TaskRef(1, "c"),
        cancelled=(TaskRef(1, "b"),),
        stage_completed=1,
        outcome=LineStatus.APPROVED,
    )
    assert line.status is LineStatus.APPROVED
    assert line.is_terminal
    assert statuses(line) == [StageStatus.APPROVED, StageStatus.APPROVED]
    assert line.active_stage is None
    assert line.open_approvers() == []


def test_agreement_stage_is_decided_like_an_approval_stage() -> None:
    line = started(stage("a", "b", kind="agreement"), stage("c"))

    line.decide("a", APPROVED, AT)
    line.decide("b", APPROVED, AT)
    line.decide("c", APPROVED, AT)

    assert line.stages[0].kind is StageKind.AGREEMENT
    assert line.status is LineStatus.APPROVED


# Rejection


def test_rejection_skips_remaining_stages() -> None:
    line = started(stage("a"), stage("b", "c"), stage("d"), stage("e"))
    line.decide("a", APPROVED, AT)

    transition = line.decide("c", REJECTED, AT, comment="budget exceeded")

    assert transition == Transition(
        decided=TaskRef(1, "c"),
        cancelled=(TaskRef(1, "b"),),
        stage_completed=1,
        skipped=(2, 3),
        outcome=LineStatus.REJECTED,
    )
    assert line.status is LineStatus.REJECTED
    assert statuses(line) == [
        StageStatus.APPROVED,
        StageStatus.REJECTED,
        StageStatus.SKIPPED,
        StageStatus.SKIPPED,
    ]
    assert line.stages[1].approvers[1].comment == "budget exceeded"


@pytest.mark.parametrize("rule", ["any", {"at_least": 1}])
def test_one_rejection_rejects_the_document_even_when_the_rule_could_still_be_met(
    rule: object,
) -> None:
    line = started(stage("a", "b", "c", rule=rule), stage("d"))

    line.decide("a", REJECTED, AT)

    assert line.status is LineStatus.REJECTED
    assert statuses(line) == [StageStatus.REJECTED, StageStatus.SKIPPED]


# Final approval (전결)


def test_final_approval_by_final_authority_approves_the_document_at_once() -> None:
    line = started(stage("a"), stage("b", "c", final_authority=["c"]), stage("d"), stage("e"))
    line.decide("a", APPROVED, AT)

    transition = line.decide("c", APPROVED, AT, final=True)

    assert transition == Transition(
        decided=TaskRef(1, "c"),
        cancelled=(TaskRef(1, "b"),),
        stage_completed=1,
        skipped=(2, 3),
        outcome=LineStatus.APPROVED,
    )
    assert statuses(line) == [
        StageStatus.APPROVED,
        StageStatus.APPROVED,
        StageStatus.SKIPPED,
        StageStatus.SKIPPED,
    ]


def test_final_approval_by_someone_outside_final_authority_is_refused() -> None:
    line = started(stage("a", "b", final_authority=["b"]), stage("c"))
    before = line.to_dict()

    with pytest.raises(FinalAuthorityRequired):
        line.decide("a", APPROVED, AT, final=True)

    assert line.to_dict() == before


def test_final_approval_on_a_stage_without_final_authority_is_refused() -> None:
    line = started(stage("a"), stage("b"))

    with pytest.raises(FinalAuthorityRequired):
        line.decide("a", APPROVED, AT, final=True)


def test_final_rejection_is_a_programming_error() -> None:
    line = started(stage("a", final_authority=["a"]))

    with pytest.raises(ValueError, match="only an approval"):
        line.decide("a", REJECTED, AT, final=True)


# Withdrawal


def test_withdrawal_skips_active_and_waiting_stages_and_cancels_open_tasks() -> None:
    line = started(stage("a"), stage("b", "c"), stage("d"))
    line.decide("a", APPROVED, AT)
    line.decide("b", APPROVED, AT)

    transition = line.withdraw()

    assert transition == Transition(
        cancelled=(TaskRef(1, "c"),), skipped=(1, 2), outcome=LineStatus.WITHDRAWN
    )
    assert line.status is LineStatus.WITHDRAWN
    assert statuses(line) == [StageStatus.APPROVED, StageStatus.SKIPPED, StageStatus.SKIPPED]
    assert line.open_approvers() == []


def test_withdrawing_a_draft_is_refused() -> None:
    with pytest.raises(NotInProgress):
        ApprovalLine.build(REQUESTER, [stage("a")]).withdraw()


def test_withdrawing_a_finished_line_is_refused() -> None:
    line = started(stage("a"))
    line.decide("a", APPROVED, AT)

    with pytest.raises(NotInProgress):
        line.withdraw()


def test_deciding_after_withdrawal_is_refused() -> None:
    line = started(stage("a"))
    line.withdraw()

    with pytest.raises(NotInProgress):
        line.decide("a", APPROVED, AT)


# Turn and repeat refusals


def test_deciding_from_a_later_stage_is_refused() -> None:
    line = started(stage("a"), stage("b"))
    before = line.to_dict()

    with pytest.raises(NotYourTurn):
        line.decide("b", APPROVED, AT)

    assert line.to_dict() == before


@pytest.mark.parametrize("person", ["outsider", REQUESTER])
def test_deciding_without_a_place_in_the_line_is_refused(person: str) -> None:
    line = started(stage("a"))

    with pytest.raises(NotYourTurn):
        line.decide(person, APPROVED, AT)


def test_deciding_twice_is_refused() -> None:
    line = started(stage("a", "b"))
    line.decide("a", APPROVED, AT)
    before = line.to_dict()

    with pytest.raises(AlreadyDecided):
        line.decide("a", REJECTED, AT + timedelta(minutes=1))

    assert line.to_dict() == before


def test_deciding_again_from_a_completed_stage_is_refused_as_already_decided() -> None:
    line = started(stage("a"), stage("b"))
    line.decide("a", APPROVED, AT)

    with pytest.raises(AlreadyDecided):
        line.decide("a", APPROVED, AT)


def test_cancelled_approver_has_no_turn_left() -> None:
    line = started(stage("a", "b", rule="any"), stage("c"))
    line.decide("a", APPROVED, AT)

    with pytest.raises(NotYourTurn):
        line.decide("b", APPROVED, AT)


def test_deciding_after_completion_is_refused() -> None:
    line = started(stage("a"), stage("b", "c", rule="any"))
    line.decide("a", APPROVED, AT)
    line.decide("b", APPROVED, AT)

    with pytest.raises(NotInProgress):
        line.decide("c", APPROVED, AT)


def test_decision_time_must_be_timezone_aware() -> None:
    line = started(stage("a"))

    with pytest.raises(ValueError, match="timezone-aware"):
        line.decide("a", APPROVED, datetime(2026, 3, 2, 9, 30))


# Delegation (대결)


def test_delegate_decision_records_decided_by_and_on_behalf_of() -> None:
    line = started(stage("a", "b"))

    line.decide("a", APPROVED, AT, decided_by="deputy", on_behalf_of="a", comment="대결")
    line.decide("b", APPROVED, AT, decided_by="b")

    delegated, own = line.stages[0].approvers
    assert (delegated.decided_by, delegated.on_behalf_of, delegated.comment) == (
        "deputy",
        "a",
        "대결",
    )
    assert (own.decided_by, own.on_behalf_of) == ("b", None)
    assert own.decided_at == AT


@pytest.mark.parametrize(("decided_by", "on_behalf_of"), [("deputy", "b"), (None, "a"), ("a", "a")])
def test_on_behalf_of_must_name_the_approver_the_delegate_decides_for(
    decided_by: str | None, on_behalf_of: str
) -> None:
    line = started(stage("a", "b"))
    before = line.to_dict()

    with pytest.raises(ValueError, match="on_behalf_of"):
        line.decide("a", APPROVED, AT, decided_by=decided_by, on_behalf_of=on_behalf_of)

    assert line.to_dict() == before


# Serialisation


def test_serialised_line_has_the_api_shape() -> None:
    line = started(stage("a", "b", rule={"at_least": 1}, final_authority=["b"]), stage("c"))
    line.decide("a", APPROVED, AT, decided_by="deputy", comment="ok")

    assert line.to_dict() == {
        "status": "in_progress",
        "stages": [
            {
                "index": 0,
                "kind": "approval",
                "rule": {"at_least": 1},
                "status": "approved",
                "final_authority": ["b"],
                "approvers": [
                    {
                        "employee_id": "a",
                        "decision": "approved",
                        "decided_by": "deputy",
                        "on_behalf_of": "a",
                        "decided_at": "2026-03-02T09:30:00+00:00",
                        "comment": "ok",
                    },
                    {
                        "employee_id": "b",
                        "decision": None,
                        "decided_by": None,
                        "on_behalf_of": None,
                        "decided_at": None,
                        "comment": None,
                    },
                ],
            },
            {
                "index": 1,
                "kind": "approval",
                "rule": "all",
                "status": "active",
                "final_authority": [],
                "approvers": [
                    {
                        "employee_id": "c",
                        "decision": None,
                        "decided_by": None,
                        "on_behalf_of": None,
                        "decided_at": None,
                        "comment": None,
                    }
                ],
            },
        ],
    }


def test_line_round_trips_through_its_dict_form() -> None:
    line = started(
        stage("a", "b", rule="any", kind="agreement"),
        stage("c", "d", rule={"at_least": 2}, final_authority=["d"]),
        stage("e"),
    )
    line.decide("b", APPROVED, AT, decided_by="deputy", comment="합의")
    line.decide("c", APPROVED, AT + timedelta(hours=1))

    restored = ApprovalLine.from_dict(line.to_dict())

    assert restored.to_dict() == line.to_dict()
    assert restored.stages == line.stages
    assert restored.status is line.status
    assert restored.open_approvers() == ["d"]
    restored.decide("d", APPROVED, AT, final=True)
    assert restored.status is LineStatus.APPROVED


def test_from_dict_refuses_malformed_data_with_field_paths() -> None:
    data = started(stage("a"), stage("b")).to_dict()
    stages = data["stages"]
    assert isinstance(stages, list)
    stages[0]["approvers"][0]["decided_at"] = "yesterday"
    stages[1]["status"] = "pending"

    with pytest.raises(LineError) as caught:
        ApprovalLine.from_dict({**data, "status": "done"})

    assert [field for field, _ in caught.value.errors] == [
        "status",
        "stages[0].approvers[0].decided_at",
        "stages[1].status",
    ]
