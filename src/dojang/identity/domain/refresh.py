"""Refresh tokens: opaque, single-use, rotated on every refresh, revoked as a family.

Each login starts a family. Redeeming a token marks it used and issues its successor in the
same family. A used token presented again means that two parties hold the family (one of
them has stolen a token), and since we cannot tell which one is the user, the whole family
is revoked: both must log in again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum


class Redemption(Enum):
    """What presenting a refresh token at some instant amounts to."""

    VALID = "valid"
    EXPIRED = "expired"
    REUSED = "reused"
    REVOKED = "revoked"


@dataclass(frozen=True)
class RefreshToken:
    """The stored side of a refresh token: only a keyed hash of the value is kept."""

    id: str
    family_id: str
    user_id: str
    token_hash: str
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None

    @classmethod
    def first_of_family(
        cls, *, id: str, user_id: str, token_hash: str, now: datetime, ttl: timedelta
    ) -> RefreshToken:
        """The token a login issues; it starts a new family."""
        return cls(
            id=id,
            family_id=id,
            user_id=user_id,
            token_hash=token_hash,
            issued_at=now,
            expires_at=now + ttl,
        )

    def redemption(self, now: datetime) -> Redemption:
        """Whether this token may be exchanged at `now`, and if not, why."""
        if self.revoked_at is not None:
            return Redemption.REVOKED
        if self.used_at is not None:
            return Redemption.REUSED
        if now >= self.expires_at:
            return Redemption.EXPIRED
        return Redemption.VALID

    def used(self, now: datetime) -> RefreshToken:
        """This token, spent at `now`."""
        return replace(self, used_at=now)

    def successor(self, *, id: str, token_hash: str, now: datetime, ttl: timedelta) -> RefreshToken:
        """The token that replaces this one in its family; it lives `ttl` from now."""
        return RefreshToken(
            id=id,
            family_id=self.family_id,
            user_id=self.user_id,
            token_hash=token_hash,
            issued_at=now,
            expires_at=now + ttl,
        )
