"""`http_server_request_duration_seconds`: by route template, method, status code and class."""

from __future__ import annotations

import httpx2
from fastapi import FastAPI, HTTPException
from prometheus_client import REGISTRY

from dojang.kernel.web.observability import RequestContextMiddleware


def _count(route: str, method: str, code: str) -> float:
    labels = {
        "http_route": route,
        "http_request_method": method,
        "http_response_status_code": code,
        "status_class": f"{code[0]}xx",
    }
    return REGISTRY.get_sample_value("http_server_request_duration_seconds_count", labels) or 0.0


def _app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(RequestContextMiddleware)

    @app.get("/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        if thing_id == "missing":
            raise HTTPException(404)
        return {"id": thing_id}

    return app


async def test_requests_are_counted_by_route_template_never_by_raw_path() -> None:
    ok_before = _count("/things/{thing_id}", "GET", "200")
    missing_before = _count("/things/{thing_id}", "GET", "404")
    transport = httpx2.ASGITransport(app=_app())
    async with httpx2.AsyncClient(transport=transport, base_url="http://dojang.test") as client:
        assert (await client.get("/things/a")).status_code == 200
        assert (await client.get("/things/b")).status_code == 200
        assert (await client.get("/things/missing")).status_code == 404
    assert _count("/things/{thing_id}", "GET", "200") == ok_before + 2
    assert _count("/things/{thing_id}", "GET", "404") == missing_before + 1
    assert _count("/things/a", "GET", "200") == 0
