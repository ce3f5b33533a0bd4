"""The approval line (결재선): ordered stages of approvers and the rules that move a document on.

Pure domain code: no clock, no I/O. `ApprovalLine` is the only mutable object; every action
checks everything first and changes state only when it succeeds, so a refused action leaves the
line exactly as it was. Each successful action returns a `Transition` naming the tasks it opened
and cancelled, for the service layer to publish. See docs/approval-line.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple, TypeVar, cast

from dojang.kernel.i18n import Message, msg


class StageKind(StrEnum):
    """What a stage's approvers do: approve (결재) or agree (합의)."""

    APPROVAL = "approval"
    AGREEMENT = "agreement"


class StageStatus(StrEnum):
    """Where one stage stands."""

    WAITING = "waiting"
    ACTIVE = "active"
    APPROVED = "approved"
    REJECTED = "rejected"
    SKIPPED = "skipped"


class LineStatus(StrEnum):
    """Where the whole document stands; the last three are terminal."""

    DRAFT = "draft"
    IN_PROGRESS = "in_progress"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


TERMINAL_STATUSES = frozenset({LineStatus.APPROVED, LineStatus.REJECTED, LineStatus.WITHDRAWN})


class Decision(StrEnum):
    """What an approver decided."""

    APPROVED = "approved"
    REJECTED = "rejected"


class RuleKind(StrEnum):
    """How many approvals complete a stage."""

    ALL = "all"
    ANY = "any"
    AT_LEAST = "at_least"


class LineError(ValueError):
    """A line that cannot be built: every offending field path with its message."""

    def __init__(self, errors: Sequence[tuple[str, Message]]) -> None:
        self.errors = list(errors)
        super().__init__(
            "; ".join(f"{field}: {message.render('en')}" for field, message in self.errors)
        )


class TransitionRefused(Exception):
    """An action the line's current state does not allow; the line is left unchanged."""


class AlreadyStarted(TransitionRefused):
    """Only a draft line can be started."""


class NotInProgress(TransitionRefused):
    """The line is a draft or already finished, so nobody can act on it."""


class NotYourTurn(TransitionRefused):
    """The person has no open task on this line (not an approver, or not of the active stage)."""


class AlreadyDecided(TransitionRefused):
    """The approver's decision is already recorded."""


class FinalAuthorityRequired(TransitionRefused):
    """A final approval (전결) by someone outside the stage's final authority."""


class NothingToTakeBack(TransitionRefused):
    """The approver has no approval on the line that could be taken back (결재 취소)."""


class NextApproverActed(TransitionRefused):
    """The approval was followed: the next stage has a decision, or the line is finished."""


@dataclass(frozen=True, slots=True)
class Rule:
    """The completion rule of a stage: every approver, any one, or at least `n` of them."""

    kind: RuleKind
    n: int | None = None

    def __post_init__(self) -> None:
        if (self.kind is RuleKind.AT_LEAST) != (self.n is not None):
            raise ValueError("a count goes with at_least and only with at_least")
        if self.n is not None and self.n < 1:
            raise ValueError("at_least needs a count of at least 1")

    @classmethod
    def all(cls) -> Rule:
        """Every approver of the stage must approve."""
        return cls(RuleKind.ALL)

    @classmethod
    def any(cls) -> Rule:
        """One approval completes the stage."""
        return cls(RuleKind.ANY)

    @classmethod
    def at_least(cls, n: int) -> Rule:
        """`n` approvals complete the stage."""
        return cls(RuleKind.AT_LEAST, n)

    def required(self, approver_count: int) -> int:
        """How many approvals complete a stage of `approver_count` approvers."""
        if self.n is not None:
            return self.n
        return approver_count if self.kind is RuleKind.ALL else 1

    def to_json(self) -> str | dict[str, int]:
        """The API form: "all", "any" or {"at_least": n}."""
        if self.n is None:
            return self.kind.value
        return {RuleKind.AT_LEAST.value: self.n}


