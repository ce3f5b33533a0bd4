"""`dojang run SERVICE`: one service in a process of its own, configured by `DOJANG_*`."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx2
import pytest

from .conftest import dojang_command, free_port

pytestmark = pytest.mark.e2e


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    env.update({"DOJANG_DATA_DIR": str(data_dir), "DOJANG_LOG_JSON": "true", **extra})
    return env


def test_a_service_that_calls_identity_refuses_to_start_without_its_url(tmp_path: Path) -> None:
    ran = subprocess.run(  # noqa: S603
        [*dojang_command(), "run", "employee", "--port", str(free_port())],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 2
    assert "DOJANG_IDENTITY_URL must be set" in ran.stderr


def test_identity_alone_is_ready_names_its_dependencies_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    port = free_port()
    log_path = tmp_path / "identity.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            [*dojang_command(), "run", "identity", "--port", str(port)],
            env=_env(tmp_path / "data"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                answer = httpx2.get(f"http://127.0.0.1:{port}/readyz", timeout=1)
                if answer.status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.2)
        assert answer.json()["dependencies"] == {
            "bus": "ok",
            "database": "ok",
            "consumer:identity": "ok",
            "consumer:identity-org": "ok",
        }
        jwks = httpx2.get(f"http://127.0.0.1:{port}/.well-known/jwks.json", timeout=5)
        assert jwks.status_code == 200
        assert jwks.json()["keys"]
        # the other services' routes are not here
        assert httpx2.get(f"http://127.0.0.1:{port}/api/forms", timeout=5).status_code == 404
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    # uvicorn shuts down, then raises the signal it caught again, as the process's end
    assert code in {0, -signal.SIGTERM}
    output = log_path.read_text()
    assert '"event": "dojang_service_stopped"' in output, output
