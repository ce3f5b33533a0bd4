"""The password policy: length, trivial patterns, and the account's own email."""

from __future__ import annotations

import pytest

from dojang.identity.domain.passwords import MAX_PASSWORD_LENGTH, PasswordPolicy
from dojang.kernel.errors import InvalidInput

policy = PasswordPolicy(min_length=10)


def problems(of: PasswordPolicy, password: str, *, email: str | None = None) -> list[str]:
    """What the policy finds wrong, in English."""
    return [message.render("en") for message in of.problems(password, email=email)]


@pytest.mark.parametrize(
    "password",
    ["correct horse battery", "dojang-demo-2026", "안녕하세요반갑습니다", "Tr0ub4dor&3x"],
)
def test_reasonable_passwords_pass(password: str) -> None:
    assert problems(policy, password, email="kim@dojang.example") == []


def test_short_password_is_refused_with_the_minimum_named() -> None:
    assert problems(policy, "short-pw") == ["must be at least 10 characters long"]


def test_overlong_password_is_refused() -> None:
    assert problems(policy, "x1" * MAX_PASSWORD_LENGTH) == [
        f"must be at most {MAX_PASSWORD_LENGTH} characters long"
    ]


def test_one_repeated_character_is_refused() -> None:
    assert problems(policy, "aaaaaaaaaaaa") == ["must not be a single character repeated"]


def test_digits_only_are_refused() -> None:
    assert problems(policy, "1234567890") == ["must not consist of digits only"]


@pytest.mark.parametrize("password", ["kim.minjun@dojang.example", "KIM.MINJUN@dojang.example"])
def test_the_email_itself_is_refused(password: str) -> None:
    assert problems(policy, password, email="kim.minjun@dojang.example") == [
        "must not be your email address"
    ]


def test_the_email_local_part_is_refused() -> None:
    assert problems(policy, "minjun.choi", email="minjun.choi@dojang.example") == [
        "must not be your email address"
    ]


@pytest.mark.parametrize(
    "password", ["password1234", "qwer1234!@#$", "1q2w3e4r5t", "iloveyou12", "abcd1234!!"]
)
def test_common_passwords_are_refused(password: str) -> None:
    assert problems(policy, password) == ["is too easy to guess: add words or use a passphrase"]


def test_a_password_built_from_the_email_is_refused() -> None:
    assert problems(policy, "minjun.choi2026", email="minjun.choi@dojang.example") == [
        "is too easy to guess: add words or use a passphrase"
    ]


def test_a_long_password_is_estimated_from_its_beginning() -> None:
    assert problems(policy, "오늘도 결재 서류가 산더미처럼 쌓였네요 " * 6) == []


def test_check_raises_invalid_input_on_the_password_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        policy.check("tiny")
    assert caught.value.status == 422
    assert [(e.field, e.render("en")) for e in caught.value.errors] == [
        ("password", "must be at least 10 characters long")
    ]
    assert caught.value.render("en") == "The password must be at least 10 characters long."
    assert caught.value.render("ko") == "사용할 수 없는 비밀번호입니다: 10자 이상이어야 합니다."


def test_the_minimum_length_is_configurable() -> None:
    assert problems(PasswordPolicy(min_length=16), "fifteen-chars!!") == [
        "must be at least 16 characters long"
    ]
