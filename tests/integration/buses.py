"""Both buses behind one fixture: every test that takes `any_bus` runs on the embedded log
and on the real Kafka (a namespace of its own per test, so runs never share a topic)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from dojang.kernel.bus.kafka import KafkaBus
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.port import EventBus
from dojang.kernel.db import Database
from tests.servers import server_url, unique_name

KAFKA_PARTITIONS = 3


def kafka_bus(**options: object) -> KafkaBus:
    """A Kafka bus on the test server, in a namespace no other test uses."""
    return KafkaBus(
        server_url("DOJANG_TEST_KAFKA_BOOTSTRAP"),
        namespace=unique_name("dojang-t") + ".",
        **{"partitions": KAFKA_PARTITIONS, **options},  # type: ignore[arg-type]
    )


@pytest.fixture(params=["local", pytest.param("kafka", marks=pytest.mark.integration)])
async def any_bus(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[EventBus]:
    """A started bus: the embedded log, then Kafka."""
    if request.param == "local":
        database = Database(f"sqlite:///{tmp_path / 'bus.db'}")
        local = LocalBus(database)
        await local.start()
        yield local
        await local.stop()
        await database.dispose()
        return
    kafka = kafka_bus()
    await kafka.start()
    yield kafka
    await kafka.stop()
