"""The `dojang user add` command-line contract, run as operators and scripts run it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import dojang_command

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
