"""Property tests: random lines driven by random people stay consistent after every step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dojang.approval.domain.line import (
    TERMINAL_STATUSES,
    AlreadyDecided,
    AlreadyStarted,
    ApprovalLine,
    Decision,
    FinalAuthorityRequired,
    LineStatus,
    NextApproverActed,
    NothingToTakeBack,
    NotInProgress,
    NotYourTurn,
    StageStatus,
    TaskRef,
    Transition,
    TransitionRefused,
)

REQUESTER = "requester"
OUTSIDER = "outsider"
DELEGATE = "deputy"
START_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Start:
    """Submit the draft."""


@dataclass(frozen=True)
class Withdraw:
    """The requester withdraws the document."""


@dataclass(frozen=True)
class Decide:
    """`person` decides, possibly finally, possibly through the delegate."""

    person: str
    decision: Decision
    final: bool
    delegated: bool


@dataclass(frozen=True)
class TakeBack:
    """`person` takes back their approval (결재 취소)."""

    person: str


Action = Start | Withdraw | Decide | TakeBack


@dataclass
class History:
    """What the test saw happen, to judge states the line alone cannot explain."""

    decided_while_active: set[str] = field(default_factory=set)
    final_stage: int | None = None


@st.composite
def requested_lines(draw: st.DrawFn) -> list[dict[str, object]]:
    """A valid requested line: 1-5 stages of 1-4 approvers, random rules and final authority."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=5))
    stages: list[dict[str, object]] = []
    for index, size in enumerate(sizes):
        approvers = [f"e{index}.{position}" for position in range(size)]
        rules: list[object] = ["all", "any", *({"at_least": n} for n in range(1, size + 1))]
        raw: dict[str, object] = {
            "kind": draw(st.sampled_from(["approval", "agreement"])),
            "approvers": approvers,
            "rule": draw(st.sampled_from(rules)),
        }
        final_authority = draw(st.lists(st.sampled_from(approvers), unique=True))
        # An empty final authority is sent both as [] and by leaving the key out.
        sends_key: bool = draw(st.booleans())
        if final_authority or sends_key:
            raw["final_authority"] = final_authority
        stages.append(raw)
    return stages


def next_action(data: st.DataObject, line: ApprovalLine) -> Action:
    """An action chosen with the line's state in view, so that runs get past the first stage."""
    everyone = [*(a for stage in line.stages for a in stage.approver_ids), OUTSIDER, REQUESTER]
    # Mostly decisions by someone whose turn it is; the rest probe every refusal.
    choice = data.draw(st.integers(0, 19), label="action")
    if choice == 0:
        return Start()
    if choice == 1:
        return Withdraw()
    if choice in (2, 3):
        approved = [
            slot.employee_id
            for stage in line.stages
            for slot in stage.approvers
            if slot.decision is Decision.APPROVED
        ]
        return TakeBack(data.draw(st.sampled_from(approved or everyone), label="taker"))
    whose_turn = line.open_approvers() if choice < 14 else []
    person = data.draw(st.sampled_from(whose_turn or everyone), label="person")
    decision = data.draw(st.sampled_from([Decision.APPROVED] * 11 + [Decision.REJECTED]))
    final = decision is Decision.APPROVED and data.draw(st.integers(0, 7), label="final") == 0
    return Decide(person, decision, final, data.draw(st.booleans(), label="delegated"))


def expected_refusal(line: ApprovalLine, action: Action) -> type[TransitionRefused] | None:
    """The refusal the rules call for, worked out independently of the line's own checks."""
    if isinstance(action, Start):
        return None if line.status is LineStatus.DRAFT else AlreadyStarted
    if isinstance(action, TakeBack):
        return expected_take_back_refusal(line, action.person)
    if line.status is not LineStatus.IN_PROGRESS:
        return NotInProgress
    if isinstance(action, Withdraw):
        return None
    for stage in line.stages:
        for slot in stage.approvers:
            if slot.employee_id != action.person:
                continue
            if slot.decision is not None:
                return AlreadyDecided
            if stage.status is not StageStatus.ACTIVE:
                return NotYourTurn
            if action.final and action.person not in stage.final_authority:
                return FinalAuthorityRequired
            return None
    return NotYourTurn


def expected_take_back_refusal(line: ApprovalLine, person: str) -> type[TransitionRefused] | None:
    """A take-back is refused unless `person` approved and nobody after them decided."""
    if line.status is not LineStatus.IN_PROGRESS:
        return NextApproverActed
    for index, stage in enumerate(line.stages):
        for slot in stage.approvers:
            if slot.employee_id != person:
                continue
            if slot.decision is not Decision.APPROVED:
                return NothingToTakeBack
            if stage.status is StageStatus.ACTIVE:
                return None
            later = line.stages[index + 1 :]
            if (
                later
                and later[0].status is StageStatus.ACTIVE
                and all(s.decision is None for s in later[0].approvers)
            ):
                return None
            return NextApproverActed
    return NothingToTakeBack


