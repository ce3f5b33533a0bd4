"""The real `dojang serve --demo` process, used as a person or a script would."""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest

from dojang.demo import DEMO_PASSWORD
from dojang.kernel.web.static import repository_web_dist

from .conftest import RunningDojang, start_dojang

pytestmark = pytest.mark.e2e


def test_a_demo_user_logs_in_and_reads_who_they_are(dojang_server: RunningDojang) -> None:
    with httpx2.Client(base_url=dojang_server.base_url, timeout=10) as http:
        login = http.post(
            "/api/auth/login", json={"email": "ceo@dojang.example", "password": DEMO_PASSWORD}
        )
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        me = http.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        body = me.json()
        assert body["employee"]["email"] == "ceo@dojang.example"
        assert body["employee"]["position"] == "ceo"
        assert "admin" in body["roles"]


def test_the_demo_logins_are_printed_at_start(dojang_server: RunningDojang) -> None:
    output = dojang_server.output()
    assert "ceo@dojang.example" in output
    assert DEMO_PASSWORD in output


def test_the_root_is_the_built_web_app_or_else_the_landing_page(
    dojang_server: RunningDojang,
) -> None:
    page = httpx2.get(f"{dojang_server.base_url}/", headers={"Accept": "text/html"}, timeout=5)
    assert page.status_code == 200
    build = repository_web_dist() / "index.html"
    if build.is_file():
        assert page.text == build.read_text(encoding="utf-8")
        assert page.headers["cache-control"] == "no-cache"
    else:
        assert "Dojang (도장) is running" in page.text


def test_without_a_token_the_api_answers_with_a_problem(dojang_server: RunningDojang) -> None:
    answer = httpx2.get(f"{dojang_server.base_url}/api/auth/me", timeout=5)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["status"] == 401


def test_metrics_are_exposed(dojang_server: RunningDojang) -> None:
    answer = httpx2.get(f"{dojang_server.base_url}/metrics", timeout=5)
    assert answer.status_code == 200
    assert "dojang_http_requests_total" in answer.text


def test_logs_are_for_people_in_development_and_migrations_speak_only_when_they_run(
    tmp_path: Path,
) -> None:
    quiet = {"DOJANG_LOG_LEVEL": "INFO"}
    with start_dojang(tmp_path, quiet) as first:
        pass
    with start_dojang(tmp_path, quiet) as second:
        pass
    first_log, second_log = first.output(), second.output()
    assert "migration_applied" in first_log
    assert "migration_applied" not in second_log
    assert "Context impl" not in first_log + second_log
    assert "Will assume" not in first_log + second_log
    assert not any(line.startswith("{") for line in second_log.splitlines())
