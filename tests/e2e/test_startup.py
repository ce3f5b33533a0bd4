"""Starting `dojang serve` fails fast, in one clear line, and stopping it is a success."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from .conftest import dojang_command, free_port, start_dojang

pytestmark = pytest.mark.e2e


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    return subprocess.run(  # noqa: S603
        [*dojang_command(), "serve", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_a_busy_port_is_told_before_anything_is_migrated(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _serve("--demo", "--port", str(port), "--data-dir", str(tmp_path / "data"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"dojang: cannot listen on 127.0.0.1:{port}: Address already in use; "
        "stop what uses it or choose another --port"
    ]
    assert not (tmp_path / "data").exists()


def test_a_mistyped_data_dir_does_not_start_a_new_company(tmp_path: Path) -> None:
    missing = tmp_path / "dat"
    done = _serve("--port", str(free_port()), "--data-dir", str(missing))
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"dojang: the data directory {missing} does not exist")
    assert not missing.exists()


def test_an_unusable_data_dir_is_named_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    where = tmp_path / "a-file" / "data"
    done = _serve("--demo", "--port", str(free_port()), "--data-dir", str(where))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"dojang: cannot use the data directory {where}: Not a directory"
    ]


def test_sigterm_stops_the_server_cleanly_with_status_0(tmp_path: Path) -> None:
    with start_dojang(tmp_path) as server:
        pass
    assert server.process.returncode == 0
