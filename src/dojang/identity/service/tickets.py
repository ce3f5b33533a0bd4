"""WebSocket tickets: issued to an authenticated caller, redeemed once by the socket."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from dojang.identity.adapters.opaque import OpaqueSecrets
from dojang.identity.domain.tickets import WsTicket
from dojang.identity.service.unit_of_work import IdentityUnitOfWork
from dojang.kernel.auth.principal import Principal
from dojang.kernel.clock import Clock


@dataclass(frozen=True)
class IssuedTicket:
    """A ticket value to hand to the client and its lifetime in seconds."""

    ticket: str
    expires_in: int


class TicketService:
    """Issues and redeems single-use WebSocket tickets."""

    def __init__(
        self,
        unit_of_work: Callable[[], IdentityUnitOfWork],
        secrets: OpaqueSecrets,
        *,
        ttl: timedelta,
        clock: Clock,
    ) -> None:
        self._uow = unit_of_work
        self._secrets = secrets
        self._ttl = ttl
        self._clock = clock

    async def issue(self, principal: Principal) -> IssuedTicket:
        """A ticket standing for `principal` for a few seconds."""
        value, digest = self._secrets.new()
        ticket = WsTicket.for_principal(
            principal, ticket_hash=digest, now=self._clock.now(), ttl=self._ttl
        )
        async with self._uow() as uow:
            await uow.ws_tickets.add(ticket)
            await uow.commit()
        return IssuedTicket(ticket=value, expires_in=int(self._ttl.total_seconds()))

    async def redeem(self, ticket: str) -> Principal | None:
        """The principal a ticket stands for, spending it; None if unknown, used or expired."""
        async with self._uow() as uow:
            found = await uow.ws_tickets.redeem(self._secrets.digest(ticket), self._clock.now())
            await uow.commit()
        return found.principal() if found is not None else None
