"""결재 규정 (위임전결규정): a form's approval policy, as data.

A policy is keyed by form code, so it outlives forms being code. It holds rules: each has a
name, a condition on the document's facts (amount band, expense category, the drafter's
department) and the mandatory stages it selects. A stage names its approver by role; the
approval service resolves roles to employees against its org copy. The policy also says who
holds 전결 (final authority) in which band. `revision` counts saved edits; an edit names the
revision it read, and a store refuses it if another edit came first.

Pure: no clock, no I/O. `Policy.from_data` checks an edit and raises one `InvalidInput` with
every problem; `Policy.evaluate` gives the trace of which rules matched and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from dojang.approval.domain.line import StageKind
from dojang.kernel.errors import Conflict, FieldError, InvalidInput
from dojang.kernel.i18n import Message, msg

MAX_RULES = 50
MAX_STAGES_PER_RULE = 10
MAX_NAME_LENGTH = 100


class ApproverRole(StrEnum):
    """How a policy stage names its approver."""

    MANAGER = "manager"  # the drafter's manager
    DEPARTMENT_HEAD = "department_head"  # the head of the drafter's department
    DIRECTOR = "director"  # the head of the parent of the drafter's department
    CEO = "ceo"  # the head of the root department
    POSITION = "position"  # whoever holds a position (`value`: its title)
    PERSON = "person"  # a named employee (`value`: their id)
    DEPARTMENT = "department"  # a department, as 합의 (`value`: its id); its head answers


# roles whose stage names what it means in `value`
VALUED_ROLES = frozenset({ApproverRole.POSITION, ApproverRole.PERSON, ApproverRole.DEPARTMENT})


class PolicyRevisionConflict(Conflict):
    """Another edit of the policy was saved since the revision this edit read."""


@dataclass(frozen=True)
class Facts:
    """What a policy's conditions look at, read from a document and its drafter."""

    amount: Decimal | None = None
    category: str | None = None
    department_id: str | None = None


@dataclass(frozen=True)
class Condition:
    """When a rule applies: every given part must hold (an empty condition always holds).
    The amount band is `amount_from <= amount < amount_below`."""

    amount_from: Decimal | None = None
    amount_below: Decimal | None = None
    categories: frozenset[str] = frozenset()
    departments: frozenset[str] = frozenset()

    def check(self, facts: Facts) -> tuple[bool, list[Message]]:
        """Whether the facts meet the condition, and each part's verdict (the trace's
        reasons, rendered in the reader's language)."""
        reasons: list[Message] = []
        met = True
        if self.amount_from is not None or self.amount_below is not None:
            amount = facts.amount
            low = "-" if self.amount_from is None else _json_number(self.amount_from)
            high = "-" if self.amount_below is None else _json_number(self.amount_below)
            inside = amount is not None
            if amount is not None and self.amount_from is not None:
                inside = inside and amount >= self.amount_from
            if amount is not None and self.amount_below is not None:
                inside = inside and amount < self.amount_below
            shown = "-" if amount is None else _json_number(amount)
            reasons.append(
                msg(
                    "amount {amount} is within {low} to below {high}",
                    amount=shown,
                    low=low,
                    high=high,
                )
                if inside
                else msg(
                    "amount {amount} is outside {low} to below {high}",
                    amount=shown,
                    low=low,
                    high=high,
                )
            )
            met = met and inside
        if self.categories:
            inside = facts.category in self.categories
            listed = ", ".join(sorted(self.categories))
            category = facts.category or "-"
            reasons.append(
                msg("category {category} is one of {listed}", category=category, listed=listed)
                if inside
                else msg(
                    "category {category} is not one of {listed}", category=category, listed=listed
                )
            )
            met = met and inside
        if self.departments:
            inside = facts.department_id in self.departments
            reasons.append(
                msg("the drafter's department is listed")
                if inside
                else msg("the drafter's department is not listed")
            )
            met = met and inside
        if not reasons:
            reasons.append(msg("the rule always applies"))
        return met, reasons

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.amount_from is not None:
            data["amount_from"] = _json_number(self.amount_from)
        if self.amount_below is not None:
            data["amount_below"] = _json_number(self.amount_below)
        if self.categories:
            data["categories"] = sorted(self.categories)
        if self.departments:
            data["departments"] = sorted(self.departments)
        return data


