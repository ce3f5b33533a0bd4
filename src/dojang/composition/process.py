"""One Dojang service in a process of its own: the distributed mode's composition.

The service is built by the same `build_*` function as in the embedded mode; only what it is
given differs. Ports of other services are HTTP adapters (`composition.remote`), tokens are
verified with identity's JWKS (or the external OIDC issuer's), and the ports this service
owns are offered to the others on signed `/internal` routes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx2
import structlog
from fastapi import APIRouter

from dojang import __version__
from dojang.composition.remote import (
    RemoteAccountProvisioner,
    RemoteLeaveLedger,
    ServiceClient,
)
from dojang.composition.settings import ProcessSettings, ServiceName, required_url
from dojang.identity.settings import IdentitySettings
from dojang.kernel.auth.factory import JWKS_PATH, remote_verifier
from dojang.kernel.auth.keys import RemoteJwksSource
from dojang.kernel.auth.verifier import TokenVerifier
from dojang.kernel.backlog_metrics import backlog_job
from dojang.kernel.bus.configured import configured_bus
from dojang.kernel.clock import Clock, SystemClock
from dojang.kernel.migrations import upgrade_to_head_async
from dojang.kernel.retention import Pruner, retention_job
from dojang.kernel.service import Hook, ServiceModule, answers
from dojang.kernel.settings import KernelSettings
from dojang.kernel.settings_warnings import settings_warnings
from dojang.kernel.web.internal import CallSigner

log = structlog.get_logger(__name__)

S = TypeVar("S", bound=KernelSettings)


def _check_name(check: Hook, fallback: str) -> str:
    """A store's own readiness check by the store's kind: `MongoStore.ping` is `mongo`."""
    owner = getattr(check, "__self__", None)
    if owner is None:
        return fallback
    return type(owner).__name__.removesuffix("Store").lower() or fallback


class ServiceProcess:
    """One service, its bus and its remote ports, started and stopped as one process."""

    def __init__(
        self,
        service: ServiceName,
        overrides: dict[str, Any] | None = None,
        *,
        clock: Clock | None = None,
    ) -> None:
        self.service = service
        self._overrides = dict(overrides or {})
        self.settings = ProcessSettings(**self._overrides)
        self.clock = clock or SystemClock()
        self.signer = CallSigner(self.settings.secret_key)
        self._closers: list[Hook] = []
        self.checks: dict[str, Hook] = {}
        """Each dependency by name, raising when it does not answer (`/readyz`)."""
        self.internal_routers: list[APIRouter] = []
        self._worker = True
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.bus, self._bus_database = configured_bus(self.settings)
        self.checks["bus"] = self.bus.ping
        self._pruners: list[Pruner] = []
        self.module, self.verifier = self._build()
        databases = [] if self.module.database is None else [self.module.database]
        self.retention = retention_job(
            self.settings, self.clock, self.bus, databases, extra=self._pruners
        )
        self.backlog = backlog_job([self.module], self.bus)
        if self.module.database is not None:
            self.checks["database"] = self.module.database.ping
        for index, check in enumerate(self.module.readiness):
            self.checks[_check_name(check, f"{self.module.name}:{index}")] = check

    def _settings(self, kind: type[S]) -> S:
        """The service's own settings, on its own database."""
        database_url = self.settings.database_url_of(self.service)
        return kind(**{**self._overrides, "database_url": database_url})

    def _client(self, name: str, url: str | None) -> ServiceClient:
        client = ServiceClient(
            required_url(name, url), self.signer, timeout=self.settings.port_timeout_seconds
        )
        self._closers.append(client.close)
        self.checks[name] = client.healthy
        return client

    def _remote_verifier(self) -> TokenVerifier:
        """Tokens checked with the keys identity (or the external issuer) publishes."""
        settings = self.settings
        if not settings.oidc_issuer and not settings.oidc_jwks_url:
            identity = required_url("identity", settings.identity_url)
            settings = settings.model_copy(update={"oidc_jwks_url": identity + JWKS_PATH})
        http = httpx2.AsyncClient(follow_redirects=False, timeout=settings.port_timeout_seconds)
        self._closers.append(http.aclose)
        # the audience identity stamps on its tokens, read from the same variable
        audience = IdentitySettings(**self._overrides).token_audience
        return remote_verifier(settings, http, clock=self.clock, builtin_audience=audience)

    def _ticket_keys(self) -> RemoteJwksSource:
        """The keys identity signs WebSocket tickets with, from its JWKS: notification checks
        each ticket itself and never calls identity to spend it."""
        identity = required_url("identity", self.settings.identity_url)
        http = httpx2.AsyncClient(
            follow_redirects=False, timeout=self.settings.port_timeout_seconds
        )
        self._closers.append(http.aclose)
        return RemoteJwksSource(
            identity + JWKS_PATH,
            http,
            clock=self.clock,
            cache_seconds=self.settings.jwks_cache_seconds,
        )

    def _build(self) -> tuple[ServiceModule, TokenVerifier]:
        # each service imports only its own code (and the libraries its adapters need): a
        # process holds one service, and every import costs resident memory in each of them
        clock = self.clock
        if self.service is ServiceName.IDENTITY:
            from dojang.identity.api.internal import internal_identity_router
            from dojang.identity.bootstrap import build_identity

            identity = build_identity(self._settings(IdentitySettings), self.bus, clock=clock)
            self.internal_routers.append(internal_identity_router(identity.accounts, self.signer))
            return identity.module, identity.verifier
        if self.service is ServiceName.EMPLOYEE:
            from dojang.employee.api.internal import internal_employee_router
            from dojang.employee.bootstrap import build_employee
            from dojang.employee.settings import EmployeeSettings

            identity_client = self._client("identity", self.settings.identity_url)
            accounts = RemoteAccountProvisioner(identity_client)
            employee = build_employee(
                self._settings(EmployeeSettings), self.bus, accounts, clock=clock
            )
            self.internal_routers.append(
                internal_employee_router(
                    employee.leave_ledger, employee.use_cases.employees, self.signer
                )
            )
            return employee.module, self._remote_verifier()
        if self.service is ServiceName.APPROVAL_REQUEST:
            from dojang.approval.bootstrap import build_approval
            from dojang.approval.settings import ApprovalSettings

            ledger = RemoteLeaveLedger(self._client("employee", self.settings.employee_url))
            approval = build_approval(
                self._settings(ApprovalSettings), self.bus, ledger, clock=clock
            )
            return approval.module, self._remote_verifier()
        if self.service is ServiceName.APPROVAL_PROCESSING:
            from dojang.processing.bootstrap import build_processing
            from dojang.processing.settings import ProcessingSettings

            processing = build_processing(self._settings(ProcessingSettings), self.bus, clock=clock)
            return processing.module, self._remote_verifier()
        from dojang.notification.bootstrap import build_notification
        from dojang.notification.settings import NotificationSettings

        settings = self._settings(NotificationSettings)
        notification = build_notification(settings, self.bus, self._ticket_keys(), clock=clock)
        self._pruners.extend(notification.pruners)
        if settings.redis_url:
            self.checks["redis"] = self._redis_ping(settings.redis_url)
        return notification.module, self._remote_verifier()

    def _redis_ping(self, url: str) -> Callable[[], Awaitable[None]]:
        import redis.asyncio as redis

        client = redis.Redis.from_url(url, socket_timeout=self.settings.port_timeout_seconds)
        self._closers.append(client.aclose)

        async def ping() -> None:
            await client.ping()

        return ping

    async def start(self, *, worker: bool = True) -> None:
        """Migrate the service's database, then start its relay and consumers.

        Without `worker` only requests are served (the employee API on AWS Lambda): the
        bus, migrations, relay and consumers belong to the service's worker process, which
        shares the database and publishes what the requests write to the outbox.
        """
        self._worker = worker
        module = self.module
        if worker:
            await self.bus.start()
            if module.migrations is not None and module.database is not None:
                await upgrade_to_head_async(module.migrations, module.database.url, module.name)
        for hook in module.on_start:
            await hook()
        if worker:
            if module.relay is not None:
                module.relay.start()
            for consumer in module.consumers:
                consumer.start()
            await self.retention.start()
            await self.backlog.start()
        log.info(
            "dojang_service_started", service=self.service.value, version=__version__, worker=worker
        )
        for warning in settings_warnings(self.settings):
            log.warning("settings_warning", warning=warning)

    async def stop(self) -> None:
        """Let consumers finish and commit what they hold, flush the relay, then close."""
        await self.backlog.stop()
        await self.retention.stop()
        module = self.module
        worker = self._worker
        if worker:
            for consumer in module.consumers:
                await consumer.stop()
            if module.relay is not None:
                await module.relay.stop()
        for hook in module.on_stop:
            await hook()
        if module.database is not None:
            await module.database.dispose()
        for close in reversed(self._closers):
            await close()
        if worker:
            await self.bus.stop()
        if self._bus_database is not None:
            await self._bus_database.dispose()
        log.info("dojang_service_stopped", service=self.service.value)

    async def readiness(self) -> dict[str, bool]:
        """Each dependency by name and whether it answers; each consumer group by name."""
        seconds = self.settings.port_timeout_seconds
        parts = {
            name: await answers(check, within_seconds=seconds)
            for name, check in self.checks.items()
        }
        for consumer in self.module.consumers:
            parts[f"consumer:{consumer.group}"] = consumer.healthy
        return parts
