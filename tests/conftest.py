"""Fixtures shared by every test: an embedded app on a temporary data dir, and a client."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx2
import pytest
from fastapi import FastAPI

if TYPE_CHECKING:
    from dojang.app import Embedded

pytest_plugins = ("pytester",)

TEST_SECRET = "test-secret-that-is-long-enough-for-dojang-0123456789"
ENGLISH = {"Accept-Language": "en"}
"""Tests that assert the API's English sentences ask for them; Korean is the default."""


def test_overrides(data_dir: Path) -> dict[str, Any]:
    """Settings for an app under test: its own data dir, a test secret, quiet logs."""
    return {
        "environment": "test",
        "data_dir": data_dir,
        "secret_key": TEST_SECRET,
        "log_json": False,
        "log_level": "WARNING",
    }


test_overrides.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[FastAPI]:
    """A started embedded app (migrated, relays and consumers running)."""
    from dojang.app import create_app

    application = create_app(**test_overrides(tmp_path / "data"))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def embedded(app: FastAPI) -> Embedded:
    """The composed services behind `app`."""
    found: Embedded = app.state.dojang
    return found


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx2.AsyncClient]:
    """An HTTP client speaking ASGI to `app`."""
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(
        transport=transport, base_url="http://dojang.test", headers=ENGLISH
    ) as c:
        yield c


async def login(client: httpx2.AsyncClient, email: str, password: str) -> dict[str, str]:
    """Log in and return the Authorization header for the access token."""
    answer = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """In CI, a skipped integration, e2e or browser test is a failure, not a pass."""
    if os.environ.get("CI", "").lower() != "true":
        return
    for item in items:
        if any(item.get_closest_marker(m) for m in ("integration", "e2e", "browser")):
            item.add_marker(pytest.mark.dojang_no_skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Turn a skip of a test marked `dojang_no_skip` into a failure."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("dojang_no_skip"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where {item.nodeid} must run: {report.longrepr}"
