"""The port every service uses to turn a bearer token into a `Principal`."""

from __future__ import annotations

from typing import Protocol

from dojang.kernel.auth.principal import Principal


class TokenVerifier(Protocol):
    async def verify(self, token: str) -> Principal:
        """The principal a valid access token names; raises `Unauthenticated` otherwise."""
        ...
