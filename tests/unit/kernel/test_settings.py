"""Settings refuse a default secret outside development."""

from __future__ import annotations

import secrets

import pytest
from pydantic import ValidationError

from dojang.kernel.settings import DEVELOPMENT_SECRET, KernelSettings


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
    settings = KernelSettings(database_url="mysql+aiomysql://u:p@127.0.0.1/dojang")
    assert settings.database_url_for("employee") == "mysql+aiomysql://u:p@127.0.0.1/dojang"
