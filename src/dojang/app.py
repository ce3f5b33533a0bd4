"""Composes every Dojang service into one process: the embedded mode."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

import structlog
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from dojang import __version__
from dojang.approval.bootstrap import ApprovalService, build_approval
from dojang.approval.settings import ApprovalSettings
from dojang.employee.bootstrap import EmployeeService, build_employee
from dojang.employee.settings import EmployeeSettings
from dojang.identity.bootstrap import IdentityService, build_identity
from dojang.identity.settings import IdentitySettings
from dojang.kernel.auth.keys import LocalKeySource
from dojang.kernel.backlog_metrics import backlog_job
from dojang.kernel.bus.configured import configured_bus
from dojang.kernel.clock import Clock, SystemClock
from dojang.kernel.logging import configure_logging
from dojang.kernel.migrations import upgrade_to_head_async
from dojang.kernel.private_files import private_directory
from dojang.kernel.retention import retention_job
from dojang.kernel.service import ServiceModule, answers
from dojang.kernel.settings import KernelSettings
from dojang.kernel.settings_warnings import settings_warnings
from dojang.kernel.tracing import configure_tracing
from dojang.kernel.web.docs import install_api_docs
from dojang.kernel.web.middleware import install_middleware
from dojang.kernel.web.operations import operations_router
from dojang.kernel.web.problems import install_problem_handlers
from dojang.kernel.web.static import find_web_dir, serve_web_app
from dojang.notification.bootstrap import NotificationService, build_notification
from dojang.notification.settings import NotificationSettings
from dojang.processing.bootstrap import ProcessingService, build_processing
from dojang.processing.settings import ProcessingSettings

log = structlog.get_logger(__name__)

# The garbage collector's thresholds in a server process (Python's defaults: 700, 10, 10).
SERVER_GC_THRESHOLDS = (20_000, 20, 20)


class Embedded:
    """All services in one process on SQLite files under the data directory; events go
    over the embedded bus, or over Kafka when `kafka_bootstrap` is set."""

    def __init__(self, overrides: dict[str, Any], clock: Clock | None = None) -> None:
        self.settings = KernelSettings(**overrides)
        self.clock = clock or SystemClock()
        private_directory(self.settings.data_dir)
        self.bus, self.bus_db = configured_bus(self.settings)
        self.identity: IdentityService = build_identity(
            IdentitySettings(**overrides), self.bus, clock=self.clock
        )
        self.employee: EmployeeService = build_employee(
            EmployeeSettings(**overrides), self.bus, self.identity.accounts, clock=self.clock
        )
        self.notification: NotificationService = build_notification(
            NotificationSettings(**overrides),
            self.bus,
            LocalKeySource(self.identity.keys.public_jwks, clock=self.clock),
            clock=self.clock,
        )
        self.processing: ProcessingService = build_processing(
            ProcessingSettings(**overrides), self.bus, clock=self.clock
        )
        self.approval: ApprovalService = build_approval(
            ApprovalSettings(**overrides),
            self.bus,
            self.employee.leave_ledger,
            clock=self.clock,
        )
        self.modules: list[ServiceModule] = [
            self.identity.module,
            self.employee.module,
            self.approval.module,
            self.processing.module,
            self.notification.module,
        ]
        self.retention = retention_job(
            self.settings,
            self.clock,
            self.bus,
            [module.database for module in self.modules if module.database is not None],
            extra=self.notification.pruners,
        )
        self.backlog = backlog_job(self.modules, self.bus)

    async def start(self) -> None:
        """Migrate every database, then start relays and consumers."""
        await self.bus.start()
        for module in self.modules:
            if module.migrations is not None and module.database is not None:
                await upgrade_to_head_async(module.migrations, module.database.url, module.name)
        for module in self.modules:
            for hook in module.on_start:
                await hook()
            if module.relay is not None:
                module.relay.start()
            for consumer in module.consumers:
                consumer.start()
        await self.retention.start()
        await self.backlog.start()
        log.info("dojang_started", version=__version__, data_dir=str(self.settings.data_dir))
        for warning in settings_warnings(self.settings):
            log.warning("settings_warning", warning=warning)

    async def stop(self) -> None:
        """Stop consumers, flush relays, close databases."""
        await self.backlog.stop()
        await self.retention.stop()
        for module in self.modules:
            for consumer in module.consumers:
                await consumer.stop()
        for module in self.modules:
            if module.relay is not None:
                await module.relay.stop()
            for hook in module.on_stop:
                await hook()
            if module.database is not None:
                await module.database.dispose()
        await self.bus.stop()
        if self.bus_db is not None:
            await self.bus_db.dispose()

    async def readiness(self) -> dict[str, bool]:
        """Each part by name (the bus, every service, every consumer group) and whether it
        is ready."""
        parts: dict[str, bool] = {"bus": await answers(self.bus.ping)}
        for module in self.modules:
            checks = list(module.readiness)
            if module.database is not None:
                checks.append(module.database.ping)
            ready = True
            for check in checks:
                if not await answers(check):
                    ready = False
                    break
            parts[module.name] = ready
            for consumer in module.consumers:
                parts[consumer.group] = consumer.healthy
        return parts

    async def check_ready(self) -> list[str]:
        """The names of the parts that are not ready; empty when all are."""
        return [name for name, ready in (await self.readiness()).items() if not ready]

    async def settle(self, timeout: float = 15.0) -> None:
        """Wait until every outbox is relayed and every consumer has caught up.

        Idle twice in a row: one look at the relays and then the consumers can miss an
        event that a consumer turned into an outbox row between the two looks."""
        deadline = asyncio.get_running_loop().time() + timeout
        quiet = 0
        while quiet < 2:
            quiet = quiet + 1 if await self._idle() else 0
            if quiet < 2:
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError("events did not settle in time")
                await asyncio.sleep(0.01)

    async def _idle(self) -> bool:
        for module in self.modules:
            if module.relay is not None and await module.relay.pending():
                return False
        for module in self.modules:
            for consumer in module.consumers:
                for topic in consumer.topics:
                    if await self.bus.lag(consumer.group, topic):
                        return False
        return True


def _landing_page() -> str:
    return resources.files("dojang").joinpath("landing.html").read_text(encoding="utf-8")


def create_app(
    *,
    demo: bool = False,
    clock: Clock | None = None,
    freeze_after_start: bool = False,
    **overrides: Any,
) -> FastAPI:
    """The embedded Dojang ASGI app; `overrides` take precedence over `DOJANG_*` variables.

    With `demo`, the demo organisation is loaded (once) at start and its logins printed.
    With `freeze_after_start` (a server process), what starting built is moved out of the
    garbage collector's sight: the app, its routes, schemas and compiled statements live as
    long as the process, and a full collection that walks them all stalls every request for
    tens of milliseconds. It also collects the youngest objects less often
    (`SERVER_GC_THRESHOLDS`): a request leaves thousands of short-lived objects, nearly all
    freed by their reference counts, and walking them every 700 allocations took 2% of the
    loop under load (0.3% with these thresholds).
    """
    if demo:
        from dojang.demo import check_demo_allowed

        check_demo_allowed(KernelSettings(**overrides))
    configure_tracing(KernelSettings(**overrides).tracing, "dojang")
    embedded = Embedded(overrides, clock)
    configure_logging(embedded.settings.log_level, json=embedded.settings.logs_as_json)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await embedded.start()
        if demo:
            from dojang.demo import load_demo, print_demo_logins

            await load_demo(embedded)
            print_demo_logins()
        thresholds = gc.get_threshold()
        if freeze_after_start:
            gc.collect()
            gc.freeze()
            gc.set_threshold(*SERVER_GC_THRESHOLDS)
        try:
            yield
        finally:
            if freeze_after_start:
                gc.set_threshold(*thresholds)
                gc.unfreeze()
            await embedded.stop()

    app = FastAPI(
        title="Dojang",
        version=__version__,
        summary="Electronic approval (전자결재): documents, approval lines, inbox, notifications",
        lifespan=lifespan,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        # no redirect that adds or drops a trailing slash: it would echo `Host` in `Location`
        redirect_slashes=False,
    )
    app.state.dojang = embedded
    app.state.token_verifier = embedded.identity.verifier
    install_problem_handlers(app, default_language=embedded.settings.default_language)
    install_middleware(app, embedded.settings)
    install_api_docs(app, openapi_url="/api/openapi.json", title="Dojang")
    app.include_router(operations_router(embedded.readiness))
    for module in embedded.modules:
        for router in module.routers:
            app.include_router(router)

    web_dir = find_web_dir(embedded.settings.web_dir)
    if web_dir is not None:
        serve_web_app(app.router, web_dir)
    else:

        @app.get("/", include_in_schema=False)
        async def landing() -> HTMLResponse:
            return HTMLResponse(_landing_page())

    return app
