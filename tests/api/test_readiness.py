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
