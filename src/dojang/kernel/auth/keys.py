"""Where a verifier finds the public key a token names: a cached, self-refreshing JWKS.

A key set is loaded once and kept for `cache_seconds`. A token that names a key id the set
does not know causes one forced reload (issuers publish a new key before they sign with it),
guarded by a lock so that a burst of such tokens costs one fetch, and never more often than
`min_refresh_seconds`, so that tokens with made-up key ids cannot turn the verifier into a
JWKS flooder. A failed reload keeps the keys already known.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

import httpx2
import structlog
from jwt import PyJWK
from jwt.exceptions import PyJWKError

from dojang.kernel.clock import Clock

log = structlog.get_logger(__name__)

SIGNING_ALGORITHM = "RS256"

JwksDocument = Mapping[str, Any]
JwksFetch = Callable[[], Awaitable[JwksDocument]]


class KeySetUnavailable(Exception):
    """No key set could be loaded at all (the issuer or its store does not answer)."""


class KeySource(Protocol):
    async def key_for(self, kid: str) -> PyJWK | None:
        """The RS256 public key with this id; None if the issuer does not publish it."""
        ...


def parse_jwks(document: JwksDocument) -> dict[str, PyJWK]:
    """The RS256 signing keys of a JWKS document by key id; other keys are skipped."""
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise ValueError("a JWKS document needs a `keys` list")
    keys: dict[str, PyJWK] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        kid = entry.get("kid")
        usable = (
            isinstance(kid, str)
            and kid
            and entry.get("kty") == "RSA"
            and entry.get("use", "sig") == "sig"
            and entry.get("alg", SIGNING_ALGORITHM) == SIGNING_ALGORITHM
        )
        if not usable:
            continue
        try:
            keys[str(kid)] = PyJWK(entry, algorithm=SIGNING_ALGORITHM)
        except PyJWKError as exc:
            log.warning("jwks_key_skipped", kid=kid, error=str(exc))
    return keys


class CachedJwks:
    """A `KeySource` over any JWKS fetch, with a TTL and rate-limited forced reloads."""

    def __init__(
        self,
        fetch: JwksFetch,
        *,
        clock: Clock,
        cache_seconds: float,
        min_refresh_seconds: float,
        name: str,
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._ttl = timedelta(seconds=cache_seconds)
        self._min_refresh = timedelta(seconds=min_refresh_seconds)
        self._name = name
        self._keys: dict[str, PyJWK] = {}
        self._loaded = False
        self._next_refresh: datetime | None = None
        self._last_forced: datetime | None = None
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str) -> PyJWK | None:
        """The key with this id, reloading once if it is unknown; see the module docstring."""
        reloaded = await self._reload_if_stale()
        key = self._keys.get(kid)
        if key is None and not reloaded:
            await self._reload_for_unknown(kid)
            key = self._keys.get(kid)
        if key is None and not self._loaded:
            raise KeySetUnavailable(f"the signing keys of {self._name} could not be loaded")
        return key

    def _stale(self) -> bool:
        return self._next_refresh is None or self._clock.now() >= self._next_refresh

    async def _reload_if_stale(self) -> bool:
        if not self._stale():
            return False
        async with self._lock:
            if not self._stale():
                return False
            await self._reload()
            return True

    async def _reload_for_unknown(self, kid: str) -> None:
        async with self._lock:
            if kid in self._keys:
                return
            now = self._clock.now()
            if self._last_forced is not None and now - self._last_forced < self._min_refresh:
                return
            self._last_forced = now
            await self._reload()

    async def _reload(self) -> None:
        now = self._clock.now()
        try:
            keys = parse_jwks(await self._fetch())
        except (httpx2.HTTPError, ValueError, TypeError, OSError) as exc:
            # keep what we know; try again soon rather than at the end of a full TTL
            self._next_refresh = now + self._min_refresh
            log.warning("jwks_reload_failed", source=self._name, error=repr(exc))
            return
        self._keys = keys
        self._loaded = True
        self._next_refresh = now + self._ttl


class LocalKeySource(CachedJwks):
    """The built-in issuer's public keys, read in process from its key store."""

    def __init__(
        self,
        load: JwksFetch,
        *,
        clock: Clock,
        cache_seconds: float = 60,
        min_refresh_seconds: float = 1,
    ) -> None:
        super().__init__(
            load,
            clock=clock,
            cache_seconds=cache_seconds,
            min_refresh_seconds=min_refresh_seconds,
            name="the built-in issuer",
        )


class RemoteJwksSource(CachedJwks):
    """An issuer's JWKS fetched over HTTP (Cognito, Keycloak, or a remote built-in issuer)."""

    def __init__(
        self,
        url: str,
        client: httpx2.AsyncClient,
        *,
        clock: Clock,
        cache_seconds: float = 600,
        min_refresh_seconds: float = 30,
        timeout_seconds: float = 5,
    ) -> None:
        self.url = url
        self._client = client
        self._timeout = timeout_seconds
        super().__init__(
            self._get,
            clock=clock,
            cache_seconds=cache_seconds,
            min_refresh_seconds=min_refresh_seconds,
            name=url,
        )

    async def _get(self) -> JwksDocument:
        response = await self._client.get(
            self.url, headers={"Accept": "application/json"}, timeout=self._timeout
        )
        response.raise_for_status()
        document = response.json()
        if not isinstance(document, dict):
            raise ValueError("the JWKS answer is not a JSON object")
        return document
