"""Settings that start but are probably wrong are named, one sentence each."""

from __future__ import annotations

from dojang.kernel.settings import KernelSettings
from dojang.kernel.settings_warnings import settings_warnings

SECRET = "4f9c2b7e1d8a6035c7e2f41b9d0a8c63e5f7a2d9b1c4e8f0"


def production(**overrides: str) -> KernelSettings:
    return KernelSettings(environment="production", secret_key=SECRET, **overrides)  # type: ignore[arg-type]


def test_the_default_public_url_in_production_is_named() -> None:
    (warning,) = settings_warnings(production())
    assert "DOJANG_PUBLIC_URL is the default" in warning
    assert "openid-configuration" in warning


def test_a_plain_http_public_url_in_production_is_named() -> None:
    (warning,) = settings_warnings(production(public_url="http://dojang.example.com"))
    assert "not https://" in warning


def test_a_public_https_url_in_production_warns_of_nothing() -> None:
    assert settings_warnings(production(public_url="https://dojang.example.com")) == []


def test_the_default_public_url_in_development_warns_of_nothing() -> None:
    assert settings_warnings(KernelSettings()) == []


def test_a_trusted_proxy_that_is_no_address_is_named() -> None:
    warnings = settings_warnings(KernelSettings(trusted_proxies="127.0.0.1, nginx.local, *"))
    assert warnings == [
        "DOJANG_TRUSTED_PROXIES: 'nginx.local' is not an address or network",
        "DOJANG_TRUSTED_PROXIES is *: any client may claim any address",
    ]
