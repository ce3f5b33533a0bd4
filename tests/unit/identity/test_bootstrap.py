"""`build_identity`: the module it hands the composer, and which issuer its verifier trusts."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.routing import BaseRoute

from dojang.identity.bootstrap import build_identity
from dojang.kernel.auth.jwt_verifier import JwtVerifier
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.clock import FixedClock

from .conftest import NOW, PASSWORD, FakeDirectory, Running, identity_settings


def _path(route: BaseRoute) -> str:
    return str(getattr(route, "path", ""))


COGNITO = "https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_Abc123"


def test_module_is_named_identity_and_carries_its_parts(running: Running) -> None:
    module = running.identity.module
    assert module.name == "identity"
    assert module.database is not None
    assert module.database.url == running.settings.identity_database_url
    assert module.migrations is not None
    assert (module.migrations / "env.py").is_file()
    assert module.relay is not None
    assert [(c.group, c.topics) for c in module.consumers] == [
        ("identity", ("employee-events",)),
        ("identity-org", ("employee-events",)),
    ]
    paths = {_path(route) for router in module.routers for route in router.routes}
    assert {
        "/api/auth/login",
        "/api/auth/refresh",
        "/api/auth/me",
        "/api/auth/ws-ticket",
        "/.well-known/openid-configuration",
        "/.well-known/jwks.json",
    } <= paths


def test_builtin_verifier_trusts_the_public_url(running: Running) -> None:
    assert isinstance(running.identity.verifier, JwtVerifier)
    assert running.identity.verifier.issuer == "https://dojang.test"


async def test_with_an_external_issuer_the_verifier_trusts_only_it(
    tmp_path: Path, bus: LocalBus
) -> None:
    settings = identity_settings(tmp_path, oidc_issuer=COGNITO, oidc_client_id="spa")
    identity = build_identity(settings, bus, clock=FixedClock(NOW), directory=FakeDirectory())
    assert isinstance(identity.verifier, JwtVerifier)
    assert identity.verifier.issuer == COGNITO
    for hook in identity.module.on_stop:
        await hook()
    assert identity.module.database is not None
    await identity.module.database.dispose()


def test_external_issuer_without_audience_or_client_id_fails_at_build(
    tmp_path: Path, bus: LocalBus
) -> None:
    settings = identity_settings(tmp_path, oidc_issuer=COGNITO)
    with pytest.raises(ValueError, match="DOJANG_OIDC_AUDIENCE"):
        build_identity(settings, bus, clock=FixedClock(NOW), directory=FakeDirectory())


async def test_rotation_keeps_earlier_tokens_valid(running: Running) -> None:
    await running.identity.accounts.create_account("emp-1", "kim@dojang.example", PASSWORD, [])
    before = await running.identity.sessions.login("kim@dojang.example", PASSWORD, client="t")
    running.clock.advance(seconds=1)
    await running.identity.rotate_signing_key()
    after = await running.identity.sessions.login("kim@dojang.example", PASSWORD, client="t")
    verifier = running.identity.verifier
    assert (await verifier.verify(before.access_token)).user_id == "emp-1"
    assert (await verifier.verify(after.access_token)).user_id == "emp-1"
