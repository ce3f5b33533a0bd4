"""Forms (양식): which fields a document of each kind carries and how they are checked.

A draft may leave required fields out; a submission may not. Field values that are present
are always checked, and so are the rules between fields once every field they read is valid.
Errors name `fields.<name>`, the path of the field in the request body.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from dojang.approval.domain.labels import EXPENSE_CATEGORIES, LEAVE_TYPES, labelled
from dojang.kernel.errors import FieldError, InvalidInput
from dojang.kernel.i18n import Message, msg

MAX_TEXT_FIELD_LENGTH = 200
MAX_NUMBER = Decimal(10) ** 15


class FormCode(StrEnum):
    """The kinds of document Dojang knows."""

    GENERAL = "general"
    LEAVE = "leave"
    EXPENSE = "expense"


class FieldType(StrEnum):
    """How a field's value is written in JSON."""

    DATE = "date"
    NUMBER = "number"
    STRING = "string"


class LeaveType(StrEnum):
    """Kinds of leave."""

    ANNUAL = "annual"
    HALF_DAY_AM = "half_day_am"
    HALF_DAY_PM = "half_day_pm"
    SICK = "sick"
    FAMILY_EVENT = "family_event"
    OTHER = "other"


HALF_DAY_TYPES = frozenset({LeaveType.HALF_DAY_AM, LeaveType.HALF_DAY_PM})


class ExpenseCategory(StrEnum):
    """What an expense was for."""

    TRAVEL = "travel"
    MEALS = "meals"
    SUPPLIES = "supplies"
    EQUIPMENT = "equipment"
    TRAINING = "training"
    OTHER = "other"


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

