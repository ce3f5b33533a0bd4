"""The built web app served beside the API: caching, the SPA fallback, nothing shadowed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest
from pydantic import ValidationError

from dojang.app import create_app
from dojang.kernel.settings import KernelSettings
from dojang.kernel.web import static
from tests.conftest import test_overrides

INDEX = "<!doctype html><title>도장</title><div id=root></div>"
SCRIPT = "console.log('dojang')"
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture
def web_dir(tmp_path: Path) -> Path:
    """A build as Vite lays it out."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX, encoding="utf-8")
    (dist / "assets" / "index-3f2a9c1b.js").write_text(SCRIPT, encoding="utf-8")
    (dist / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    return dist


async def _client(tmp_path: Path, **overrides: object) -> AsyncIterator[httpx2.AsyncClient]:
    app = create_app(**test_overrides(tmp_path / "data"), **overrides)
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://dojang.test") as client:
        yield client


@pytest.fixture
async def web(tmp_path: Path, web_dir: Path) -> AsyncIterator[httpx2.AsyncClient]:
    """A client of an app serving `web_dir` (not started: these routes need no database)."""
    async for client in _client(tmp_path, web_dir=web_dir):
        yield client


def _assert_not_found_problem(answer: httpx2.Response) -> None:
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["status"] == 404


async def test_a_hashed_asset_is_cached_for_a_year(web: httpx2.AsyncClient) -> None:
    answer = await web.get("/assets/index-3f2a9c1b.js")
    assert answer.status_code == 200
    assert answer.text == SCRIPT
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert answer.headers["content-type"].startswith("text/javascript")


async def test_a_missing_asset_is_a_not_found_problem(web: httpx2.AsyncClient) -> None:
    _assert_not_found_problem(await web.get("/assets/index-00000000.js", headers=HTML))


async def test_the_root_serves_index_html_revalidated(web: httpx2.AsyncClient) -> None:
    answer = await web.get("/", headers=HTML)
    assert answer.status_code == 200
    assert answer.text == INDEX
    assert answer.headers["cache-control"] == "no-cache"
    assert answer.headers["content-type"].startswith("text/html")


async def test_a_page_of_the_app_asking_for_html_gets_index_html(
    web: httpx2.AsyncClient,
) -> None:
    for path in ("/approvals/01JD8", "/inbox", "/settings/delegations/new"):
        answer = await web.get(path, headers=HTML)
        assert answer.status_code == 200, path
        assert answer.text == INDEX
        assert answer.headers["cache-control"] == "no-cache"


async def test_a_missing_file_not_asked_for_as_html_is_a_not_found_problem(
    web: httpx2.AsyncClient,
) -> None:
    _assert_not_found_problem(await web.get("/robots.txt", headers={"Accept": "*/*"}))


async def test_a_file_at_the_top_of_the_build_is_served_revalidated(
    web: httpx2.AsyncClient,
) -> None:
    answer = await web.get("/favicon.svg")
    assert answer.status_code == 200
    assert answer.text == "<svg/>"
    assert answer.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/api", "/api/nothing-here", "/ws", "/ws/elsewhere"])
async def test_api_and_websocket_paths_never_get_the_app(
    web: httpx2.AsyncClient, path: str
) -> None:
    _assert_not_found_problem(await web.get(path, headers=HTML))


async def test_api_routes_are_not_shadowed(web: httpx2.AsyncClient) -> None:
    answer = await web.get("/api/approvals", headers=HTML)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert (await web.get("/api/openapi.json", headers=HTML)).json()["info"]["title"] == "Dojang"
    assert (await web.get("/healthz", headers=HTML)).json() == {"status": "ok"}


async def test_other_methods_on_unknown_paths_stay_not_found(web: httpx2.AsyncClient) -> None:
    _assert_not_found_problem(await web.post("/approvals/new", headers=HTML))
    _assert_not_found_problem(await web.post("/api/nothing-here", json={}))


async def test_without_a_build_the_landing_page_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOJANG_WEB_DIR", raising=False)
    monkeypatch.setattr(static, "repository_web_dist", lambda: tmp_path / "no-build")
    async for client in _client(tmp_path):
        answer = await client.get("/", headers=HTML)
        assert answer.status_code == 200
        assert "Dojang (도장) is running" in answer.text
        _assert_not_found_problem(await client.get("/inbox", headers=HTML))


async def test_the_checkouts_build_is_served_by_default(
    tmp_path: Path, web_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOJANG_WEB_DIR", raising=False)
    monkeypatch.setattr(static, "repository_web_dist", lambda: web_dir)
    async for client in _client(tmp_path):
        assert (await client.get("/inbox", headers=HTML)).text == INDEX


def test_a_web_dir_without_index_html_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"has no index\.html"):
        KernelSettings(web_dir=tmp_path)
