"""`dojang backup` beside a running server, and `dojang restore` of what it made."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import httpx2
import pytest

from dojang.demo import DEMO_PASSWORD

from .conftest import dojang_command, start_dojang

pytestmark = pytest.mark.e2e


def _dojang(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    env["DOJANG_LOG_LEVEL"] = "WARNING"
    return subprocess.run(  # noqa: S603
        [*dojang_command(), *args], capture_output=True, text=True, env=env, timeout=120
    )


def _draft(base_url: str, title: str) -> str:
    with httpx2.Client(base_url=base_url, timeout=10) as http:
        login = http.post(
            "/api/auth/login", json={"email": "ceo@dojang.example", "password": DEMO_PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        answer = http.post(
            "/api/approvals",
            json={"form": "general", "title": title, "submit": False},
            headers=headers,
        )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])


def _drafts(base_url: str) -> set[str]:
    with httpx2.Client(base_url=base_url, timeout=10) as http:
        login = http.post(
            "/api/auth/login", json={"email": "ceo@dojang.example", "password": DEMO_PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        answer = http.get("/api/approvals", params={"box": "drafts"}, headers=headers)
        assert answer.status_code == 200, answer.text
        return {item["title"] for item in answer.json()["items"]}


def test_a_backup_taken_while_serving_restores_that_instant(tmp_path: Path) -> None:
    data, copy = tmp_path / "data", tmp_path / "backup"
    with start_dojang(tmp_path) as server:
        _draft(server.base_url, "백업 전 문서")
        done = _dojang("backup", str(copy), "--data-dir", str(data))
        assert done.returncode == 0, done.stderr
        _draft(server.base_url, "백업 후 문서")
        refused = _dojang("restore", str(copy), "--data-dir", str(data))
        assert refused.returncode == 2
        assert "in use by a running Dojang server" in refused.stderr
    manifest = json.loads((copy / "dojang-backup.json").read_text())
    assert {f["name"] for f in manifest["files"]} >= {"approval.db", "bus.db", "identity.db"}
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in copy.iterdir())

    restored = _dojang("restore", str(copy), "--data-dir", str(data))
    assert restored.returncode == 0, restored.stderr
    assert "the files they replaced are in" in restored.stdout
    with start_dojang(tmp_path) as server:
        assert _drafts(server.base_url) == {"백업 전 문서"}


def test_a_damaged_backup_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    data, copy = tmp_path / "data", tmp_path / "backup"
    with start_dojang(tmp_path):
        pass
    assert _dojang("backup", str(copy), "--data-dir", str(data)).returncode == 0
    with (copy / "approval.db").open("r+b") as file:
        file.seek(200)
        file.write(b"\xff\xfe")
    before = sorted(p.name for p in data.iterdir())
    refused = _dojang("restore", str(copy), "--data-dir", str(data))
    assert refused.returncode == 2
    assert "differs from what the backup recorded" in refused.stderr
    assert sorted(p.name for p in data.iterdir()) == before


def test_a_backup_never_overwrites(tmp_path: Path) -> None:
    data, copy = tmp_path / "data", tmp_path / "backup"
    copy.mkdir()
    (copy / "keep.txt").write_text("mine")
    with start_dojang(tmp_path):
        pass
    refused = _dojang("backup", str(copy), "--data-dir", str(data))
    assert refused.returncode == 2
    assert "is not empty" in refused.stderr
    assert (copy / "keep.txt").read_text() == "mine"
