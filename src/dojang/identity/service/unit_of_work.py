"""The identity unit of work: one transaction on the identity database, with its repositories."""

from __future__ import annotations

from dojang.identity.adapters.repositories import (
    SqlAccounts,
    SqlLoginAttempts,
    SqlPendingLogins,
    SqlRefreshTokens,
)
from dojang.kernel.bus.unit_of_work import SqlUnitOfWork


class IdentityUnitOfWork(SqlUnitOfWork):
    """`async with uow:` then use the repositories; nothing is stored until `commit`."""

    @property
    def accounts(self) -> SqlAccounts:
        """Logins by id or email."""
        return SqlAccounts(self.session)

    @property
    def refresh_tokens(self) -> SqlRefreshTokens:
        """Refresh tokens by the hash of their value."""
        return SqlRefreshTokens(self.session)

    @property
    def login_attempts(self) -> SqlLoginAttempts:
        """The login throttle's attempt windows."""
        return SqlLoginAttempts(self.session, self._db.dialect)

    @property
    def pending_logins(self) -> SqlPendingLogins:
        """Password hashes of logins waiting for their employee to exist."""
        return SqlPendingLogins(self.session)
