"""Negotiating the answer's language, and pydantic's errors said as Dojang sentences."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import pytest
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from dojang.kernel.i18n import Message, msg, negotiate
from dojang.kernel.i18n.validation import validation_message


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "ko"),
        ("", "ko"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("EN-gb", "en"),
        ("ko-KR,ko;q=0.9,en-US;q=0.8", "ko"),
        ("fr-FR, en;q=0.5", "en"),
        ("fr-FR, de;q=0.8", "ko"),
        ("*", "ko"),
        ("en;q=0", "ko"),
        ("ko;q=0.3, en;q=0.7", "en"),
        ("en;q=0.5, ko;q=0.5", "en"),
        ("en;q=bogus", "ko"),
    ],
)
def test_accept_language_picks_the_preferred_supported_language(
    header: str | None, expected: str
) -> None:
    assert negotiate(header) == expected


def test_the_default_language_answers_when_the_header_names_neither() -> None:
    assert negotiate("fr", default="en") == "en"
    assert negotiate(None, default="en") == "en"
    assert negotiate("ko", default="en") == "ko"


def test_a_message_value_that_is_a_message_speaks_the_same_language() -> None:
    waited = msg("{hours} hours", hours=5)
    reminder = Message(
        "Reminder: {requester} has waited {waited} for your approval: {title}",
        {"requester": "김도장", "waited": waited, "title": "출장"},
    )
    assert (
        reminder.render("ko")
        == "미결재 알림: 김도장 님이 5시간 동안 결재를 기다리고 있습니다: 출장"
    )
    assert reminder.render("en") == "Reminder: 김도장 has waited 5 hours for your approval: 출장"


def test_a_value_with_braces_is_shown_as_it_is() -> None:
    assert msg("There is no employee {employee_id}.", employee_id="{x}").render("ko") == (
        "{x} 직원이 없습니다."
    )


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=5)
    amount: int = Field(gt=0)
    box: Literal["inbox", "drafts"]
    day: date
    at: AwareDatetime
    when: datetime


def _messages(raw: dict[str, object]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(raw)
    return {
        ".".join(map(str, e["loc"])): validation_message(e).render("ko")
        for e in caught.value.errors()
    }


def test_pydantic_errors_become_korean_sentences_with_their_context() -> None:
    found = _messages(
        {
            "title": "너무 긴 제목입니다",
            "amount": 0,
            "box": "trash",
            "day": "2026/03/02",
            "at": "2026-03-02T09:00:00",
            "when": "tomorrow",
            "colour": "red",
        }
    )
    assert found == {
        "title": "5자 이하로 입력하세요.",
        "amount": "0보다 큰 숫자를 입력하세요.",
        "box": "다음 중 하나를 선택하세요: 'inbox', 'drafts'.",
        "day": "YYYY-MM-DD 형식의 날짜를 입력하세요.",
        "at": "+09:00처럼 시간대를 포함해 입력하세요.",
        "when": "2026-03-02T09:00:00+09:00처럼 시간대를 포함한 일시를 입력하세요.",
        "colour": "허용되지 않는 항목입니다.",
    }
    assert _messages({})["title"] == "필수 항목입니다."
