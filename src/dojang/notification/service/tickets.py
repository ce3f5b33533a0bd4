"""Redeeming a WebSocket ticket here, without asking identity: verify it, then spend its id."""

from __future__ import annotations

import math

import structlog

from dojang.kernel.auth.principal import Principal
from dojang.kernel.auth.ws_tickets import LEEWAY_SECONDS, WsTicketVerifier
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Unauthenticated
from dojang.notification.service.ports import SpentTickets

log = structlog.get_logger(__name__)


class SignedTicketRedeemer:
    """A `TicketRedeemer` over signed tickets: valid signature and claims, and first use.

    The id is remembered as long as the verifier would still accept the ticket, so a replay
    is refused for as long as it could otherwise succeed, on any replica sharing `spent`.
    """

    def __init__(self, verifier: WsTicketVerifier, spent: SpentTickets, *, clock: Clock) -> None:
        self._verifier = verifier
        self._spent = spent
        self._clock = clock

    async def redeem_ws_ticket(self, ticket: str) -> Principal | None:
        """The principal a ticket stands for, spending it; None if invalid, used or expired."""
        try:
            verified = await self._verifier.verify(ticket)
        except Unauthenticated as refused:
            log.info("notification_ticket_refused", reason=str(refused))
            return None
        accepted_for = verified.expires_at + LEEWAY_SECONDS - self._clock.now().timestamp()
        if not await self._spent.spend(verified.jti, ttl_seconds=max(1, math.ceil(accepted_for))):
            log.warning(
                "notification_ticket_replayed",
                jti=verified.jti,
                user_id=verified.principal.user_id,
            )
            return None
        return verified.principal