@dataclass(frozen=True, slots=True)
class ApproverSlot:
    """One approver's place in a stage and, once made, their decision."""

    employee_id: str
    decision: Decision | None = None
    decided_by: str | None = None
    on_behalf_of: str | None = None
    decided_at: datetime | None = None
    comment: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The API form of the slot."""
        return {
            "employee_id": self.employee_id,
            "decision": None if self.decision is None else self.decision.value,
            "decided_by": self.decided_by,
            "on_behalf_of": self.on_behalf_of,
            "decided_at": None if self.decided_at is None else self.decided_at.isoformat(),
            "comment": self.comment,
        }


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of the line: its approvers, their rule, who may approve finally, its status."""

    kind: StageKind
    rule: Rule
    approvers: tuple[ApproverSlot, ...]
    final_authority: tuple[str, ...] = ()
    status: StageStatus = StageStatus.WAITING

    @property
    def approver_ids(self) -> tuple[str, ...]:
        """The approvers' employee ids, in line order."""
        return tuple(slot.employee_id for slot in self.approvers)

    def approvals(self) -> int:
        """How many approvers have approved."""
        return sum(1 for slot in self.approvers if slot.decision is Decision.APPROVED)

    def is_rule_met(self) -> bool:
        """Whether the approvals recorded so far satisfy the stage's rule."""
        return self.approvals() >= self.rule.required(len(self.approvers))

    def undecided(self) -> tuple[str, ...]:
        """The approvers without a decision, in line order."""
        return tuple(slot.employee_id for slot in self.approvers if slot.decision is None)

    def to_dict(self, index: int) -> dict[str, object]:
        """The API form of the stage, at position `index` of its line."""
        return {
            "index": index,
            "kind": self.kind.value,
            "rule": self.rule.to_json(),
            "status": self.status.value,
            "final_authority": list(self.final_authority),
            "approvers": [slot.to_dict() for slot in self.approvers],
        }


class TaskRef(NamedTuple):
    """One approver's task on one stage."""

    stage_index: int
    employee_id: str


@dataclass(frozen=True, slots=True)
class Transition:
    """What one successful action changed, for the service layer to publish as events."""

    decided: TaskRef | None = None
    opened: tuple[TaskRef, ...] = ()
    cancelled: tuple[TaskRef, ...] = ()
    stage_completed: int | None = None
    skipped: tuple[int, ...] = ()
    outcome: LineStatus | None = None