def requested_count(rule: object, approver_count: int) -> int:
    """Approvals a stage needs, read from the requested rule alone."""
    if rule == "all":
        return approver_count
    if rule == "any":
        return 1
    assert isinstance(rule, dict)
    count = rule["at_least"]
    assert isinstance(count, int)
    return count


@dataclass
class ModelSlot:
    """The reference model's view of one approver's place."""

    employee_id: str
    decision: str | None = None
    decided_by: str | None = None
    on_behalf_of: str | None = None
    decided_at: datetime | None = None
    comment: str | None = None


@dataclass
class ModelStage:
    """The reference model's view of one stage."""

    required: int
    final_authority: list[str]
    slots: list[ModelSlot]
    status: str = "waiting"

    def undecided(self) -> list[str]:
        """Approvers without a decision, in line order."""
        return [slot.employee_id for slot in self.slots if slot.decision is None]


ModelTransition = tuple[
    tuple[int, str] | None,
    list[tuple[int, str]],
    list[tuple[int, str]],
    int | None,
    list[int],
    str | None,
]


class Model:
    """A reference model of docs/approval-line.md, written from the rules, not from line.py."""

    def __init__(self, requested: list[dict[str, object]]) -> None:
        self.status = "draft"
        self.stages = []
        for raw in requested:
            approvers = raw["approvers"]
            assert isinstance(approvers, list)
            final_authority = raw.get("final_authority", [])
            assert isinstance(final_authority, list)
            self.stages.append(
                ModelStage(
                    requested_count(raw["rule"], len(approvers)),
                    list(final_authority),
                    [ModelSlot(a) for a in approvers],
                )
            )

    @property
    def active(self) -> int | None:
        """The active stage's index."""
        found = [i for i, stage in enumerate(self.stages) if stage.status == "active"]
        return found[0] if found else None

    def _open(self, index: int) -> list[tuple[int, str]]:
        self.stages[index].status = "active"
        return [(index, slot.employee_id) for slot in self.stages[index].slots]

    def _close(self, index: int, status: str) -> list[tuple[int, str]]:
        self.stages[index].status = status
        return [(index, person) for person in self.stages[index].undecided()]

    def _skip_after(self, index: int) -> list[int]:
        later = list(range(index + 1, len(self.stages)))
        for position in later:
            self.stages[position].status = "skipped"
        return later

    def start(self) -> ModelTransition | type[TransitionRefused]:
        """Submit the draft."""
        if self.status != "draft":
            return AlreadyStarted
        self.status = "in_progress"
        return (None, self._open(0), [], None, [], None)

    def withdraw(self) -> ModelTransition | type[TransitionRefused]:
        """Withdraw while in progress."""
        index = self.active
        if self.status != "in_progress" or index is None:
            return NotInProgress
        cancelled = self._close(index, "skipped")
        skipped = [index, *self._skip_after(index)]
        self.status = "withdrawn"
        return (None, [], cancelled, None, skipped, "withdrawn")

    def decide(self, action: Decide, at: datetime) -> ModelTransition | type[TransitionRefused]:
        """Record a decision by the approver or their delegate."""
        if self.status != "in_progress":
            return NotInProgress
        where = [
            (i, slot)
            for i, stage in enumerate(self.stages)
            for slot in stage.slots
            if slot.employee_id == action.person
        ]
        if not where:
            return NotYourTurn
        ((index, slot),) = where
        stage = self.stages[index]
        if slot.decision is not None:
            return AlreadyDecided
        if stage.status != "active":
            return NotYourTurn
        if action.final and action.person not in stage.final_authority:
            return FinalAuthorityRequired
        slot.decision = action.decision.value
        slot.decided_by = DELEGATE if action.delegated else action.person
        slot.on_behalf_of = action.person if action.delegated else None
        slot.decided_at = at
        slot.comment = comment_of(action)
        decided = (index, action.person)
        approvals = sum(1 for s in stage.slots if s.decision == "approved")
        last = index + 1 == len(self.stages)
        if (
            action.decision is Decision.REJECTED
            or action.final
            or (last and approvals >= stage.required)
        ):
            outcome = "rejected" if action.decision is Decision.REJECTED else "approved"
            cancelled = self._close(index, outcome)
            skipped = self._skip_after(index)
            self.status = outcome
            return (decided, [], cancelled, index, skipped, outcome)
        if approvals < stage.required:
            return (decided, [], [], None, [], None)
        cancelled = self._close(index, "approved")
        return (decided, self._open(index + 1), cancelled, index, [], None)

    def take_back(self, person: str) -> ModelTransition | type[TransitionRefused]:
        """Undo `person`'s approval while nobody after it has decided."""
        if self.status != "in_progress":
            return NextApproverActed
        where = [
            (i, slot)
            for i, stage in enumerate(self.stages)
            for slot in stage.slots
            if slot.employee_id == person and slot.decision == "approved"
        ]
        if not where:
            return NothingToTakeBack
        ((index, slot),) = where
        stage = self.stages[index]
        if stage.status == "active":
            slot.decision = slot.decided_by = slot.on_behalf_of = slot.comment = None
            slot.decided_at = None
            return (None, [(index, person)], [], None, [], None)
        following = self.stages[index + 1] if index + 1 < len(self.stages) else None
        if (
            following is None
            or following.status != "active"
            or any(s.decision is not None for s in following.slots)
        ):
            return NextApproverActed
        following.status = "waiting"
        slot.decision = slot.decided_by = slot.on_behalf_of = slot.comment = None
        slot.decided_at = None
        stage.status = "active"
        cancelled = [(index + 1, s.employee_id) for s in following.slots]
        return (None, [(index, p) for p in stage.undecided()], cancelled, None, [], None)

    def act(self, action: Action, at: datetime) -> ModelTransition | type[TransitionRefused]:
        """Perform `action` on the model."""
        if isinstance(action, Start):
            return self.start()
        if isinstance(action, Withdraw):
            return self.withdraw()
        if isinstance(action, TakeBack):
            return self.take_back(action.person)
        return self.decide(action, at)


