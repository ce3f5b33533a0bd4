"""WebSocket tickets: a short-lived, single-use stand-in for the access token.

Browsers cannot set headers on a WebSocket handshake, and a token in a URL ends up in logs;
a ticket that works once, for seconds, is harmless there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dojang.kernel.auth.principal import Principal


@dataclass(frozen=True)
class WsTicket:
    """The stored side of a ticket: a keyed hash of its value and whom it stands for."""

    ticket_hash: str
    user_id: str
    roles: frozenset[str]
    email: str | None
    issued_at: datetime
    expires_at: datetime

    @classmethod
    def for_principal(
        cls, principal: Principal, *, ticket_hash: str, now: datetime, ttl: timedelta
    ) -> WsTicket:
        """A ticket standing for `principal` until `now + ttl`."""
        return cls(
            ticket_hash=ticket_hash,
            user_id=principal.user_id,
            roles=principal.roles,
            email=principal.email,
            issued_at=now,
            expires_at=now + ttl,
        )

    def principal(self) -> Principal:
        """Who the ticket's holder acts as."""
        return Principal(user_id=self.user_id, roles=self.roles, email=self.email)