class ApprovalLine:
    """The approval line of one document version and where the document stands on it."""

    __slots__ = ("_stages", "_status")

    def __init__(self, stages: Sequence[Stage], status: LineStatus = LineStatus.DRAFT) -> None:
        """Wrap stages that are already valid; input goes through `build` or `from_dict`."""
        self._stages = list(stages)
        self._status = status

    @classmethod
    def build(cls, requester_id: str, line: object) -> ApprovalLine:
        """Validate a requested line (API shape) and return it as a draft, or raise LineError."""
        errors: list[tuple[str, Message]] = []
        stages = _parse_stages(line, "line", errors, requester_id=requester_id, stored=False)
        if errors:
            raise LineError(errors)
        return cls(stages)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ApprovalLine:
        """Restore a line from `to_dict` output, or raise LineError naming what is malformed."""
        errors: list[tuple[str, Message]] = []
        status = _parse_choice(LineStatus, data.get("status"), "status", errors)
        stages = _parse_stages(data.get("stages"), "stages", errors, requester_id=None, stored=True)
        if errors or status is None:
            raise LineError(errors)
        return cls(stages, status)

    def to_dict(self) -> dict[str, object]:
        """The line as JSON-ready data; `stages` is the API's `line` field."""
        return {
            "status": self._status.value,
            "stages": [stage.to_dict(index) for index, stage in enumerate(self._stages)],
        }

    def __repr__(self) -> str:
        """A compact view for test failures and logs."""
        stages = ", ".join(
            f"{stage.status.value}{list(stage.approver_ids)}" for stage in self._stages
        )
        return f"ApprovalLine({self._status.value}: {stages})"

    @property
    def status(self) -> LineStatus:
        """The document-level status."""
        return self._status

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The stages in order."""
        return tuple(self._stages)

    @property
    def is_terminal(self) -> bool:
        """Whether the line is approved, rejected or withdrawn, after which nothing changes."""
        return self._status in TERMINAL_STATUSES

    @property
    def active_stage(self) -> int | None:
        """The index of the active stage, or None when no stage is active."""
        for index, stage in enumerate(self._stages):
            if stage.status is StageStatus.ACTIVE:
                return index
        return None

    def open_approvers(self) -> list[str]:
        """The approvers who have an open task now: the undecided ones of the active stage."""
        index = self.active_stage
        return [] if index is None else list(self._stages[index].undecided())

    def start(self) -> Transition:
        """Submit the draft: the first stage becomes active and its approvers get tasks."""
        if self._status is not LineStatus.DRAFT:
            raise AlreadyStarted(f"the line is already {self._status.value}")
        self._status = LineStatus.IN_PROGRESS
        return Transition(opened=self._activate(0))

    def decide(
        self,
        approver_id: str,
        decision: Decision,
        at: datetime,
        *,
        comment: str | None = None,
        final: bool = False,
        decided_by: str | None = None,
        on_behalf_of: str | None = None,
    ) -> Transition:
        """Record `approver_id`'s decision, made by `decided_by` when a delegate acts (대결)."""
        actor = approver_id if decided_by is None else decided_by
        principal = None if actor == approver_id else approver_id
        if on_behalf_of is not None and on_behalf_of != principal:
            raise ValueError("on_behalf_of must be the approver a delegate decides for")
        if at.tzinfo is None:
            raise ValueError("decided_at must be timezone-aware")
        if final and decision is not Decision.APPROVED:
            raise ValueError("only an approval can be final (전결)")
        if self._status is not LineStatus.IN_PROGRESS:
            raise NotInProgress(self._status.value)
        index, position = self._locate(approver_id)
        stage = self._stages[index]
        # Checked before the turn, so someone who decided on a finished stage hears "already
        # decided" (409), while a cancelled or waiting approver hears "not your turn" (403).
        if stage.approvers[position].decision is not None:
            raise AlreadyDecided(f"{approver_id} has already decided")
        if stage.status is not StageStatus.ACTIVE:
            raise NotYourTurn(f"stage {index} of {approver_id} is {stage.status.value}")
        if final and approver_id not in stage.final_authority:
            raise FinalAuthorityRequired(f"{approver_id} may not approve finally (전결)")

        slots = list(stage.approvers)
        slots[position] = replace(
            slots[position],
            decision=decision,
            decided_by=actor,
            on_behalf_of=principal,
            decided_at=at,
            comment=comment,
        )
        self._stages[index] = replace(stage, approvers=tuple(slots))
        decided = TaskRef(index, approver_id)

        if decision is Decision.REJECTED:
            return self._finish(decided, StageStatus.REJECTED, LineStatus.REJECTED)
        if final:
            return self._finish(decided, StageStatus.APPROVED, LineStatus.APPROVED)
        if not self._stages[index].is_rule_met():
            return Transition(decided=decided)
        if index + 1 == len(self._stages):
            return self._finish(decided, StageStatus.APPROVED, LineStatus.APPROVED)
        cancelled = self._close(index, StageStatus.APPROVED)
        return Transition(
            decided=decided,
            opened=self._activate(index + 1),
            cancelled=cancelled,
            stage_completed=index,
        )

    def take_back(self, approver_id: str) -> Transition:
        """Take back `approver_id`'s approval (결재 취소) while nobody after it has acted.

        Allowed while their stage is still active (the others of an `all`, `any` or
        `at_least` stage that have not decided are unaffected), or when their approval
        completed the stage and nobody of the next stage has decided yet: that stage goes
        back to waiting (its tasks cancelled) and theirs is active again, its undecided
        approvers' tasks reopened. The slot is undecided again; nothing else changes.
        """
        if self._status is not LineStatus.IN_PROGRESS:
            raise NextApproverActed(self._status.value)
        index, position = self._locate_decided(approver_id)
        stage = self._stages[index]
        if stage.status is StageStatus.ACTIVE:
            self._clear(index, position)
            return Transition(opened=(TaskRef(index, approver_id),))
        following = index + 1
        if (
            stage.status is not StageStatus.APPROVED
            or following >= len(self._stages)
            or self._stages[following].status is not StageStatus.ACTIVE
            or any(slot.decision is not None for slot in self._stages[following].approvers)
        ):
            raise NextApproverActed(f"stage {index} of {approver_id} was followed")
        after = self._stages[following]
        cancelled = tuple(TaskRef(following, employee_id) for employee_id in after.approver_ids)
        self._stages[following] = replace(after, status=StageStatus.WAITING)
        self._clear(index, position)
        self._stages[index] = replace(self._stages[index], status=StageStatus.ACTIVE)
        opened = tuple(TaskRef(index, e) for e in self._stages[index].undecided())
        return Transition(opened=opened, cancelled=cancelled)

    def _locate_decided(self, approver_id: str) -> tuple[int, int]:
        for index, stage in enumerate(self._stages):
            for position, slot in enumerate(stage.approvers):
                if slot.employee_id == approver_id:
                    if slot.decision is not Decision.APPROVED:
                        raise NothingToTakeBack(f"{approver_id} has not approved")
                    return index, position
        raise NothingToTakeBack(f"{approver_id} is not an approver on this line")

    def _clear(self, index: int, position: int) -> None:
        stage = self._stages[index]
        slots = list(stage.approvers)
        slots[position] = ApproverSlot(slots[position].employee_id)
        self._stages[index] = replace(stage, approvers=tuple(slots))

    def withdraw(self) -> Transition:
        """Withdraw the document (the requester's call): open tasks cancelled, the rest skipped."""
        index = self.active_stage
        if self._status is not LineStatus.IN_PROGRESS or index is None:
            raise NotInProgress(self._status.value)
        cancelled = self._close(index, StageStatus.SKIPPED)
        skipped = (index, *self._skip_after(index))
        self._status = LineStatus.WITHDRAWN
        return Transition(cancelled=cancelled, skipped=skipped, outcome=LineStatus.WITHDRAWN)

    def _locate(self, approver_id: str) -> tuple[int, int]:
        for index, stage in enumerate(self._stages):
            for position, slot in enumerate(stage.approvers):
                if slot.employee_id == approver_id:
                    return index, position
        raise NotYourTurn(f"{approver_id} is not an approver on this line")

    def _activate(self, index: int) -> tuple[TaskRef, ...]:
        stage = self._stages[index]
        self._stages[index] = replace(stage, status=StageStatus.ACTIVE)
        return tuple(TaskRef(index, employee_id) for employee_id in stage.approver_ids)

    def _close(self, index: int, status: StageStatus) -> tuple[TaskRef, ...]:
        stage = self._stages[index]
        self._stages[index] = replace(stage, status=status)
        return tuple(TaskRef(index, employee_id) for employee_id in stage.undecided())

    def _skip_after(self, index: int) -> tuple[int, ...]:
        later = range(index + 1, len(self._stages))
        for position in later:
            self._stages[position] = replace(self._stages[position], status=StageStatus.SKIPPED)
        return tuple(later)

    def _finish(
        self, decided: TaskRef, stage_status: StageStatus, outcome: LineStatus
    ) -> Transition:
        index = decided.stage_index
        cancelled = self._close(index, stage_status)
        skipped = self._skip_after(index)
        self._status = outcome
        return Transition(
            decided=decided,
            cancelled=cancelled,
            stage_completed=index,
            skipped=skipped,
            outcome=outcome,
        )


