"""What text people type may hold: the one rule for titles, names, comments and reasons.

Text is trimmed first, and only then measured. It may not hold control characters (in
multi-line text, line breaks and tabs are fine, and `\\r\\n` becomes `\\n`), nor the
invisible controls that reorder text (U+202A to U+202E, U+2066 to U+2069, and the direction
marks): a title such as "결재 \\u202egnp.exe" would show differently in the inbox, in a
notification and in the audit trail. And it must show something: text made only of spaces
and zero-width characters is blank.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from pydantic import BeforeValidator

from dojang.kernel.i18n import Message, MessageError, msg

DIRECTION_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
MULTILINE_ALLOWED = frozenset("\n\t")


def text_problem(value: str, *, multiline: bool) -> Message | None:
    """What is wrong with already trimmed `value`, in words for the user; None if nothing.

    Empty text is no problem here: whether a field may be empty is the field's own rule.
    """
    plain = value.replace("\n", "").replace("\t", "") if multiline else value
    if plain.isprintable():
        # Python calls every character of the categories C and Z unprintable but the space:
        # so no control, surrogate or direction control is in it, and all but the spaces
        # are visible (the common case, checked in C instead of character by character)
        return msg("must not be blank") if value and not plain.strip(" ") else None
    visible = False
    for char in value:
        if multiline and char in MULTILINE_ALLOWED:
            continue
        if char in DIRECTION_CONTROLS:
            return msg("must not contain text direction controls")
        category = unicodedata.category(char)
        if category == "Cc":
            return msg("must not contain control characters")
        if category == "Cs":
            return msg("must not contain unpaired surrogates")
        visible = visible or category[0] not in "ZC"
    if value and not visible:
        return msg("must not be blank")
    return None


def clean_text(value: str, *, multiline: bool = False) -> str:
    """`value` trimmed (line breaks normalised); `MessageError` naming what is wrong with it."""
    trimmed = (value.replace("\r\n", "\n").replace("\r", "\n") if multiline else value).strip()
    problem = text_problem(trimmed, multiline=multiline)
    if problem is not None:
        raise MessageError(problem)
    return trimmed


def _one_line(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _multiline(value: Any) -> Any:
    return clean_text(value, multiline=True) if isinstance(value, str) else value


# Put before a field's `StringConstraints`, so that its lengths count the cleaned text:
# `Annotated[str, ONE_LINE, StringConstraints(min_length=1, max_length=200)]`.
ONE_LINE = BeforeValidator(_one_line)
MULTILINE = BeforeValidator(_multiline)
