"""argon2id password hashing, off the event loop and with bounded concurrency."""

from __future__ import annotations

import asyncio
import secrets

import structlog
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

log = structlog.get_logger(__name__)


class Argon2Passwords:
    """Hashes and verifies passwords with argon2id (argon2-cffi's RFC 9106 profile).

    Each hash takes tens of milliseconds and tens of MiB, so work runs in threads and at
    most `max_concurrent` at once: a login flood queues instead of exhausting memory.
    """

    def __init__(self, hasher: PasswordHasher | None = None, *, max_concurrent: int = 4) -> None:
        self._hasher = hasher or PasswordHasher()
        self._slots = asyncio.Semaphore(max_concurrent)
        self._dummy_hash: str | None = None

    async def hash(self, password: str) -> str:
        """A new argon2id hash of `password`."""
        async with self._slots:
            return await asyncio.to_thread(self._hasher.hash, _utf8(password))

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether `password` matches; without a hash, spend the same time and say no.

        Checking against a dummy hash when there is no account (or no password) keeps the
        answer time from telling which emails have accounts.
        """
        target = password_hash or await self._dummy()
        async with self._slots:
            try:
                await asyncio.to_thread(self._hasher.verify, target, _utf8(password))
            except VerificationError:
                return False
            except InvalidHashError:
                log.error("password_hash_unreadable")
                return False
        return password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether the hash was made with other parameters than the current ones."""
        return bool(self._hasher.check_needs_rehash(password_hash))

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash(secrets.token_urlsafe(16))
        return self._dummy_hash


def _utf8(password: str) -> bytes:
    # JSON may carry lone surrogates; they must hash, not crash, and hash the same every time
    return password.encode("utf-8", errors="surrogatepass")