@dataclass(frozen=True)
class StageRequirement:
    """One mandatory stage: its kind and how its approver is found."""

    role: ApproverRole
    kind: StageKind = StageKind.APPROVAL
    value: str | None = None

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"role": self.role.value, "kind": self.kind.value}
        if self.value is not None:
            data["value"] = self.value
        return data


@dataclass(frozen=True)
class PolicyRule:
    """A named rule: when it applies, the stages it makes mandatory."""

    name: str
    stages: tuple[StageRequirement, ...]
    when: Condition = Condition()

    def to_data(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "when": self.when.to_data(),
            "stages": [stage.to_data() for stage in self.stages],
        }


@dataclass(frozen=True)
class FinalAuthority:
    """전결: in the band of `when`, the approver found by `role` approves finally."""

    role: ApproverRole
    when: Condition = Condition()
    value: str | None = None

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"role": self.role.value, "when": self.when.to_data()}
        if self.value is not None:
            data["value"] = self.value
        return data


@dataclass(frozen=True)
class RuleVerdict:
    """One rule of the trace: whether it matched, and the verdict of each part."""

    name: str
    matched: bool
    reasons: tuple[Message, ...]


@dataclass(frozen=True)
class Evaluation:
    """The mandatory stages in policy order (each with the rule that asked for it, first
    one wins when two rules ask for the same), the 전결 holders that apply, and the trace."""

    stages: tuple[tuple[str, StageRequirement], ...]
    final_authority: tuple[FinalAuthority, ...]
    trace: tuple[RuleVerdict, ...]


@dataclass(frozen=True)
class Policy:
    """The approval policy of one form, at a stored revision (0: never saved)."""

    form: str
    rules: tuple[PolicyRule, ...]
    final_authority: tuple[FinalAuthority, ...] = ()
    revision: int = 0

    def evaluate(self, facts: Facts) -> Evaluation:
        """Which rules match the facts, and the stages and 전결 holders they select."""
        trace: list[RuleVerdict] = []
        stages: list[tuple[str, StageRequirement]] = []
        seen: set[tuple[ApproverRole, str | None]] = set()
        for rule in self.rules:
            matched, reasons = rule.when.check(facts)
            trace.append(RuleVerdict(rule.name, matched, tuple(reasons)))
            if not matched:
                continue
            for stage in rule.stages:
                key = (stage.role, stage.value)
                if key not in seen:
                    seen.add(key)
                    stages.append((rule.name, stage))
        final = tuple(band for band in self.final_authority if band.when.check(facts)[0])
        return Evaluation(tuple(stages), final, tuple(trace))

    def to_data(self) -> dict[str, Any]:
        """The policy as stored and as the admin API shows it."""
        return {
            "form": self.form,
            "revision": self.revision,
            "rules": [rule.to_data() for rule in self.rules],
            "final_authority": [band.to_data() for band in self.final_authority],
        }

    def saved(self) -> Policy:
        """The policy as the next revision."""
        return Policy(self.form, self.rules, self.final_authority, self.revision + 1)

    @classmethod
    def from_data(cls, form: str, data: Mapping[str, Any], *, revision: int = 0) -> Policy:
        """Read a policy from its JSON; one `InvalidInput` listing every problem."""
        errors: list[FieldError] = []
        rules = _rules(data.get("rules"), errors)
        bands = _bands(data.get("final_authority", []), errors)
        if errors:
            raise InvalidInput("the approval policy is not valid", errors=errors)
        return cls(form, rules, bands, revision)


def _rules(raw: object, errors: list[FieldError]) -> tuple[PolicyRule, ...]:
    if not isinstance(raw, list) or not raw:
        errors.append(FieldError("rules", "must be a non-empty list"))
        return ()
    if len(raw) > MAX_RULES:
        errors.append(FieldError("rules", "at most {limit} items", {"limit": MAX_RULES}))
        return ()
    rules: list[PolicyRule] = []
    names: set[str] = set()
    for index, item in enumerate(raw):
        path = f"rules[{index}]"
        if not isinstance(item, dict):
            errors.append(FieldError(path, "must be an object"))
            continue
        name = item.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_LENGTH:
            errors.append(
                FieldError(
                    f"{path}.name", "must be text of 1 to {limit}", {"limit": MAX_NAME_LENGTH}
                )
            )
            name = ""
        elif name in names:
            errors.append(FieldError(f"{path}.name", "another rule has this name"))
        names.add(name)
        when = _condition(item.get("when", {}), f"{path}.when", errors)
        stages = _stages(item.get("stages"), f"{path}.stages", errors)
        rules.append(PolicyRule(name, stages, when))
    return tuple(rules)


