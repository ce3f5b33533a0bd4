"""The `dojang user add` command-line contract, run as operators and scripts run it."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx2
import pytest

from dojang.demo import DEMO_PASSWORD

from .conftest import dojang_command, start_dojang

pytestmark = pytest.mark.e2e


def _dojang(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    env["DOJANG_DATA_DIR"] = str(data_dir)
    env["DOJANG_LOG_LEVEL"] = "WARNING"
    return subprocess.run(  # noqa: S603
        [*dojang_command(), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_user_add_creates_a_login_and_refuses_duplicates_and_weak_passwords(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    added = _dojang(
        "user",
        "add",
        "--email",
        "Ops@Example.com",
        "--name",
        "Operator",
        "--password",
        "a-long-enough-passphrase",
        "--role",
        "admin",
        "--department",
        "Operations",
        "--position",
        "manager",
        data_dir=data_dir,
    )
    assert added.returncode == 0, added.stderr
    assert "ops@example.com" in added.stdout
    assert "admin" in added.stdout

    duplicate = _dojang(
        "user",
        "add",
        "--email",
        "ops@example.com",
        "--name",
        "Again",
        "--password",
        "another-long-passphrase",
        data_dir=data_dir,
    )
    assert duplicate.returncode != 0
    assert "ops@example.com" in duplicate.stderr or "already" in duplicate.stderr

    weak = _dojang(
        "user",
        "add",
        "--email",
        "new@example.com",
        "--name",
        "New",
        "--password",
        "123",
        data_dir=data_dir,
    )
    assert weak.returncode != 0
    assert "password" in weak.stderr


def test_the_data_dir_flag_works_like_the_environment_variable(tmp_path: Path) -> None:
    flagged = _dojang(
        "user",
        "add",
        "--email",
        "a@example.com",
        "--name",
        "A",
        "--password",
        "a-long-enough-passphrase",
        "--data-dir",
        str(tmp_path / "flagged"),
        data_dir=tmp_path / "ignored",
    )
    assert flagged.returncode == 0, flagged.stderr
    assert (tmp_path / "flagged" / "employee.db").exists()
    assert not (tmp_path / "ignored" / "employee.db").exists()


def test_a_user_added_while_the_server_runs_works_at_once_without_a_restart(
    tmp_path: Path,
) -> None:
    with start_dojang(tmp_path) as server, httpx2.Client(base_url=server.base_url) as http:
        ceo = _logged_in(http, "ceo@dojang.example", DEMO_PASSWORD)
        ceo_id = http.get("/api/auth/me", headers=ceo).json()["employee"]["id"]
        added = _dojang(
            "user",
            "add",
            "--email",
            "late@dojang.example",
            "--name",
            "늦은 입사자",
            "--password",
            "a-long-enough-passphrase",
            "--department",
            "Engineering",
            data_dir=tmp_path / "data",
        )
        assert added.returncode == 0, added.stderr

        newcomer = _logged_in(http, "late@dojang.example", "a-long-enough-passphrase")
        me = http.get("/api/auth/me", headers=newcomer)
        assert me.status_code == 200, me.text
        assert me.json()["employee"]["name"] == "늦은 입사자"
        draft = {
            "form": "general",
            "title": "입사 인사",
            "content": "잘 부탁드립니다.",
            "line": [{"kind": "approval", "approvers": [ceo_id], "rule": "all"}],
            "submit": True,
        }
        submitted = http.post("/api/approvals", json=draft, headers=newcomer)
        assert submitted.status_code == 201, submitted.text
        assert submitted.json()["status"] == "in_progress"


def _logged_in(http: httpx2.Client, email: str, password: str) -> dict[str, str]:
    """The Authorization header of a login, waiting the event latency for a new one."""
    deadline = time.monotonic() + 10
    while True:
        answer = http.post("/api/auth/login", json={"email": email, "password": password})
        if answer.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}
