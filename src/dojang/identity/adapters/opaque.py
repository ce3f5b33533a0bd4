"""Opaque secrets (refresh tokens, WebSocket tickets): random values stored only as HMACs."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from pydantic import SecretStr


class OpaqueSecrets:
    """Makes random values and their HMAC-SHA256 under the service secret and a purpose.

    Only the digest is stored, so a copy of the database holds nothing that can be
    presented; the purpose keeps a ticket's digest from ever matching a refresh token's.
    """

    def __init__(self, secret_key: SecretStr, purpose: str) -> None:
        self._key = secret_key.get_secret_value().encode()
        self._purpose = purpose.encode()

    def new(self) -> tuple[str, str]:
        """A fresh value to hand out and the digest to store."""
        value = secrets.token_urlsafe(32)
        return value, self.digest(value)

    def digest(self, value: str) -> str:
        """The stored form of `value`."""
        message = self._purpose + b"\x00" + value.encode("utf-8", errors="surrogatepass")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