_Choice = TypeVar("_Choice", bound=StrEnum)


def _parse_choice(
    choices: type[_Choice], raw: object, path: str, errors: list[tuple[str, Message]]
) -> _Choice | None:
    if isinstance(raw, str):
        found = choices._value2member_map_.get(raw)  # the enum's own lookup table
        if found is not None:
            return cast(_Choice, found)
    listed = ", ".join(choice.value for choice in choices)
    errors.append((path, msg("must be one of: {choices}", choices=listed)))
    return None


def _parse_stages(
    raw: object,
    path: str,
    errors: list[tuple[str, Message]],
    *,
    requester_id: str | None,
    stored: bool,
) -> list[Stage]:
    if not isinstance(raw, list | tuple) or not raw:
        errors.append((path, msg("must have at least one stage")))
        return []
    # Maps each approver to where they first appear, so a second appearance can point at it.
    seen: dict[str, str] = {}
    stages = []
    for index, raw_stage in enumerate(raw):
        stage = _parse_stage(raw_stage, f"{path}[{index}]", errors, seen, requester_id, stored)
        if stage is not None:
            stages.append(stage)
    return stages


def _parse_stage(
    raw: object,
    path: str,
    errors: list[tuple[str, Message]],
    seen: dict[str, str],
    requester_id: str | None,
    stored: bool,
) -> Stage | None:
    if not isinstance(raw, Mapping):
        errors.append((path, msg("must be an object")))
        return None
    found_before = len(errors)
    kind = _parse_choice(StageKind, raw.get("kind"), f"{path}.kind", errors)
    approvers = _parse_approvers(
        raw.get("approvers"), f"{path}.approvers", errors, seen, requester_id, stored
    )
    rule = _parse_rule(raw.get("rule"), f"{path}.rule", errors, len(approvers))
    final_authority = _parse_final_authority(
        raw.get("final_authority"),
        f"{path}.final_authority",
        errors,
        {slot.employee_id for slot in approvers},
    )
    status = (
        _parse_choice(StageStatus, raw.get("status"), f"{path}.status", errors)
        if stored
        else StageStatus.WAITING
    )
    if kind is None or rule is None or status is None or len(errors) > found_before:
        return None
    return Stage(kind, rule, approvers, final_authority, status)


