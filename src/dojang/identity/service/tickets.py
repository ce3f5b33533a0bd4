"""WebSocket tickets: issued to an authenticated caller, checked by the socket server alone."""

from __future__ import annotations

from dojang.identity.adapters.tokens import IssuedTicket, WsTicketSigner
from dojang.kernel.auth.principal import Principal
from dojang.kernel.clock import Clock


class TicketService:
    """Issues signed, short-lived WebSocket tickets; their single use is the socket's to keep."""

    def __init__(self, signer: WsTicketSigner, *, clock: Clock) -> None:
        self._signer = signer
        self._clock = clock

    async def issue(self, principal: Principal) -> IssuedTicket:
        """A ticket standing for `principal` for a few seconds."""
        return await self._signer.issue(principal, self._clock.now())
