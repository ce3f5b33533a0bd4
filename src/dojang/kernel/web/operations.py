"""`/healthz`, `/readyz` and `/metrics`, the same on every service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

Readiness = Callable[[], Awaitable[Mapping[str, bool]]]
"""Each dependency by name (`database`, `bus`, `consumer:<group>`, a port...) and whether it
answers now."""


def operations_router(readiness: Readiness) -> APIRouter:
    """Liveness, readiness (stores, bus, consumers, ports) and Prometheus metrics."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """Alive: the process answers."""
        return {"status": "ok"}

    @router.get("/readyz", responses={503: {"description": "a dependency does not answer"}})
    async def readyz() -> JSONResponse:
        """Ready: every dependency answers and no consumer has stopped, each named."""
        checked = await readiness()
        dependencies = {name: "ok" if ok else "failing" for name, ok in checked.items()}
        failing = [name for name, ok in checked.items() if not ok]
        if failing:
            return JSONResponse(
                {"status": "unavailable", "failing": failing, "dependencies": dependencies},
                status_code=503,
            )
        return JSONResponse({"status": "ok", "dependencies": dependencies})

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        """Prometheus exposition."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
