"""`dojang dlq list` and `dojang dlq replay` against Kafka, as an operator runs them with
`DOJANG_KAFKA_BOOTSTRAP` set: the offsets they print are the ones they accept."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.port import Record
from tests.e2e.conftest import dojang_command
from tests.integration.buses import kafka_bus

pytestmark = pytest.mark.integration


def _dojang(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [*dojang_command(), *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


async def test_dead_letters_on_kafka_are_listed_and_replayed_by_their_offset(
    kafka_server: str, tmp_path: Path
) -> None:
    bus = kafka_bus(topics=["employee-events"])
    await bus.start()
    event = Event(
        type="employee.updated",
        aggregate_id="emp-1",
        data={"id": "emp-1"},
        occurred_at=datetime.now(UTC),
    )
    failed = Record("employee-events", 0, 7, "emp-1", event.to_json())
    try:
        await BusDeadLetters(bus).send(failed, "identity", "ValueError: no such account")
    finally:
        await bus.stop()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    env |= {
        "DOJANG_DATA_DIR": str(tmp_path / "data"),
        "DOJANG_LOG_LEVEL": "WARNING",
        "DOJANG_KAFKA_BOOTSTRAP": kafka_server,
        "DOJANG_KAFKA_NAMESPACE": bus.physical(""),
    }

    listed = _dojang("dlq", "list", "employee-events", env=env)
    assert listed.returncode == 0, listed.stderr
    [line] = listed.stdout.splitlines()
    offset, _failed_at, group, event_type, event_id, state, error = line.split("\t")
    assert (offset, group, event_type, event_id, state) == (
        "1",
        "identity",
        "employee.updated",
        event.id,
        "dead",
    )
    assert error == "ValueError: no such account"

    replayed = _dojang("dlq", "replay", "employee-events", "--offset", "1", env=env)
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout.strip() == "replayed 1 to employee-events for identity"
    again = _dojang("dlq", "replay", "employee-events", "--all", env=env)
    assert again.stdout.strip() == "skipped 1: replayed before"

    reader = kafka_bus(topics=["employee-events"], namespace=bus.physical(""))
    await reader.start()
    try:
        # the original is back on its topic: a group that never committed finds it there
        assert await reader.lag("identity", "employee-events") == 1
    finally:
        await reader.stop()
    assert not (tmp_path / "data" / "bus.db").exists()
