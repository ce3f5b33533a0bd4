"""The one rule for text people type."""

from __future__ import annotations

import unicodedata

import pytest

from dojang.kernel.text import DIRECTION_CONTROLS, clean_text, text_problem


@pytest.mark.parametrize(
    "value", ["결재 요청", "Q3 예산 (수정)", "👩‍💼 출장 보고", "Ünïcödé", "a\u00a0b", ""]
)
def test_ordinary_text_passes(value: str) -> None:
    assert text_problem(value, multiline=False) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("a\x00b", "must not contain control characters"),
        ("a\nb", "must not contain control characters"),
        ("a\x1bb", "must not contain control characters"),
        ("abc \u202egnp.exe", "must not contain text direction controls"),
        ("a\u2066b", "must not contain text direction controls"),
        ("a\u200fb", "must not contain text direction controls"),
        ("\u200b\u200c\u2060", "must not be blank"),
        ("\u3000", "must not be blank"),
        ("a\ud800", "must not contain unpaired surrogates"),
    ],
)
def test_hidden_or_invisible_text_is_refused(value: str, problem: str) -> None:
    found = text_problem(value, multiline=False)
    assert found is not None
    assert found.render("en") == problem


def test_multiline_text_keeps_line_breaks_and_tabs() -> None:
    assert clean_text("  첫 줄\r\n\t둘째 줄\r셋째  ", multiline=True) == "첫 줄\n\t둘째 줄\n셋째"


def test_one_line_text_is_trimmed() -> None:
    assert clean_text("  제목  ") == "제목"
    with pytest.raises(ValueError, match="control characters"):
        clean_text("제목\n둘째 줄")


def _by_category(value: str, *, multiline: bool) -> str | None:
    """The rule read character by character from the Unicode categories."""
    visible = False
    for char in value:
        if multiline and char in "\n\t":
            continue
        if char in DIRECTION_CONTROLS:
            return "must not contain text direction controls"
        category = unicodedata.category(char)
        if category in ("Cc", "Cs"):
            return (
                "must not contain control characters"
                if category == "Cc"
                else "must not contain unpaired surrogates"
            )
        visible = visible or category[0] not in "ZC"
    return "must not be blank" if value and not visible else None


@pytest.mark.parametrize("multiline", [False, True])
def test_every_character_of_the_basic_plane_is_judged_by_its_category(multiline: bool) -> None:
    # alone, after a visible letter, and between spaces: the quick check of printable text
    # must say what the character-by-character rule says
    for code in range(0x10000):
        char = chr(code)
        for value in (char, f"a{char}", f" {char} "):
            found = text_problem(value, multiline=multiline)
            assert (None if found is None else found.template) == _by_category(
                value, multiline=multiline
            ), (hex(code), value, multiline)
