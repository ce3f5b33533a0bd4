"""The one rule for text people type."""

from __future__ import annotations

import pytest

from dojang.kernel.text import clean_text, text_problem


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
