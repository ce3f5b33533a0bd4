"""Settings refuse a default secret outside development."""

from __future__ import annotations

import secrets

import pytest
from pydantic import ValidationError

from dojang.approval.settings import ApprovalSettings
from dojang.employee.settings import EmployeeSettings
from dojang.identity.settings import IdentitySettings
from dojang.kernel.settings import DEVELOPMENT_SECRET, KernelSettings
from dojang.notification.settings import NotificationSettings
from dojang.processing.settings import ProcessingSettings


def test_development_accepts_the_default_secret() -> None:
    settings = KernelSettings(environment="development")
    assert settings.secret_key.get_secret_value() == DEVELOPMENT_SECRET


@pytest.mark.parametrize("environment", ["test", "production"])
def test_the_default_secret_is_refused_outside_development(environment: str) -> None:
    with pytest.raises(ValidationError, match="DOJANG_SECRET_KEY"):
        KernelSettings(environment=environment)


def test_a_short_secret_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="at least 32 characters"):
        KernelSettings(environment="production", secret_key="too-short")


@pytest.mark.parametrize("secret", ["a" * 32, "abcd" * 8, "password" * 4, "0123456789abcdef" * 2])
def test_a_guessable_secret_is_refused_in_production(secret: str) -> None:
    with pytest.raises(ValidationError, match="too easy to guess"):
        KernelSettings(environment="production", secret_key=secret)


def test_a_generated_secret_is_accepted_in_production() -> None:
    settings = KernelSettings(environment="production", secret_key=secrets.token_hex(32))
    assert settings.environment == "production"


def test_settings_are_read_from_dojang_environment_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DOJANG_ENVIRONMENT", "production")
    monkeypatch.setenv("DOJANG_SECRET_KEY", secrets.token_urlsafe(32))
    monkeypatch.setenv("DOJANG_DATA_DIR", "/var/lib/dojang")
    settings = KernelSettings()
    assert settings.environment == "production"
    assert settings.sqlite_url("employee") == "sqlite:////var/lib/dojang/employee.db"


def test_a_database_url_overrides_the_embedded_file() -> None:
    settings = KernelSettings(database_url="mysql+asyncmy://u:p@127.0.0.1/dojang")
    assert settings.database_url_for("employee") == "mysql+asyncmy://u:p@127.0.0.1/dojang"


def test_a_services_own_database_url_overrides_the_shared_one() -> None:
    settings = KernelSettings(database_url="mysql+asyncmy://u:p@db/shared")
    own = "mysql+asyncmy://u:p@db/employee"
    assert settings.database_url_for("employee", own) == own


@pytest.mark.parametrize(
    ("service", "settings_class"),
    [
        ("identity", IdentitySettings),
        ("employee", EmployeeSettings),
        ("approval", ApprovalSettings),
        ("processing", ProcessingSettings),
        ("notification", NotificationSettings),
    ],
)
def test_each_service_reads_its_own_database_url(
    monkeypatch: pytest.MonkeyPatch, service: str, settings_class: type[KernelSettings]
) -> None:
    url = f"mysql+asyncmy://dojang@db/{service}"
    monkeypatch.setenv(f"DOJANG_{service.upper()}_DATABASE_URL", url)
    assert getattr(settings_class(), f"{service}_database_url") == url


def test_the_pool_and_lock_wait_of_a_server_database_are_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DOJANG_DATABASE_POOL_SIZE", "20")
    monkeypatch.setenv("DOJANG_DATABASE_MAX_OVERFLOW", "5")
    monkeypatch.setenv("DOJANG_DATABASE_LOCK_WAIT_SECONDS", "3")
    options = KernelSettings().mysql_options
    assert (options.pool_size, options.max_overflow, options.lock_wait_timeout_seconds) == (
        20,
        5,
        3,
    )
    with pytest.raises(ValidationError):
        KernelSettings(database_pool_size=0)
