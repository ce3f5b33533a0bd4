"""Wires the identity service from settings and ports: `build_identity`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx2
from argon2 import PasswordHasher

from dojang.identity.adapters.keys import SigningKeyStore
from dojang.identity.adapters.opaque import OpaqueSecrets
from dojang.identity.adapters.passwords import Argon2Passwords
from dojang.identity.adapters.tables import kernel_tables, org_tables
from dojang.identity.adapters.tokens import AccessTokenIssuer, WsTicketSigner
from dojang.identity.api.auth import auth_router
from dojang.identity.api.well_known import well_known_router
from dojang.identity.domain.passwords import PasswordPolicy
from dojang.identity.domain.throttle import LoginThrottle
from dojang.identity.service.accounts import AccountService
from dojang.identity.service.employee_events import (
    CONSUMER_GROUP,
    EMPLOYEE_EVENTS_TOPIC,
    EmployeeEventHandler,
)
from dojang.identity.service.housekeeping import Housekeeping
from dojang.identity.service.sessions import SessionService
from dojang.identity.service.tickets import TicketService
from dojang.identity.service.unit_of_work import IdentityUnitOfWork
from dojang.identity.settings import IdentitySettings
from dojang.kernel.auth.factory import builtin_claim_rules, remote_verifier
from dojang.kernel.auth.jwt_verifier import JwtVerifier
from dojang.kernel.auth.keys import LocalKeySource
from dojang.kernel.auth.verifier import TokenVerifier
from dojang.kernel.bus.consumer import ConsumerRunner
from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.port import EventBus
from dojang.kernel.bus.relay import OutboxRelay
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import Clock
from dojang.kernel.db import Database
from dojang.kernel.org.wiring import follow_organisation
from dojang.kernel.ports import EmployeeDirectory
from dojang.kernel.service import Hook, ServiceModule

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ORG_CONSUMER_GROUP = "identity-org"

# After a rotation the old key stays published this much longer than an access token lives.
ROTATION_MARGIN = timedelta(minutes=5)


@dataclass
class IdentityService:
    """The identity service as the composer and the other services see it."""

    module: ServiceModule
    verifier: TokenVerifier
    accounts: AccountService
    sessions: SessionService
    tickets: TicketService
    keys: SigningKeyStore
    issuer: AccessTokenIssuer
    access_token_ttl: timedelta

    async def rotate_signing_key(self) -> str:
        """Sign with a new key from now on; the old one verifies until its tokens expire."""
        return await self.keys.rotate(overlap=self.access_token_ttl + ROTATION_MARGIN)


def build_identity(
    settings: IdentitySettings,
    bus: EventBus,
    *,
    clock: Clock,
    password_hasher: PasswordHasher | None = None,
    directory: EmployeeDirectory | None = None,
) -> IdentityService:
    """The identity service on its own database; nothing runs until the module is started.

    It follows `employee-events` as group `identity` (logins) and keeps its own copy of the
    organisation as group `identity-org`, which answers `/api/auth/me` unless `directory`
    (a test's fake) is given. `password_hasher` replaces argon2-cffi's default parameters
    (tests use cheaper ones).
    """
    database = Database(
        settings.database_url_for("identity", settings.identity_database_url),
        mysql=settings.mysql_options,
    )
    signal = OutboxSignal()

    def unit_of_work() -> IdentityUnitOfWork:
        return IdentityUnitOfWork(database, kernel_tables, signal)

    copy = follow_organisation(database, org_tables, bus, unit_of_work, group=ORG_CONSUMER_GROUP)
    if directory is None:
        directory = copy.reader

    passwords = Argon2Passwords(password_hasher)
    keys = SigningKeyStore(database, settings.secret_key, clock=clock)
    access_token_ttl = timedelta(seconds=settings.access_token_ttl_seconds)
    issuer = AccessTokenIssuer(
        keys, issuer=settings.builtin_issuer, audience=settings.token_audience, ttl=access_token_ttl
    )
    throttle = LoginThrottle(
        max_failures=settings.login_max_failures,
        window=timedelta(seconds=settings.login_failure_window_seconds),
    )
    accounts = AccountService(
        unit_of_work, passwords, PasswordPolicy(settings.password_min_length), clock=clock
    )
    sessions = SessionService(
        unit_of_work,
        passwords,
        issuer,
        OpaqueSecrets(settings.secret_key, "refresh-token"),
        throttle,
        refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
        clock=clock,
    )
    tickets = TicketService(
        WsTicketSigner(
            keys,
            issuer=settings.builtin_issuer,
            ttl=timedelta(seconds=settings.ws_ticket_ttl_seconds),
        ),
        clock=clock,
    )
    housekeeping = Housekeeping(unit_of_work, throttle, clock=clock)
    on_stop: list[Hook] = [housekeeping.job.stop]

    verifier: TokenVerifier
    if settings.oidc_issuer:
        http = httpx2.AsyncClient(follow_redirects=False)
        verifier = remote_verifier(settings, http, clock=clock)
        on_stop.append(http.aclose)
    else:
        verifier = JwtVerifier(
            LocalKeySource(keys.public_jwks, clock=clock),
            builtin_claim_rules(settings.builtin_issuer, settings.token_audience),
            clock=clock,
        )

    consumer = ConsumerRunner[IdentityUnitOfWork](
        bus=bus,
        group=CONSUMER_GROUP,
        topics=[EMPLOYEE_EVENTS_TOPIC],
        handler=EmployeeEventHandler(clock=clock),
        unit_of_work=unit_of_work,
        dead_letters=BusDeadLetters(bus),
        accepts=lambda event: event.type.startswith("employee."),
    )
    module = ServiceModule(
        name="identity",
        routers=[
            auth_router(sessions, tickets, directory),
            well_known_router(keys, issuer=settings.builtin_issuer),
        ],
        database=database,
        migrations=MIGRATIONS,
        relay=OutboxRelay(database, kernel_tables, bus, signal),
        consumers=[consumer, copy.consumer],
        on_start=[keys.ensure_signing_key, housekeeping.job.start],
        on_stop=on_stop,
    )
    return IdentityService(
        module=module,
        verifier=verifier,
        accounts=accounts,
        sessions=sessions,
        tickets=tickets,
        keys=keys,
        issuer=issuer,
        access_token_ttl=access_token_ttl,
    )