FieldValue = str | int | float
Errors = list[FieldError]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form and the constraints its value must meet."""

    name: str
    type: FieldType
    required: bool
    label: str
    label_ko: str
    choices: tuple[str, ...] = ()
    exclusive_minimum: Decimal | None = None
    multiple_of: Decimal | None = None
    pattern: str | None = None
    format_hint: Message | None = None  # what a value that misses `pattern` should look like
    choice_labels: Mapping[str, Message] = field(default_factory=dict)
    default: FieldValue | None = None

    def to_dict(self) -> dict[str, object]:
        """The field as `GET /api/forms` shows it: only the constraints that apply."""
        shown: dict[str, object] = {
            "name": self.name,
            "type": self.type.value,
            "required": self.required,
            "label": self.label,
            "label_ko": self.label_ko,
        }
        if self.choices:
            shown["choices"] = list(self.choices)
            shown["choice_labels"] = [labelled(self.choice_labels, c) for c in self.choices]
        if self.exclusive_minimum is not None:
            shown["exclusive_minimum"] = json_number(self.exclusive_minimum)
        if self.multiple_of is not None:
            shown["multiple_of"] = json_number(self.multiple_of)
        if self.pattern is not None:
            shown["pattern"] = self.pattern
        if self.default is not None:
            shown["default"] = self.default
        return shown

    def parse(self, raw: object, errors: Errors) -> FieldValue | None:
        """The value in its stored form, or None after adding an error for this field."""
        path = f"fields.{self.name}"
        if self.type is FieldType.DATE:
            return _parse_date(raw, path, errors)
        if self.type is FieldType.NUMBER:
            return self._parse_number(raw, path, errors)
        return self._parse_string(raw, path, errors)

    def _parse_number(self, raw: object, path: str, errors: Errors) -> FieldValue | None:
        # bool is an int in Python, but `true` is not a number.
        if not isinstance(raw, int | float) or isinstance(raw, bool) or not math.isfinite(raw):
            errors.append(FieldError(path, "must be a number"))
            return None
        value = Decimal(str(raw))
        if self.exclusive_minimum is not None and value <= self.exclusive_minimum:
            errors.append(
                FieldError(
                    path,
                    "must be greater than {minimum}",
                    {"minimum": json_number(self.exclusive_minimum)},
                )
            )
            return None
        if value > MAX_NUMBER:
            errors.append(
                FieldError(path, "must not exceed {maximum}", {"maximum": json_number(MAX_NUMBER)})
            )
            return None
        if self.multiple_of is not None and value % self.multiple_of != 0:
            errors.append(
                FieldError(
                    path, "must be a multiple of {step}", {"step": json_number(self.multiple_of)}
                )
            )
            return None
        return raw

    def _parse_string(self, raw: object, path: str, errors: Errors) -> FieldValue | None:
        if not isinstance(raw, str):
            errors.append(FieldError(path, "must be text"))
            return None
        if self.choices and raw not in self.choices:
            errors.append(
                FieldError(path, "must be one of: {choices}", {"choices": ", ".join(self.choices)})
            )
            return None
        if self.pattern is not None and not re.fullmatch(self.pattern, raw):
            errors.append(
                FieldError.of(path, self.format_hint or msg("is not in the expected format"))
            )
            return None
        if len(raw) > MAX_TEXT_FIELD_LENGTH:
            errors.append(
                FieldError(
                    path,
                    "must be at most {max_length} characters",
                    {"max_length": MAX_TEXT_FIELD_LENGTH},
                )
            )
            return None
        return raw


CrossCheck = Callable[[dict[str, FieldValue], Errors], None]


@dataclass(frozen=True)
class Form:
    """A kind of document: its fields, the rules between them, and its default line rule."""

    code: FormCode
    name: str
    name_ko: str
    fields: tuple[FieldSpec, ...]
    line_rule: Mapping[str, object]
    cross_check: CrossCheck | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, object]:
        """The form as `GET /api/forms` shows it."""
        return {
            "code": self.code.value,
            "name": self.name,
            "name_ko": self.name_ko,
            "fields": [spec.to_dict() for spec in self.fields],
            "line_rule": dict(self.line_rule),
        }

    def validate(self, raw: object, *, complete: bool) -> dict[str, FieldValue]:
        """The checked fields with defaults filled in; 422 naming every bad field.

        `complete` is for a submission: every required field must then be present.
        """
        if not isinstance(raw, Mapping):
            raise InvalidInput.field("fields", "must be an object")
        errors: Errors = []
        specs = {spec.name: spec for spec in self.fields}
        for name in raw:
            if name not in specs:
                errors.append(
                    FieldError(
                        f"fields.{name}",
                        "is not a field of the {form} form",
                        {"form": self.code.value},
                    )
                )
        values: dict[str, FieldValue] = {}
        invalid = False
        for spec in self.fields:
            raw_value = raw.get(spec.name)
            if raw_value is None:
                if spec.default is not None:
                    values[spec.name] = spec.default
                elif complete and spec.required:
                    errors.append(FieldError(f"fields.{spec.name}", "is required"))
                continue
            value = spec.parse(raw_value, errors)
            if value is None:
                invalid = True
            else:
                values[spec.name] = value
        if self.cross_check is not None and not invalid:
            self.cross_check(values, errors)
        if errors:
            raise InvalidInput(
                "The {form} form has invalid fields.", errors=errors, form=self.code.value
            )
        return values


def json_number(value: Decimal) -> int | float:
    """A decimal as the JSON number it stands for."""
    return int(value) if value == value.to_integral_value() else float(value)


def _parse_date(raw: object, path: str, errors: Errors) -> str | None:
    if isinstance(raw, str) and _ISO_DATE.fullmatch(raw):
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            pass
    errors.append(FieldError(path, "must be a date written YYYY-MM-DD"))
    return None


@dataclass(frozen=True)
class LeaveRequest:
    """The fields of a complete leave document, typed."""

    start_date: date
    end_date: date
    days: Decimal
    leave_type: LeaveType

    @classmethod
    def of(cls, fields: Mapping[str, object]) -> LeaveRequest:
        """Read fields that `Form.validate(..., complete=True)` has accepted."""
        return cls(
            start_date=date.fromisoformat(str(fields["start_date"])),
            end_date=date.fromisoformat(str(fields["end_date"])),
            days=Decimal(str(fields["days"])),
            leave_type=LeaveType(str(fields["leave_type"])),
        )

    @property
    def year(self) -> int:
        """The year whose allowance the leave uses: the year it starts in."""
        return self.start_date.year

    @property
    def calendar_days(self) -> int:
        """How many calendar days the leave spans, both ends included."""
        return (self.end_date - self.start_date).days + 1


FIRST_LEAVE_YEAR = 2000
LAST_LEAVE_YEAR = 2999
"""Leave dates outside these years are typing mistakes (0001, 9999), refused before any
year's balance is made for them."""
MAX_LEAVE_SPAN_DAYS = 366


