"""SQL repositories of the identity service; each works inside one unit of work's session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Dialect, Row, case, delete, insert, literal, select, update

from dojang.identity.adapters.tables import (
    accounts,
    login_attempts,
    pending_logins,
    refresh_tokens,
)
from dojang.identity.domain.accounts import Account
from dojang.identity.domain.refresh import RefreshToken
from dojang.identity.domain.throttle import AttemptWindow, LoginThrottle
from dojang.kernel.locks import upsert_statement
from dojang.kernel.sql import SqlSession, rowcount


def _account(row: Row[Any]) -> Account:
    return Account(
        id=row.id,
        email=row.email,
        password_hash=row.password_hash,
        roles=frozenset(row.roles),
        active=bool(row.active),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _roles(roles: frozenset[str]) -> list[str]:
    return sorted(roles)


class SqlAccounts:
    """Accounts by id or (lowercased) email."""

    def __init__(self, session: SqlSession) -> None:
        self._session = session

    async def get(self, user_id: str) -> Account | None:
        """The account with this id, if any."""
        found = await self._session.execute(select(accounts).where(accounts.c.id == user_id))
        row = found.first()
        return _account(row) if row else None

    async def by_email(self, email: str) -> Account | None:
        """The account with this normalized email, if any."""
        found = await self._session.execute(select(accounts).where(accounts.c.email == email))
        row = found.first()
        return _account(row) if row else None

    async def add(self, account: Account) -> None:
        """Insert a new account."""
        await self._session.execute(
            insert(accounts).values(
                id=account.id,
                email=account.email,
                password_hash=account.password_hash,
                roles=_roles(account.roles),
                active=account.active,
                created_at=account.created_at,
                updated_at=account.updated_at,
            )
        )

    async def save(self, account: Account) -> None:
        """Store an existing account's email, roles, active flag and password hash."""
        await self._session.execute(
            update(accounts)
            .where(accounts.c.id == account.id)
            .values(
                email=account.email,
                password_hash=account.password_hash,
                roles=_roles(account.roles),
                active=account.active,
                updated_at=account.updated_at,
            )
        )

    async def replace_password_hash(
        self, user_id: str, *, expected: str, new: str, now: datetime
    ) -> bool:
        """Swap the hash only if it is still `expected` (a rehash must not undo a change)."""
        changed = await rowcount(
            self._session,
            update(accounts)
            .where(accounts.c.id == user_id, accounts.c.password_hash == expected)
            .values(password_hash=new, updated_at=now),
        )
        return changed == 1


def _refresh_token(row: Row[Any]) -> RefreshToken:
    return RefreshToken(
        id=row.id,
        family_id=row.family_id,
        user_id=row.user_id,
        token_hash=row.token_hash,
        issued_at=row.issued_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
        revoked_at=row.revoked_at,
    )


class SqlRefreshTokens:
    """Refresh tokens by the keyed hash of their value."""

    def __init__(self, session: SqlSession) -> None:
        self._session = session

    async def by_hash(self, token_hash: str) -> RefreshToken | None:
        """The token whose value hashes to `token_hash`, if any."""
        found = await self._session.execute(
            select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
        )
        row = found.first()
        return _refresh_token(row) if row else None

    async def add(self, token: RefreshToken) -> None:
        """Insert a newly issued token."""
        await self._session.execute(
            insert(refresh_tokens).values(
                id=token.id,
                family_id=token.family_id,
                user_id=token.user_id,
                token_hash=token.token_hash,
                issued_at=token.issued_at,
                expires_at=token.expires_at,
                used_at=token.used_at,
                revoked_at=token.revoked_at,
            )
        )

    async def spend(self, token: RefreshToken) -> bool:
        """Mark a token used unless someone else has just done so; True if this call did."""
        t = refresh_tokens
        spent = await rowcount(
            self._session,
            update(t)
            .where(t.c.id == token.id, t.c.used_at.is_(None), t.c.revoked_at.is_(None))
            .values(used_at=token.used_at),
        )
        return spent == 1

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        """Revoke every token of a family."""
        t = refresh_tokens
        await self._session.execute(
            update(t)
            .where(t.c.family_id == family_id, t.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def revoke_all_of(self, user_id: str, now: datetime) -> None:
        """Revoke every token of a user (their sessions end at the next refresh)."""
        t = refresh_tokens
        await self._session.execute(
            update(t).where(t.c.user_id == user_id, t.c.revoked_at.is_(None)).values(revoked_at=now)
        )

    async def delete_expired(self, before: datetime) -> int:
        """Forget tokens that expired before `before`; returns how many."""
        return await rowcount(
            self._session, delete(refresh_tokens).where(refresh_tokens.c.expires_at < before)
        )


class SqlLoginAttempts:
    """Attempt windows of the login throttle, by throttle key."""

    def __init__(self, session: SqlSession, dialect: Dialect) -> None:
        self._session = session
        self._dialect = dialect

    async def count_attempt(
        self, key: str, throttle: LoginThrottle, now: datetime
    ) -> AttemptWindow:
        """Count one attempt atomically (see `LoginThrottle.after_attempt`); the new window.

        One upsert opens the window or counts into it, the row locked until the transaction
        ends, so attempts at once are each counted (docs/mariadb.md).
        """
        t = login_attempts
        still_open = t.c.window_started_at > throttle.opened_after(now)
        await self._session.execute(
            upsert_statement(
                self._dialect,
                t,
                {"throttle_key": key, "window_started_at": now, "attempts": 1},
                ["throttle_key"],
                [
                    ("attempts", case((still_open, t.c.attempts + 1), else_=1)),
                    (
                        "window_started_at",
                        case(
                            (still_open, t.c.window_started_at),
                            else_=literal(now, t.c.window_started_at.type),
                        ),
                    ),
                ],
            )
        )
        row = (await self._session.execute(select(t).where(t.c.throttle_key == key))).one()
        return AttemptWindow(started_at=row.window_started_at, attempts=row.attempts)

    async def clear(self, key: str) -> None:
        """Forget the attempts under `key` (after a successful login)."""
        await self._session.execute(
            delete(login_attempts).where(login_attempts.c.throttle_key == key)
        )

    async def delete_closed(self, before: datetime) -> int:
        """Forget windows opened before `before`; returns how many."""
        return await rowcount(
            self._session,
            delete(login_attempts).where(login_attempts.c.window_started_at <= before),
        )


class SqlPendingLogins:
    """Password hashes kept for employees whose `employee.created` has not arrived yet."""

    def __init__(self, session: SqlSession) -> None:
        self._session = session

    async def keep(self, employee_id: str, password_hash: str, at: datetime) -> None:
        """Keep the hash for this employee, replacing one kept before."""
        p = pending_logins.c
        await self._session.execute(delete(pending_logins).where(p.employee_id == employee_id))
        await self._session.execute(
            insert(pending_logins).values(
                employee_id=employee_id, password_hash=password_hash, created_at=at
            )
        )

    async def take(self, employee_id: str) -> str | None:
        """The hash kept for this employee, forgotten as it is taken; None if there is none."""
        p = pending_logins.c
        found = await self._session.scalar(
            select(p.password_hash).where(p.employee_id == employee_id)
        )
        if found is not None:
            await self._session.execute(delete(pending_logins).where(p.employee_id == employee_id))
        return None if found is None else str(found)

    async def delete_older(self, before: datetime) -> int:
        """Forget hashes kept before `before` (their employee never came); how many."""
        return await rowcount(
            self._session, delete(pending_logins).where(pending_logins.c.created_at < before)
        )