def _stages(raw: object, path: str, errors: list[FieldError]) -> tuple[StageRequirement, ...]:
    if not isinstance(raw, list) or not raw:
        errors.append(FieldError(path, "must be a non-empty list"))
        return ()
    if len(raw) > MAX_STAGES_PER_RULE:
        errors.append(FieldError(path, "at most {limit} items", {"limit": MAX_STAGES_PER_RULE}))
        return ()
    stages: list[StageRequirement] = []
    for index, item in enumerate(raw):
        where = f"{path}[{index}]"
        if not isinstance(item, dict):
            errors.append(FieldError(where, "must be an object"))
            continue
        role = _role(item.get("role"), f"{where}.role", errors)
        value = _value(role, item.get("value"), f"{where}.value", errors)
        kind_raw = item.get("kind", StageKind.APPROVAL.value)
        try:
            kind = StageKind(kind_raw if isinstance(kind_raw, str) else "")
        except ValueError:
            errors.append(
                FieldError(
                    f"{where}.kind",
                    "must be one of: {choices}",
                    {"choices": ", ".join(kind.value for kind in StageKind)},
                )
            )
            continue
        if role is not None:
            stages.append(StageRequirement(role, kind, value))
    return tuple(stages)


def _bands(raw: object, errors: list[FieldError]) -> tuple[FinalAuthority, ...]:
    if not isinstance(raw, list):
        errors.append(FieldError("final_authority", "must be a list"))
        return ()
    bands: list[FinalAuthority] = []
    for index, item in enumerate(raw):
        where = f"final_authority[{index}]"
        if not isinstance(item, dict):
            errors.append(FieldError(where, "must be an object"))
            continue
        role = _role(item.get("role"), f"{where}.role", errors)
        value = _value(role, item.get("value"), f"{where}.value", errors)
        when = _condition(item.get("when", {}), f"{where}.when", errors)
        if role is not None:
            bands.append(FinalAuthority(role, when, value))
    return tuple(bands)


def _role(raw: object, path: str, errors: list[FieldError]) -> ApproverRole | None:
    try:
        return ApproverRole(str(raw)) if isinstance(raw, str) else ApproverRole("")
    except ValueError:
        errors.append(
            FieldError(
                path,
                "must be one of: {choices}",
                {"choices": ", ".join(role.value for role in ApproverRole)},
            )
        )
        return None


def _value(
    role: ApproverRole | None, raw: object, path: str, errors: list[FieldError]
) -> str | None:
    if role is None:
        return None
    if role in VALUED_ROLES:
        if not isinstance(raw, str) or not raw.strip() or len(raw) > MAX_NAME_LENGTH:
            errors.append(
                FieldError(path, "must be text of 1 to {limit}", {"limit": MAX_NAME_LENGTH})
            )
            return None
        return raw
    if raw is not None:
        errors.append(FieldError(path, "only for a position, person or department"))
    return None


def _condition(raw: object, path: str, errors: list[FieldError]) -> Condition:
    if not isinstance(raw, dict):
        errors.append(FieldError(path, "must be an object"))
        return Condition()
    known = {"amount_from", "amount_below", "categories", "departments"}
    for key in sorted(set(raw) - known):
        errors.append(FieldError(f"{path}.{key}", "unknown field"))
    low = _amount(raw.get("amount_from"), f"{path}.amount_from", errors)
    high = _amount(raw.get("amount_below"), f"{path}.amount_below", errors)
    if low is not None and high is not None and low >= high:
        errors.append(FieldError(f"{path}.amount_below", "must be above amount_from"))
    return Condition(
        low,
        high,
        _texts(raw.get("categories"), f"{path}.categories", errors),
        _texts(raw.get("departments"), f"{path}.departments", errors),
    )


def _amount(raw: object, path: str, errors: list[FieldError]) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        errors.append(FieldError(path, "must be a number"))
        return None
    try:
        amount = Decimal(str(raw))
    except InvalidOperation:
        errors.append(FieldError(path, "must be a number"))
        return None
    if amount < 0:
        errors.append(FieldError(path, "must not be negative"))
        return None
    return amount


def _texts(raw: object, path: str, errors: list[FieldError]) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(item, str) and item for item in raw):
        errors.append(FieldError(path, "must be a list of text"))
        return frozenset()
    return frozenset(raw)


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
