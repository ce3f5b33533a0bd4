"""A signing key for tests that mint WebSocket tickets without an identity database.

`TicketKeys` is both what identity's `WsTicketSigner` signs with (`current`) and what the
notification service verifies with (`key_for`), so a test's tickets go through the real
signer and the real verifier.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import rsa
from jwt import PyJWK

from dojang.identity.adapters.keys import SigningKey, public_jwk
from dojang.kernel.auth.keys import SIGNING_ALGORITHM

ISSUER = "http://127.0.0.1:8000"
"""The built-in issuer of default settings (`DOJANG_PUBLIC_URL`)."""


class TicketKeys:
    """One RSA key: the signer's current key and the verifier's only published key."""

    def __init__(self) -> None:
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.jwk = public_jwk(self.private_key.public_key())
        self.kid = self.jwk["kid"]

    async def current(self) -> SigningKey:
        """The key to sign with."""
        return SigningKey(kid=self.kid, private_key=self.private_key)

    async def key_for(self, kid: str) -> PyJWK | None:
        """The public key if `kid` names it."""
        return PyJWK(self.jwk, algorithm=SIGNING_ALGORITHM) if kid == self.kid else None
