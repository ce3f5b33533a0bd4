"""Logging in and refreshing: credentials or a refresh token in, a token pair out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import structlog

from dojang.identity.adapters.opaque import OpaqueSecrets
from dojang.identity.adapters.passwords import Argon2Passwords
from dojang.identity.adapters.tokens import AccessTokenIssuer
from dojang.identity.domain.accounts import Account, normalize_email
from dojang.identity.domain.refresh import Redemption, RefreshToken
from dojang.identity.domain.throttle import AttemptWindow, LoginThrottle, throttle_key
from dojang.identity.service.unit_of_work import IdentityUnitOfWork
from dojang.kernel.clock import Clock
from dojang.kernel.errors import TooManyRequests, Unauthenticated
from dojang.kernel.ids import new_id

log = structlog.get_logger(__name__)

BAD_CREDENTIALS = "The email or password is incorrect."
BAD_REFRESH_TOKEN = "The refresh token is invalid, expired or already used."  # noqa: S105


@dataclass(frozen=True)
class TokenPair:
    """What a login or refresh answers: a short-lived access token and its refresh token."""

    access_token: str
    expires_in: int
    refresh_token: str


class SessionService:
    """Login with throttling, and refresh with rotation and reuse detection."""

    def __init__(
        self,
        unit_of_work: Callable[[], IdentityUnitOfWork],
        passwords: Argon2Passwords,
        issuer: AccessTokenIssuer,
        refresh_secrets: OpaqueSecrets,
        throttle: LoginThrottle,
        *,
        refresh_ttl: timedelta,
        clock: Clock,
    ) -> None:
        self._uow = unit_of_work
        self._passwords = passwords
        self._issuer = issuer
        self._refresh_secrets = refresh_secrets
        self._throttle = throttle
        self._refresh_ttl = refresh_ttl
        self._clock = clock

    async def login(self, email: str, password: str, *, client: str) -> TokenPair:
        """Exchange credentials for tokens; 401 for any wrong credential, 429 when throttled."""
        normalized = normalize_email(email)
        key = throttle_key(normalized, client)
        window = await self._count_attempt(key)
        retry_after = self._throttle.retry_after(window, self._clock.now())
        if retry_after is not None:
            log.warning("login_throttled", throttle_key=key[:12], retry_after=retry_after)
            raise TooManyRequests(
                "Too many failed logins; try again in {retry_after} seconds.",
                retry_after=retry_after,
            )
        async with self._uow() as uow:
            account = await uow.accounts.by_email(normalized)
        stored_hash = account.password_hash if account is not None else None
        matches = await self._passwords.verify(stored_hash, password)
        if account is None or stored_hash is None or not matches or not account.can_log_in:
            raise Unauthenticated(BAD_CREDENTIALS)
        new_hash = (
            await self._passwords.hash(password)
            if self._passwords.needs_rehash(stored_hash)
            else None
        )
        now = self._clock.now()
        refresh_value, refresh_hash = self._refresh_secrets.new()
        async with self._uow() as uow:
            await uow.login_attempts.clear(key)
            if new_hash is not None:
                await uow.accounts.replace_password_hash(
                    account.id, expected=stored_hash, new=new_hash, now=now
                )
            await uow.refresh_tokens.add(
                RefreshToken.first_of_family(
                    id=new_id(),
                    user_id=account.id,
                    token_hash=refresh_hash,
                    now=now,
                    ttl=self._refresh_ttl,
                )
            )
            await uow.commit()
        return await self._pair(account, refresh_value)

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Exchange a refresh token for new tokens; the presented one stops working."""
        now = self._clock.now()
        async with self._uow() as uow:
            presented = await uow.refresh_tokens.by_hash(
                self._refresh_secrets.digest(refresh_token)
            )
            if presented is None:
                raise Unauthenticated(BAD_REFRESH_TOKEN)
            redemption = presented.redemption(now)
            if redemption is Redemption.REUSED:
                await self._revoke_family(uow, presented, reason="refresh_token_reused")
            if redemption is not Redemption.VALID:
                raise Unauthenticated(BAD_REFRESH_TOKEN)
            account = await uow.accounts.get(presented.user_id)
            if account is None or not account.active:
                await self._revoke_family(uow, presented, reason="account_inactive")
                raise Unauthenticated(BAD_REFRESH_TOKEN)
            if not await uow.refresh_tokens.spend(presented.used(now)):
                # another request spent it a moment ago: the same token was presented twice
                await self._revoke_family(uow, presented, reason="refresh_token_raced")
                raise Unauthenticated(BAD_REFRESH_TOKEN)
            refresh_value, refresh_hash = self._refresh_secrets.new()
            await uow.refresh_tokens.add(
                presented.successor(
                    id=new_id(), token_hash=refresh_hash, now=now, ttl=self._refresh_ttl
                )
            )
            await uow.commit()
        return await self._pair(account, refresh_value)

    async def _pair(self, account: Account, refresh_value: str) -> TokenPair:
        access = await self._issuer.issue(account.principal(), self._clock.now())
        return TokenPair(
            access_token=access.token, expires_in=access.expires_in, refresh_token=refresh_value
        )

    async def _count_attempt(self, key: str) -> AttemptWindow:
        async with self._uow() as uow:
            window = await uow.login_attempts.count_attempt(key, self._throttle, self._clock.now())
            await uow.commit()
            return window

    async def _revoke_family(
        self, uow: IdentityUnitOfWork, token: RefreshToken, *, reason: str
    ) -> None:
        await uow.refresh_tokens.revoke_family(token.family_id, self._clock.now())
        await uow.commit()
        log.warning(reason, user_id=token.user_id, family_id=token.family_id)