def _check_leave(values: dict[str, FieldValue], errors: Errors) -> None:
    start, end = values.get("start_date"), values.get("end_date")
    out_of_range = False
    for name, value in (("start_date", start), ("end_date", end)):
        if value is not None and not (
            FIRST_LEAVE_YEAR <= date.fromisoformat(str(value)).year <= LAST_LEAVE_YEAR
        ):
            errors.append(
                FieldError(
                    f"fields.{name}",
                    "must be in the years {first}-{last}",
                    {"first": FIRST_LEAVE_YEAR, "last": LAST_LEAVE_YEAR},
                )
            )
            out_of_range = True
    if start is None or end is None or out_of_range:
        return
    first, last = date.fromisoformat(str(start)), date.fromisoformat(str(end))
    if last < first:
        errors.append(FieldError("fields.end_date", "must not be before start_date"))
        return
    span = (last - first).days + 1
    if span > MAX_LEAVE_SPAN_DAYS:
        errors.append(
            FieldError(
                "fields.end_date",
                "a leave spans at most {days} days",
                {"days": MAX_LEAVE_SPAN_DAYS},
            )
        )
        return
    days = values.get("days")
    leave_type = values.get("leave_type")
    if leave_type in HALF_DAY_TYPES:
        if span != 1:
            errors.append(FieldError("fields.end_date", "a half day starts and ends the same day"))
        if days is not None and Decimal(str(days)) != Decimal("0.5"):
            errors.append(FieldError("fields.days", "a half day is 0.5 days"))
        return
    if days is not None and Decimal(str(days)) > span:
        errors.append(
            FieldError(
                "fields.days",
                "must not exceed the {span} calendar days from start_date to end_date",
                {"span": span},
            )
        )


def expense_amount(fields: Mapping[str, object]) -> Decimal | None:
    """The amount of an expense document, if it has one."""
    amount = fields.get("amount")
    if isinstance(amount, int | float) and not isinstance(amount, bool):
        return Decimal(str(amount))
    return None


def build_forms(expense_director_threshold: Decimal) -> dict[FormCode, Form]:
    """Every form, the expense rule quoting the configured director threshold."""
    threshold = json_number(expense_director_threshold)
    return {
        FormCode.GENERAL: Form(
            code=FormCode.GENERAL,
            name="General request",
            name_ko="일반 기안",
            fields=(),
            line_rule={
                "description": (
                    "The requester's manager, then the head of the requester's department "
                    "if that is someone else."
                ),
                "stages": ["manager", "department_head"],
            },
        ),
        FormCode.LEAVE: Form(
            code=FormCode.LEAVE,
            name="Leave request",
            name_ko="휴가 신청서",
            fields=(
                FieldSpec("start_date", FieldType.DATE, True, "First day", "시작일"),
                FieldSpec("end_date", FieldType.DATE, True, "Last day", "종료일"),
                FieldSpec(
                    "days",
                    FieldType.NUMBER,
                    True,
                    "Days of leave",
                    "휴가 일수",
                    exclusive_minimum=Decimal(0),
                    multiple_of=Decimal("0.5"),
                ),
                FieldSpec(
                    "leave_type",
                    FieldType.STRING,
                    True,
                    "Kind of leave",
                    "휴가 종류",
                    choices=tuple(kind.value for kind in LeaveType),
                    choice_labels=LEAVE_TYPES,
                ),
            ),
            line_rule={
                "description": (
                    "Every manager from the requester's own up to and including the head of "
                    "the requester's department, one stage each."
                ),
                "stages": ["manager_chain_to_department_head"],
                "balance_check": "days must not exceed granted - used - pending of the year",
            },
            cross_check=_check_leave,
        ),
        FormCode.EXPENSE: Form(
            code=FormCode.EXPENSE,
            name="Expense claim",
            name_ko="지출 결의서",
            fields=(
                FieldSpec(
                    "amount",
                    FieldType.NUMBER,
                    True,
                    "Amount",
                    "금액",
                    exclusive_minimum=Decimal(0),
                ),
                FieldSpec(
                    "currency",
                    FieldType.STRING,
                    False,
                    "Currency (ISO 4217)",
                    "통화",
                    pattern="[A-Z]{3}",
                    format_hint=msg("must be a three-letter currency code, such as KRW"),
                    default="KRW",
                ),
                FieldSpec(
                    "category",
                    FieldType.STRING,
                    True,
                    "Category",
                    "분류",
                    choices=tuple(category.value for category in ExpenseCategory),
                    choice_labels=EXPENSE_CATEGORIES,
                ),
            ),
            line_rule={
                "description": (
                    "The requester's manager, then the head of the requester's department if "
                    f"that is someone else; above {threshold} (in the claim's own currency) "
                    "also the nearest director up the manager chain."
                ),
                "stages": ["manager", "department_head", "director_above_threshold"],
                "director_threshold": threshold,
            },
        ),
    }
