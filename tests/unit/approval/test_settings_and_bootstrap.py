"""Approval settings and what `build_approval` hands the composer."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from dojang.approval.domain.forms import FormCode
from dojang.approval.service.commands import NewDocument
from dojang.kernel.bus.local import LocalBus

from .fakes import Harness, approval_settings, principal


def test_the_defaults_are_seoul_and_a_million(tmp_path: Path) -> None:
    settings = approval_settings(tmp_path)
    assert settings.timezone == "Asia/Seoul"
    assert settings.zone.key == "Asia/Seoul"
    assert settings.expense_director_threshold == Decimal(1_000_000)
    assert settings.database_url_for("approval").endswith("approval.db")


def test_settings_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOJANG_TIMEZONE", "UTC")
    monkeypatch.setenv("DOJANG_EXPENSE_DIRECTOR_THRESHOLD", "500000")
    settings = approval_settings(tmp_path)
    assert settings.timezone == "UTC"
    assert settings.expense_director_threshold == Decimal(500_000)


@pytest.mark.parametrize(
    "overrides",
    [{"timezone": "Mars/Olympus"}, {"expense_director_threshold": -1}],
)
def test_bad_settings_are_refused(tmp_path: Path, overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        approval_settings(tmp_path, **overrides)


def test_the_module_carries_routes_database_relay_and_consumer(harness: Harness) -> None:
    module = harness.service.module
    assert module.name == "approval"
    assert module.database is not None
    assert module.migrations is not None
    assert (module.migrations / "env.py").exists()
    assert module.relay is not None
    paths = {route.path for router in module.routers for route in router.routes}  # type: ignore[attr-defined]
    assert {"/api/forms", "/api/approvals", "/api/approvals/{approval_id}/resubmit"} <= paths
    assert [(c.group, c.topics) for c in module.consumers] == [
        ("approval", ("approval-results",)),
        ("approval-org", ("employee-events",)),
    ]


async def test_the_relay_publishes_the_outbox_to_the_bus(harness: Harness, bus: LocalBus) -> None:
    await harness.service.use_cases.create(
        principal("staff"), NewDocument(form=FormCode.GENERAL, title="t")
    )
    assert harness.service.module.relay is not None
    assert await harness.service.module.relay.relay_once() == 3
    subscription = await bus.subscribe("inspector", ["approval-requests", "approval-events"])
    records = await subscription.fetch(10, timeout=0)
    await subscription.close()
    assert sorted(r.topic for r in records) == [
        "approval-events",
        "approval-events",
        "approval-requests",
    ]


def test_the_mongodb_url_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOJANG_APPROVAL_MONGODB_URL", "mongodb://db.internal:27017/approvals")
    settings = approval_settings(tmp_path)
    assert settings.approval_mongodb_url == "mongodb://db.internal:27017/approvals"


def test_a_mongodb_url_without_a_database_is_refused(tmp_path: Path, bus: LocalBus) -> None:
    from dojang.approval.bootstrap import build_approval
    from dojang.kernel.clock import FixedClock

    from .fakes import NOW, standard_org

    settings = approval_settings(tmp_path, approval_mongodb_url="mongodb://127.0.0.1:1/")
    org = standard_org()
    with pytest.raises(ValueError, match="must name its database"):
        build_approval(settings, bus, org, clock=FixedClock(NOW), org=org)


async def test_a_lost_mongodb_connection_is_a_transient_failure() -> None:
    from pymongo.errors import AutoReconnect

    from dojang.approval.adapters.mongo.store import MongoStore
    from dojang.approval.adapters.mongo.unit_of_work import MongoApprovalUnitOfWork
    from dojang.kernel.bus.unit_of_work import OutboxSignal
    from dojang.kernel.errors import TransientError

    store = MongoStore("mongodb://127.0.0.1:1/approval")  # never connected to
    try:
        with pytest.raises(TransientError, match="did not answer"):
            async with MongoApprovalUnitOfWork(store, OutboxSignal()):
                raise AutoReconnect("connection reset by peer")
    finally:
        await store.close()
