"""Which database a service alone opens, what it refuses to start without, and how its
readiness names a store."""

from __future__ import annotations

import pytest

from dojang.composition.process import _check_name
from dojang.composition.settings import (
    MissingSetting,
    ProcessSettings,
    ServiceName,
    required_url,
)


def test_a_service_takes_its_own_database_url_before_the_shared_one() -> None:
    settings = ProcessSettings(
        database_url="mysql+asyncmy://h/shared", approval_database_url="mysql+asyncmy://h/a"
    )
    assert settings.database_url_of(ServiceName.APPROVAL_REQUEST) == "mysql+asyncmy://h/a"
    assert settings.database_url_of(ServiceName.EMPLOYEE) == "mysql+asyncmy://h/shared"


def test_without_any_url_a_service_stays_on_its_sqlite_file() -> None:
    assert ProcessSettings().database_url_of(ServiceName.NOTIFICATION) is None


def test_the_per_service_urls_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJANG_PROCESSING_DATABASE_URL", "mysql+asyncmy://h/p")
    monkeypatch.setenv("DOJANG_IDENTITY_URL", "http://identity:8000/")
    settings = ProcessSettings()
    assert settings.database_url_of(ServiceName.APPROVAL_PROCESSING) == "mysql+asyncmy://h/p"
    assert required_url("identity", settings.identity_url) == "http://identity:8000"


def test_a_missing_url_names_its_variable() -> None:
    with pytest.raises(MissingSetting, match="DOJANG_EMPLOYEE_URL"):
        required_url("employee", None)


class MongoStore:
    async def ping(self) -> None:
        """A store's readiness check."""


async def _unnamed() -> None:
    """A check that is not a store's method."""


def test_a_store_check_is_named_after_its_kind() -> None:
    assert _check_name(MongoStore().ping, "approval:0") == "mongo"
    assert _check_name(_unnamed, "approval:0") == "approval:0"
