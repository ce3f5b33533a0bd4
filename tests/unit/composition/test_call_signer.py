"""Calls between services carry a signature only the services' shared secret makes."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from dojang.kernel.errors import Unauthenticated
from dojang.kernel.web.internal import MAX_AGE_SECONDS, CallSigner

SECRET = SecretStr("a-secret-the-services-share-0123456789")


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_signed_call_is_accepted() -> None:
    signer = CallSigner(SECRET)
    header = signer.sign("POST", "/internal/x", b'{"a": 1}')
    signer.verify(header, "POST", "/internal/x", b'{"a": 1}')


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/internal/x", b'{"a": 1}'),
        ("POST", "/internal/y", b'{"a": 1}'),
        ("POST", "/internal/x", b'{"a": 2}'),
    ],
)
def test_a_signature_covers_method_path_and_body(method: str, path: str, body: bytes) -> None:
    signer = CallSigner(SECRET)
    header = signer.sign("POST", "/internal/x", b'{"a": 1}')
    with pytest.raises(Unauthenticated):
        signer.verify(header, method, path, body)


def test_another_secret_does_not_sign_for_this_one() -> None:
    header = CallSigner(SecretStr("some-other-secret-0123456789-abcdef")).sign("POST", "/i", b"")
    with pytest.raises(Unauthenticated):
        CallSigner(SECRET).verify(header, "POST", "/i", b"")


def test_an_old_signature_is_refused() -> None:
    clock = Clock()
    signer = CallSigner(SECRET, now=clock)
    header = signer.sign("POST", "/i", b"")
    clock.now += MAX_AGE_SECONDS - 1
    signer.verify(header, "POST", "/i", b"")
    clock.now += 2
    with pytest.raises(Unauthenticated):
        signer.verify(header, "POST", "/i", b"")


@pytest.mark.parametrize("header", [None, "", "nonsense", "t=abc,v1=00", "v1=00"])
def test_a_missing_or_malformed_signature_is_refused(header: str | None) -> None:
    with pytest.raises(Unauthenticated):
        CallSigner(SECRET).verify(header, "POST", "/i", b"")
