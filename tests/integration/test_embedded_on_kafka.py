"""The embedded composition with Kafka as its bus: a document submitted by one employee
reaches the approver's inbox through Kafka's topics."""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest

from dojang.app import create_app
from dojang.kernel.bus.kafka import KafkaBus
from tests.conftest import ENGLISH, login, test_overrides
from tests.servers import unique_name

pytestmark = pytest.mark.integration

PASSWORD = "a-long-password-for-tests"


async def test_a_submitted_document_reaches_the_approvers_inbox_over_kafka(
    kafka_server: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    app = create_app(
        **test_overrides(data_dir),
        kafka_bootstrap=kafka_server,
        kafka_namespace=unique_name("dojang-t") + ".",
        kafka_partitions=3,
    )
    async with app.router.lifespan_context(app):
        embedded = app.state.dojang
        assert isinstance(embedded.bus, KafkaBus)
        lead = await embedded.employee.add_user(
            email="lead@dojang.test",
            name="Park Lead",
            password=PASSWORD,
            roles=("employee", "manager"),
            department="Engineering",
            position="manager",
        )
        await embedded.employee.add_user(
            email="staff@dojang.test",
            name="Kim Staff",
            password=PASSWORD,
            department="Engineering",
            manager_id=lead.id,
        )
        await embedded.settle(timeout=30)
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(
            transport=transport, base_url="http://dojang.test", headers=ENGLISH
        ) as http:
            staff = await login(http, "staff@dojang.test", PASSWORD)
            submitted = await http.post(
                "/api/approvals",
                json={"form": "general", "title": "New laptop", "content": "Mine is 6 years old"},
                headers=staff,
            )
            assert submitted.status_code == 201, submitted.text
            await embedded.settle(timeout=30)
            approver = await login(http, "lead@dojang.test", PASSWORD)
            inbox = await http.get("/api/inbox", headers=approver)
            assert inbox.status_code == 200, inbox.text
            tasks = inbox.json()["items"]
            assert [(t["approval_id"], t["title"]) for t in tasks] == [
                (submitted.json()["id"], "New laptop")
            ]
            ready = await http.get("/readyz")
            assert ready.status_code == 200, ready.text
    assert not (data_dir / "bus.db").exists()  # the embedded log was never opened
