"""The ASGI app of one service in its own process (`dojang run SERVICE`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from dojang import __version__
from dojang.composition.process import ServiceProcess
from dojang.composition.settings import ProcessSettings, ServiceName
from dojang.kernel.clock import Clock
from dojang.kernel.logging import configure_logging
from dojang.kernel.tracing import configure_tracing
from dojang.kernel.web.middleware import install_middleware
from dojang.kernel.web.operations import operations_router
from dojang.kernel.web.problems import install_problem_handlers
from dojang.kernel.web.static import serve_web_app


def create_service_app(
    service: ServiceName, *, clock: Clock | None = None, worker: bool = True, **overrides: Any
) -> FastAPI:
    """One service's app: its public routes, its `/internal` ports, `/healthz`, `/readyz`,
    and the web app when `DOJANG_WEB_DIR` names a build; `overrides` take precedence over
    `DOJANG_*` variables. Without `worker` it serves requests only (`ServiceProcess.start`)."""
    configure_tracing(ProcessSettings(**overrides).tracing, f"dojang-{service.value}")
    process = ServiceProcess(service, overrides, clock=clock)
    configure_logging(process.settings.log_level, json=process.settings.logs_as_json)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await process.start(worker=worker)
        try:
            yield
        finally:
            await process.stop()

    app = FastAPI(
        title=f"Dojang {service.value}",
        version=__version__,
        lifespan=lifespan,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        # no redirect that adds or drops a trailing slash: it would echo `Host` in `Location`
        redirect_slashes=False,
    )
    app.state.dojang_process = process
    app.state.token_verifier = process.verifier
    install_problem_handlers(app, default_language=process.settings.default_language)
    install_middleware(app, process.settings)
    app.include_router(operations_router(process.readiness))
    for router in [*process.module.routers, *process.internal_routers]:
        app.include_router(router)
    if process.settings.web_dir is not None:
        # behind an ingress that sends `/` here (deploy/helm); never the checkout's build
        serve_web_app(app.router, process.settings.web_dir)
    return app