def check_matches_model(line: ApprovalLine, model: Model) -> None:
    """The line's every observable field equals the reference model's."""
    assert line.status.value == model.status
    assert line.active_stage == model.active
    assert len(line.stages) == len(model.stages)
    for stage, expected in zip(line.stages, model.stages, strict=True):
        assert stage.status.value == expected.status
        observed = [
            (
                s.employee_id,
                None if s.decision is None else s.decision.value,
                s.decided_by,
                s.on_behalf_of,
                s.decided_at,
                s.comment,
            )
            for s in stage.approvers
        ]
        assert observed == [
            (s.employee_id, s.decision, s.decided_by, s.on_behalf_of, s.decided_at, s.comment)
            for s in expected.slots
        ]


def observed_transition(transition: Transition) -> ModelTransition:
    """A transition in the model's plain form."""
    return (
        None if transition.decided is None else tuple(transition.decided),  # type: ignore[arg-type]
        [tuple(ref) for ref in transition.opened],  # type: ignore[misc]
        [tuple(ref) for ref in transition.cancelled],  # type: ignore[misc]
        transition.stage_completed,
        list(transition.skipped),
        None if transition.outcome is None else transition.outcome.value,
    )


def comment_of(action: Decide) -> str | None:
    """The comment a test decision carries: sometimes none, to see None kept."""
    if action.person.endswith(".0"):
        return None
    return f"{action.decision.value} by {action.person}"


def apply(line: ApprovalLine, action: Action, at: datetime) -> Transition:
    """Perform `action` on `line`."""
    if isinstance(action, Start):
        return line.start()
    if isinstance(action, Withdraw):
        return line.withdraw()
    if isinstance(action, TakeBack):
        return line.take_back(action.person)
    return line.decide(
        action.person,
        action.decision,
        at,
        final=action.final,
        decided_by=DELEGATE if action.delegated else None,
        comment=comment_of(action),
    )


def decided_ids(line: ApprovalLine) -> set[str]:
    """Everyone whose decision is recorded."""
    return {
        slot.employee_id
        for stage in line.stages
        for slot in stage.approvers
        if slot.decision is not None
    }


def check_transition(
    line: ApprovalLine,
    action: Action,
    transition: Transition,
    open_before: list[str],
    active_before: int | None,
) -> None:
    """The transition reports exactly the tasks that opened and closed."""
    open_after = line.open_approvers()
    decider = action.person if isinstance(action, Decide) else None
    # -1 stands for "no stage"; it can only appear in a failing comparison.
    closing = -1 if active_before is None else active_before
    opening = line.active_stage
    assert transition.decided == (None if decider is None else TaskRef(closing, decider))
    assert list(transition.cancelled) == [
        TaskRef(closing, person)
        for person in open_before
        if person != decider and person not in open_after
    ]
    assert list(transition.opened) == [
        TaskRef(-1 if opening is None else opening, person)
        for person in open_after
        if person not in open_before
    ]
    assert transition.outcome == (line.status if line.is_terminal else None)
    assert all(line.stages[i].status is StageStatus.SKIPPED for i in transition.skipped)


