"""The distributed stack (`scripts/stack`) for a test module: every service in its own
process behind nginx, on the servers of `scripts/services`, with the demo organisation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import free_port
from tests.servers import server_url

ROOT = Path(__file__).resolve().parents[1]
STACK = ROOT / "scripts" / "stack"


@dataclass
class Stack:
    base_url: str
    data_dir: Path
    env: dict[str, str]

    def state(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.data_dir / "run" / "stack.json").read_text())
        return loaded

    def run(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [str(STACK), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """`scripts/stack up` with the demo organisation, on the servers of `scripts/services`
    (Kafka carries the events, Redis the notifications between replicas)."""
    redis_url = server_url("DOJANG_TEST_REDIS_URL")
    kafka = server_url("DOJANG_TEST_KAFKA_BOOTSTRAP")
    mariadb = server_url("DOJANG_TEST_MARIADB_URL")
    mongodb = server_url("DOJANG_TEST_MONGODB_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    env["DOJANG_SERVICES_REDIS_PORT"] = str(urlsplit(redis_url).port)
    env["DOJANG_SERVICES_KAFKA_PORT"] = kafka.rsplit(":", 1)[1]
    env["DOJANG_SERVICES_MARIADB_PORT"] = str(urlsplit(mariadb).port)
    env["DOJANG_SERVICES_FERRETDB_PORT"] = str(urlsplit(mongodb).port)
    env["DOJANG_PYTHON"] = sys.executable  # the interpreter (and its `dojang`) under test
    port = free_port()
    data_dir = tmp_path_factory.mktemp("stack")
    running = Stack(f"http://127.0.0.1:{port}", data_dir, env)
    try:
        started = running.run("up", "--port", str(port), "--data-dir", str(data_dir))
        assert started.returncode == 0, started.stderr
        demo = running.run("dojang", "--data-dir", str(data_dir), "demo")
        assert demo.returncode == 0, demo.stderr
        yield running
    finally:
        stopped = running.run("down", "--data-dir", str(data_dir))
        assert stopped.returncode == 0, stopped.stderr
