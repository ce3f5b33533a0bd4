"""`/readyz` names each part it checked, in the embedded app and in a service alone."""

from __future__ import annotations

from pathlib import Path

import httpx2

from dojang.composition.app import create_service_app
from dojang.composition.settings import ServiceName
from tests.conftest import test_overrides


async def test_readyz_names_the_bus_every_service_and_every_consumer_group(
    client: httpx2.AsyncClient,
) -> None:
    answer = await client.get("/readyz")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "ok"
    parts = body["dependencies"]
    assert {"bus", "identity", "employee", "approval", "processing", "notification"} <= set(parts)
    assert {"approval-org", "processing-org", "identity-org"} <= set(parts)
    assert set(parts.values()) == {"ok"}


async def test_a_service_alone_is_not_ready_while_a_port_it_calls_is_down(
    tmp_path: Path,
) -> None:
    app = create_service_app(
        ServiceName.APPROVAL_REQUEST,
        **test_overrides(tmp_path / "data"),
        identity_url="http://127.0.0.1:9",
        employee_url="http://127.0.0.1:9",
        port_timeout_seconds=1,
    )
    async with app.router.lifespan_context(app):
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://svc.test") as http:
            answer = await http.get("/readyz")
            public = await http.get("/api/forms")
    assert answer.status_code == 503
    body = answer.json()
    assert body["failing"] == ["employee"]
    assert body["dependencies"]["database"] == "ok"
    assert body["dependencies"]["bus"] == "ok"
    assert public.status_code == 401  # its own routes answer; tokens need identity's keys


async def test_a_service_alone_serves_the_web_app_only_when_told_where_it_is(
    tmp_path: Path,
) -> None:
    build = tmp_path / "web"
    (build / "assets").mkdir(parents=True)
    (build / "index.html").write_text("<!doctype html><title>도장</title>", encoding="utf-8")
    (build / "assets" / "app-1a2b3c4d.js").write_text("console.log(1)", encoding="utf-8")
    answers = {}
    for web_dir in (None, build):
        app = create_service_app(
            ServiceName.IDENTITY, **test_overrides(tmp_path / "data"), web_dir=web_dir
        )
        async with app.router.lifespan_context(app):
            transport = httpx2.ASGITransport(app=app)
            async with httpx2.AsyncClient(transport=transport, base_url="http://svc.test") as http:
                page = await http.get("/inbox", headers={"Accept": "text/html"})
                asset = await http.get("/assets/app-1a2b3c4d.js")
                api = await http.get("/api/auth/me")
        answers[web_dir] = (page, asset, api)
    page, asset, api = answers[None]
    assert (page.status_code, asset.status_code, api.status_code) == (404, 404, 401)
    page, asset, api = answers[build]
    assert page.status_code == 200
    assert "도장" in page.text
    assert page.headers["cache-control"] == "no-cache"
    assert asset.status_code == 200
    assert "immutable" in asset.headers["cache-control"]
    assert api.status_code == 401  # its own routes come first
