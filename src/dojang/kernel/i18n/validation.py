"""pydantic's validation errors as Dojang messages: one sentence per error `type`.

pydantic's own wording ("Input should be ...", "Value error, ...") and the regular expressions
of patterns never reach a reader: each type is named here with the values of its `ctx`, and
a validator that raises `MessageError` speaks its own message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dojang.kernel.i18n.messages import Message, MessageError, msg

_DATE = msg("Enter a date in the YYYY-MM-DD format.")
_DATETIME = msg("Enter a date and time with its offset, such as 2026-03-02T09:00:00+09:00.")
_WHOLE = msg("Enter a whole number.")
_NUMBER = msg("Enter a number.")
_OBJECT = msg("Enter an object.")
_INVALID = msg("This value is not valid.")

_BY_TYPE: dict[str, Message] = {
    "missing": msg("This field is required."),
    "extra_forbidden": msg("This field is not accepted here."),
    "string_type": msg("Enter text."),
    "string_unicode": msg("Enter text."),
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_from_float": _WHOLE,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "finite_number": _NUMBER,
    "bool_type": msg("Enter true or false."),
    "bool_parsing": msg("Enter true or false."),
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_object_invalid": _DATETIME,
    "timezone_aware": msg("Give the time with its offset, such as +09:00."),
    "list_type": msg("Enter a list."),
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "url_parsing": msg("Enter a valid URL."),
    "url_type": msg("Enter a valid URL."),
    "uuid_parsing": msg("Enter a valid identifier."),
    "uuid_type": msg("Enter a valid identifier."),
}

_WITH_CONTEXT: dict[str, tuple[Message, str]] = {
    "string_too_long": (msg("Enter at most {max_length} characters."), "max_length"),
    "greater_than": (msg("Enter a number greater than {gt}."), "gt"),
    "greater_than_equal": (msg("Enter a number of at least {ge}."), "ge"),
    "less_than": (msg("Enter a number less than {lt}."), "lt"),
    "less_than_equal": (msg("Enter a number of at most {le}."), "le"),
    "multiple_of": (msg("Enter a multiple of {multiple_of}."), "multiple_of"),
    "too_long": (msg("Give at most {max_length} items."), "max_length"),
}

# Patterns of the API's own fields, said as the format they ask for.
_PATTERNS: dict[str, Message] = {
    r"\S": msg("This field must not be blank."),
    r"^\d{4}-\d{2}-\d{2}$": _DATE,
    "[A-Z]{3}": msg("Enter a three-letter currency code, such as KRW."),
}


def validation_message(error: Mapping[str, Any]) -> Message:
    """What one pydantic error (an item of `errors()`) tells the reader."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind in {"value_error", "assertion_error"}:
        cause = ctx.get("error")
        return cause.message if isinstance(cause, MessageError) else _INVALID
    if kind in _BY_TYPE:
        return _BY_TYPE[kind]
    if kind in _WITH_CONTEXT:
        message, name = _WITH_CONTEXT[kind]
        return Message(message.template, {name: ctx.get(name)})
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return msg("This field must not be empty.")
        return msg("Enter at least {min_length} characters.", min_length=ctx.get("min_length"))
    if kind == "too_short":
        return msg("Give at least {min_length} items.", min_length=ctx.get("min_length"))
    if kind in {"enum", "literal_error"}:
        # pydantic lists them as "'a', 'b' or 'c'": the values stay, its English "or" goes
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return msg("Choose one of: {expected}.", expected=expected)
    if kind == "string_pattern_mismatch":
        fallback = msg("This value is not in the expected format.")
        return _PATTERNS.get(str(ctx.get("pattern")), fallback)
    return _INVALID
