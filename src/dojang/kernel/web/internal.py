"""Calls between services: signed with a key derived from `DOJANG_SECRET_KEY`.

A service that runs in its own process offers the ports other services call synchronously
under `/internal/...`. Those routes are never on the public ingress, and each request must
carry `X-Dojang-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over the time, the method,
the path and the body, made with a key only the services share. A signature older than
`MAX_AGE_SECONDS` (or as far in the future) is refused, so a captured request stops working
soon after; the ports it guards answer a repeated call with the same result.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable

from fastapi import Request
from pydantic import SecretStr

from dojang.kernel.errors import Unauthenticated

SIGNATURE_HEADER = "X-Dojang-Signature"
INTERNAL_PREFIX = "/internal"
MAX_AGE_SECONDS = 60


class CallSigner:
    """Signs and checks calls between services with one shared secret."""

    def __init__(self, secret_key: SecretStr, *, now: Callable[[], float] = time.time) -> None:
        self._key = hmac.new(
            secret_key.get_secret_value().encode(), b"dojang-internal-calls", hashlib.sha256
        ).digest()
        self._now = now

    def _mac(self, timestamp: int, method: str, path: str, body: bytes) -> str:
        message = f"{timestamp}\n{method.upper()}\n{path}\n".encode() + body
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def sign(self, method: str, path: str, body: bytes) -> str:
        """The value of `X-Dojang-Signature` for this request, made now."""
        timestamp = int(self._now())
        return f"t={timestamp},v1={self._mac(timestamp, method, path, body)}"

    def verify(self, header: str | None, method: str, path: str, body: bytes) -> None:
        """Raise `Unauthenticated` unless `header` signs this request and is recent."""
        if not header:
            raise Unauthenticated("This route is for Dojang's services only.")
        fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        try:
            timestamp = int(fields["t"])
            given = fields["v1"]
        except (KeyError, ValueError) as exc:
            raise Unauthenticated("The service signature is malformed.") from exc
        if abs(self._now() - timestamp) > MAX_AGE_SECONDS:
            raise Unauthenticated("The service signature has expired.")
        if not hmac.compare_digest(given, self._mac(timestamp, method, path, body)):
            raise Unauthenticated("The service signature does not match.")


def signed_by_a_service(signer: CallSigner) -> Callable[[Request], Awaitable[None]]:
    """A route dependency that refuses every request not signed by `signer`'s key."""

    async def guard(request: Request) -> None:
        body = await request.body()
        signer.verify(request.headers.get(SIGNATURE_HEADER), request.method, request.url.path, body)

    return guard
