"""`build_processing` assembles the module; settings and the sweeper behave."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from pydantic import ValidationError

from dojang.processing.settings import ProcessingSettings

from .builders import NOW, tasks_opened
from .harness import TEST_SECRET, Harness


def test_the_module_is_assembled_from_settings(harness: Harness) -> None:
    module = harness.service.module
    assert module.name == "processing"
    assert module.database is not None
    assert module.migrations is not None
    assert (module.migrations / "env.py").is_file()
    assert module.relay is not None
    consumer, copy = module.consumers
    assert consumer is harness.service.consumer
    assert (consumer.group, consumer.topics) == (
        "processing",
        ("approval-requests", "employee-events"),
    )
    assert (copy.group, copy.topics) == ("processing-org", ("employee-events",))
    routes = {
        (method, route.path)
        for router in module.routers
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    assert routes == {
        ("GET", "/api/inbox"),
        ("GET", "/api/delegations"),
        ("POST", "/api/delegations"),
        ("DELETE", "/api/delegations/{delegation_id}"),
        ("GET", "/api/admin/tasks"),
        ("POST", "/api/admin/tasks/{task_id}/reassign"),
    }


def test_a_configured_database_url_wins(tmp_path: Path) -> None:
    shared = ProcessingSettings(database_url="mysql+asyncmy://dojang@db/shared")
    assert shared.database_url_for("processing") == "mysql+asyncmy://dojang@db/shared"
    assert shared.delegation_sweep_seconds == 60
    own = ProcessingSettings(
        database_url="mysql+asyncmy://dojang@db/shared",
        processing_database_url="mysql+asyncmy://dojang@db/processing",
    )
    assert (
        own.database_url_for("processing", own.processing_database_url)
        == "mysql+asyncmy://dojang@db/processing"
    )
    embedded = ProcessingSettings(data_dir=tmp_path)
    assert embedded.database_url_for("processing", embedded.processing_database_url) == (
        f"sqlite:///{(tmp_path / 'processing.db').resolve()}"
    )


def test_the_service_reads_its_own_database_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DOJANG_PROCESSING_DATABASE_URL", "mysql+asyncmy://dojang@db/processing")
    assert ProcessingSettings().processing_database_url == "mysql+asyncmy://dojang@db/processing"


def test_the_sweep_interval_must_be_positive() -> None:
    with pytest.raises(ValidationError):
        ProcessingSettings(environment="test", secret_key=TEST_SECRET, delegation_sweep_seconds=0)


async def test_the_sweeper_moves_tasks_once_started_and_stops(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim"]))
    await harness.service.delegations.grant(
        "emp-kim",
        delegate_id="emp-lee",
        starts_at=NOW + timedelta(hours=1),
        ends_at=NOW + timedelta(days=1),
    )
    harness.clock.advance(hours=1)
    for hook in harness.service.module.on_start:
        await hook()
    try:
        for _ in range(200):
            [task] = await harness.tasks()
            if task.assignee_id == "emp-lee":
                break
            await asyncio.sleep(0.01)
        assert (task.assignee_id, task.on_behalf_of) == ("emp-lee", "emp-kim")
    finally:
        for hook in harness.service.module.on_stop:
            await hook()
    await harness.service.sweeper.stop()


async def test_a_grant_wakes_the_sweeper_to_look_at_the_windows_again(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim"]))
    await harness.service.delegations.grant(
        "emp-kim",
        delegate_id="emp-lee",
        starts_at=NOW + timedelta(hours=1),
        ends_at=NOW + timedelta(days=1),
    )
    for hook in harness.service.module.on_start:
        await hook()
    try:
        # the sweeper's first run finds nothing to move; then it waits for the window's start
        # by its own reckoning, an hour of the clock that stands still here (or its minute)
        await asyncio.sleep(0.2)
        [task] = await harness.tasks()
        assert task.assignee_id == "emp-kim"
        harness.clock.advance(hours=1)
        await harness.service.delegations.grant(  # someone else's: the sweeper looks again
            "emp-park",
            delegate_id="emp-choi",
            starts_at=NOW + timedelta(days=2),
            ends_at=NOW + timedelta(days=3),
        )
        for _ in range(200):
            [task] = await harness.tasks()
            if task.assignee_id == "emp-lee":
                break
            await asyncio.sleep(0.01)
        assert (task.assignee_id, task.on_behalf_of) == ("emp-lee", "emp-kim")
    finally:
        for hook in harness.service.module.on_stop:
            await hook()
