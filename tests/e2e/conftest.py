"""A real `dojang serve` process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RunningDojang:
    base_url: str
    process: subprocess.Popen[str]
    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


def dojang_command() -> list[str]:
    """The installed console script, next to the interpreter running the tests."""
    script = Path(sys.executable).with_name("dojang")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dojang.cli"]


@contextmanager
def start_dojang(
    workdir: Path, settings: Mapping[str, str] | None = None
) -> Iterator[RunningDojang]:
    """`dojang serve --demo` on `workdir/data` until the block ends (SIGTERM, then wait).

    The process sees none of the test run's `DOJANG_*` variables, only `settings`."""
    port = free_port()
    log_path = workdir / f"dojang-{port}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    env["DOJANG_LOG_LEVEL"] = "WARNING"
    env.update(settings or {})
    with log_path.open("w") as log_file:
        process = subprocess.Popen(  # noqa: S603
            [
                *dojang_command(),
                "serve",
                "--demo",
                "--port",
                str(port),
                "--data-dir",
                str(workdir / "data"),
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
            text=True,
        )
    server = RunningDojang(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"dojang serve exited early:\n{server.output()}")
            try:
                if httpx2.get(f"{server.base_url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"dojang serve was not ready in 60 s:\n{server.output()}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
            pytest.fail(f"dojang serve did not stop within 15 s of SIGTERM:\n{server.output()}")


@pytest.fixture(scope="session")
def dojang_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningDojang]:
    """One `dojang serve --demo` shared by the tests of a session."""
    with start_dojang(tmp_path_factory.mktemp("serve")) as server:
        yield server