def check_consistent(line: ApprovalLine, history: History, model: Model) -> None:
    """Every invariant of docs/approval-line.md holds."""
    statuses = [stage.status for stage in line.stages]
    active = [i for i, status in enumerate(statuses) if status is StageStatus.ACTIVE]
    assert len(active) <= 1
    assert line.active_stage == (active[0] if active else None)
    assert (line.status is LineStatus.IN_PROGRESS) == bool(active)
    assert line.is_terminal == (line.status in TERMINAL_STATUSES)

    if active:
        (index,) = active
        assert all(s is StageStatus.APPROVED for s in statuses[:index])
        assert all(s is StageStatus.WAITING for s in statuses[index + 1 :])
        assert line.open_approvers() == list(line.stages[index].undecided())
    else:
        assert line.open_approvers() == []

    if line.status is LineStatus.DRAFT:
        assert all(s is StageStatus.WAITING for s in statuses)
    elif line.status is LineStatus.APPROVED:
        approved = statuses.count(StageStatus.APPROVED)
        assert approved >= 1
        assert statuses == [StageStatus.APPROVED] * approved + [StageStatus.SKIPPED] * (
            len(statuses) - approved
        )
        assert approved == len(statuses) or history.final_stage == approved - 1
    elif line.status is LineStatus.REJECTED:
        assert statuses.count(StageStatus.REJECTED) == 1
        rejected = statuses.index(StageStatus.REJECTED)
        assert all(s is StageStatus.APPROVED for s in statuses[:rejected])
        assert all(s is StageStatus.SKIPPED for s in statuses[rejected + 1 :])
    elif line.status is LineStatus.WITHDRAWN:
        approved = statuses.count(StageStatus.APPROVED)
        assert statuses == [StageStatus.APPROVED] * approved + [StageStatus.SKIPPED] * (
            len(statuses) - approved
        )
        assert approved < len(statuses)

    for index, stage in enumerate(line.stages):
        approvals = stage.approvals()
        rejections = sum(1 for slot in stage.approvers if slot.decision is Decision.REJECTED)
        required = model.stages[index].required
        if stage.status is StageStatus.APPROVED and history.final_stage != index:
            assert approvals == required
        if stage.status in (StageStatus.ACTIVE, StageStatus.APPROVED):
            assert rejections == 0
        if stage.status is StageStatus.ACTIVE:
            assert approvals < required
        if stage.status is StageStatus.REJECTED:
            assert rejections == 1
        if stage.status is StageStatus.WAITING:
            assert stage.undecided() == stage.approver_ids
        for slot in stage.approvers:
            if slot.decision is None:
                assert (slot.decided_by, slot.on_behalf_of, slot.decided_at, slot.comment) == (
                    (None,) * 4
                )
                continue
            assert slot.employee_id in history.decided_while_active
            assert slot.decided_at is not None
            assert slot.decided_by in (slot.employee_id, DELEGATE)
            expected_principal = None if slot.decided_by == slot.employee_id else slot.employee_id
            assert slot.on_behalf_of == expected_principal


@settings(max_examples=300, deadline=None)
@given(requested_lines(), st.data())
def test_random_runs_keep_the_line_consistent(
    requested: list[dict[str, object]], data: st.DataObject
) -> None:
    line = ApprovalLine.build(REQUESTER, requested)
    history = History()
    model = Model(requested)
    check_consistent(line, history, model)
    starts_first = data.draw(st.integers(0, 9), label="start first") > 0

    for step in range(data.draw(st.integers(1, 30), label="steps")):
        action = Start() if step == 0 and starts_first else next_action(data, line)
        at = START_AT + timedelta(minutes=step)
        before = line.to_dict()
        was_terminal = line.is_terminal
        decided_before = decided_ids(line)
        open_before = line.open_approvers()
        active_before = line.active_stage
        refusal = expected_refusal(line, action)
        expected = model.act(action, at)

        if refusal is not None:
            assert expected is refusal
            with pytest.raises(refusal) as refused:
                apply(line, action, at)
            assert type(refused.value) is refusal
            assert line.to_dict() == before
            continue

        transition = apply(line, action, at)
        assert observed_transition(transition) == expected
        check_matches_model(line, model)
        assert not was_terminal
        newly_decided = decided_ids(line) - decided_before
        if isinstance(action, Decide):
            assert newly_decided == {action.person}
            assert action.person in open_before
            history.decided_while_active |= newly_decided
            if action.final:
                history.final_stage = active_before
        else:
            assert not newly_decided
        check_transition(line, action, transition, open_before, active_before)
        check_consistent(line, history, model)
        restored = ApprovalLine.from_dict(line.to_dict())
        assert restored.to_dict() == line.to_dict()
        check_matches_model(restored, model)