def _parse_approvers(
    raw: object,
    path: str,
    errors: list[tuple[str, Message]],
    seen: dict[str, str],
    requester_id: str | None,
    stored: bool,
) -> tuple[ApproverSlot, ...]:
    if not isinstance(raw, list | tuple) or not raw:
        errors.append((path, msg("must name at least one approver")))
        return ()
    slots = []
    for position, entry in enumerate(raw):
        entry_path = f"{path}[{position}]"
        slot = (
            _parse_stored_slot(entry, entry_path, errors)
            if stored
            else _parse_new_slot(entry, entry_path, errors)
        )
        if slot is None:
            continue
        if slot.employee_id == requester_id:
            errors.append((entry_path, msg("the requester may not approve their own document")))
        elif slot.employee_id in seen:
            errors.append(
                (
                    entry_path,
                    msg(
                        "appears twice in the line (also at {other})", other=seen[slot.employee_id]
                    ),
                )
            )
        else:
            seen[slot.employee_id] = entry_path
        slots.append(slot)
    return tuple(slots)


def _parse_new_slot(
    raw: object, path: str, errors: list[tuple[str, Message]]
) -> ApproverSlot | None:
    if not isinstance(raw, str) or not raw:
        errors.append((path, msg("must be an employee id")))
        return None
    return ApproverSlot(raw)


def _parse_stored_slot(
    raw: object, path: str, errors: list[tuple[str, Message]]
) -> ApproverSlot | None:
    if not isinstance(raw, Mapping):
        errors.append((path, msg("must be an object")))
        return None
    found_before = len(errors)
    employee_id = _parse_new_slot(raw.get("employee_id"), f"{path}.employee_id", errors)
    raw_decision = raw.get("decision")
    decision = (
        None
        if raw_decision is None
        else _parse_choice(Decision, raw_decision, f"{path}.decision", errors)
    )
    decided_by = _parse_optional_text(raw.get("decided_by"), f"{path}.decided_by", errors)
    on_behalf_of = _parse_optional_text(raw.get("on_behalf_of"), f"{path}.on_behalf_of", errors)
    comment = _parse_optional_text(raw.get("comment"), f"{path}.comment", errors)
    decided_at = _parse_optional_instant(raw.get("decided_at"), f"{path}.decided_at", errors)
    if employee_id is None or len(errors) > found_before:
        return None
    return replace(
        employee_id,
        decision=decision,
        decided_by=decided_by,
        on_behalf_of=on_behalf_of,
        decided_at=decided_at,
        comment=comment,
    )


def _parse_optional_text(raw: object, path: str, errors: list[tuple[str, Message]]) -> str | None:
    if raw is None or isinstance(raw, str):
        return raw
    errors.append((path, msg("must be text or null")))
    return None


def _parse_optional_instant(
    raw: object, path: str, errors: list[tuple[str, Message]]
) -> datetime | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            instant = datetime.fromisoformat(raw)
        except ValueError:
            pass
        else:
            if instant.tzinfo is not None:
                return instant
    errors.append((path, msg("must be an ISO 8601 instant with an offset, or null")))
    return None


def _parse_rule(
    raw: object, path: str, errors: list[tuple[str, Message]], approver_count: int
) -> Rule | None:
    if raw == RuleKind.ALL.value:
        return Rule.all()
    if raw == RuleKind.ANY.value:
        return Rule.any()
    if isinstance(raw, Mapping) and set(raw) == {RuleKind.AT_LEAST.value}:
        n = raw[RuleKind.AT_LEAST.value]
        # bool is an int in Python, but {"at_least": true} is not a count.
        if not isinstance(n, int) or isinstance(n, bool):
            errors.append((f"{path}.at_least", msg("must be a whole number")))
            return None
        if n < 1:
            errors.append((f"{path}.at_least", msg("must be at least 1")))
            return None
        # With no valid approvers the stage is already refused; a bound of 0 would only add noise.
        if approver_count and n > approver_count:
            errors.append(
                (
                    f"{path}.at_least",
                    msg("must not exceed the {count} approvers", count=approver_count),
                )
            )
            return None
        return Rule.at_least(n)
    errors.append((path, msg('must be "all", "any" or {"at_least": n}')))
    return None


def _parse_final_authority(
    raw: object, path: str, errors: list[tuple[str, Message]], approver_ids: set[str]
) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        errors.append((path, msg("must list approvers of this stage")))
        return ()
    members: list[str] = []
    for position, entry in enumerate(raw):
        if not isinstance(entry, str) or entry not in approver_ids:
            errors.append((f"{path}[{position}]", msg("must be an approver of this stage")))
        elif entry in members:
            errors.append((f"{path}[{position}]", msg("is listed twice")))
        else:
            members.append(entry)
    return tuple(members)
