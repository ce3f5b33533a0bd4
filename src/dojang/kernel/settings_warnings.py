"""Settings that start but are probably wrong: logged at start, and `dojang doctor` fails on
them."""

from __future__ import annotations

import ipaddress

from dojang.kernel.settings import KernelSettings
from dojang.kernel.web.server import trusted_proxies

DEFAULT_PUBLIC_URL = str(KernelSettings.model_fields["public_url"].default)


def settings_warnings(settings: KernelSettings) -> list[str]:
    """One sentence per setting that a production deployment should not keep."""
    warnings: list[str] = []
    if settings.environment == "production":
        if settings.public_url.rstrip("/") == DEFAULT_PUBLIC_URL:
            warnings.append(
                f"DOJANG_PUBLIC_URL is the default {DEFAULT_PUBLIC_URL}: the discovery "
                "document (/.well-known/openid-configuration) and every token name that "
                "address as issuer, which no other machine reaches; set the public https:// "
                "address"
            )
        elif not settings.public_url.startswith("https://"):
            warnings.append(
                f"DOJANG_PUBLIC_URL {settings.public_url} is not https://: tokens would be "
                "issued and fetched over plain HTTP"
            )
    for proxy in trusted_proxies(settings):
        if proxy == "*":
            warnings.append("DOJANG_TRUSTED_PROXIES is *: any client may claim any address")
            continue
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            warnings.append(f"DOJANG_TRUSTED_PROXIES: {proxy!r} is not an address or network")
    return warnings
