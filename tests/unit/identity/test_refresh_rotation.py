"""Refresh tokens: single use, rotated within a family, reuse detected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dojang.identity.domain.refresh import Redemption, RefreshToken

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TTL = timedelta(days=14)


def first() -> RefreshToken:
    return RefreshToken.first_of_family(id="t1", user_id="emp-1", token_hash="h1", now=NOW, ttl=TTL)


def test_a_login_starts_a_family_named_after_its_first_token() -> None:
    token = first()
    assert token.family_id == "t1"
    assert token.expires_at == NOW + TTL
    assert token.redemption(NOW) is Redemption.VALID


def test_the_successor_stays_in_the_family_and_lives_a_full_ttl() -> None:
    later = NOW + timedelta(days=3)
    successor = first().successor(id="t2", token_hash="h2", now=later, ttl=TTL)
    assert (successor.family_id, successor.user_id) == ("t1", "emp-1")
    assert successor.expires_at == later + TTL
    assert successor.redemption(later) is Redemption.VALID


def test_a_spent_token_presented_again_is_reuse() -> None:
    spent = first().used(NOW + timedelta(minutes=15))
    assert spent.redemption(NOW + timedelta(minutes=16)) is Redemption.REUSED


def test_reuse_is_detected_even_after_expiry() -> None:
    spent = first().used(NOW)
    assert spent.redemption(NOW + TTL + timedelta(hours=1)) is Redemption.REUSED


def test_an_unused_token_expires() -> None:
    assert first().redemption(NOW + TTL) is Redemption.EXPIRED


def test_a_revoked_token_stays_revoked() -> None:
    revoked = RefreshToken(**{**first().__dict__, "revoked_at": NOW})
    assert revoked.redemption(NOW) is Redemption.REVOKED
    assert revoked.used(NOW).redemption(NOW) is Redemption.REVOKED
