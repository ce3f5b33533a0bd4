"""An account: the login of one employee, whose id it shares."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from dojang.kernel.auth.principal import ROLES, Principal
from dojang.kernel.errors import InvalidInput

MAX_EMAIL_LENGTH = 320


def normalize_email(email: str) -> str:
    """The form an email is stored and compared in: trimmed and lowercased."""
    return email.strip().lower()


def checked_email(email: str) -> str:
    """The normalized email; `InvalidInput` (field `email`) unless it looks like one."""
    normalized = normalize_email(email)
    local, at, domain = normalized.rpartition("@")
    if (
        not at
        or not local
        or not domain
        or len(normalized) > MAX_EMAIL_LENGTH
        or any(c.isspace() for c in normalized)
    ):
        raise InvalidInput.field("email", "must be an email address")
    return normalized


def checked_roles(roles: Iterable[str]) -> frozenset[str]:
    """The roles as a set; `InvalidInput` (field `roles`) for a name Dojang does not know."""
    found = frozenset(roles)
    unknown = sorted(found - set(ROLES))
    if unknown:
        raise InvalidInput.field(
            "roles",
            "unknown role '{role}'; roles are {roles}",
            role=unknown[0],
            roles=", ".join(ROLES),
        )
    return found


def known_roles(roles: Iterable[str]) -> frozenset[str]:
    """Only the names that are Dojang roles (for data from other services)."""
    return frozenset(role for role in roles if role in ROLES)


@dataclass(frozen=True)
class Account:
    """A login: email (unique, lowercased), argon2id hash, roles and whether it may be used."""

    id: str
    email: str
    password_hash: str | None
    roles: frozenset[str]
    active: bool
    created_at: datetime
    updated_at: datetime

    @property
    def can_log_in(self) -> bool:
        """Active and with a password set."""
        return self.active and self.password_hash is not None

    def principal(self) -> Principal:
        """Who this account acts as once logged in."""
        return Principal(user_id=self.id, roles=self.roles, email=self.email)

    def synced(self, *, email: str, roles: frozenset[str], active: bool, now: datetime) -> Account:
        """This account with the employee record's email, roles and active flag."""
        if (email, roles, active) == (self.email, self.roles, self.active):
            return self
        return replace(self, email=email, roles=roles, active=active, updated_at=now)

    def with_password_hash(self, password_hash: str, now: datetime) -> Account:
        """This account with a new password hash."""
        return replace(self, password_hash=password_hash, updated_at=now)
