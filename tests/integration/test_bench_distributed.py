"""`bench/distributed_load.py` runs end to end at a low rate: it brings a stack up in a
temporary directory, loads it for two seconds, reports every process and takes it down.
No figure is asserted; only that each part of the report is there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.servers import server_url

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
LOW_RATE = ["--rate", "5", "--rate-seconds", "2", "--decisions", "5", "--users", "2"]
LOW_RATE += ["--samples", "2", "--pairs", "2", "--rest-seconds", "0"]


def test_the_distributed_benchmark_runs_at_a_low_rate() -> None:
    redis_url = server_url("DOJANG_TEST_REDIS_URL")
    kafka = server_url("DOJANG_TEST_KAFKA_BOOTSTRAP")
    mariadb = server_url("DOJANG_TEST_MARIADB_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    env["DOJANG_SERVICES_REDIS_PORT"] = str(urlsplit(redis_url).port)
    env["DOJANG_SERVICES_KAFKA_PORT"] = kafka.rsplit(":", 1)[1]
    env["DOJANG_SERVICES_MARIADB_PORT"] = str(urlsplit(mariadb).port)
    env["DOJANG_PYTHON"] = sys.executable
    run = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bench" / "distributed_load.py"), *LOW_RATE],
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    report = run.stdout
    for line in (
        "submit p99 at 5/s offered",
        "submissions accepted per second",
        "decide (approve) p99",
        "submit -> approver's WS p95",
        "five services at rest",
        "distributed: MongoDB commands per submission",
        "distributed: MongoDB commands per decision",
    ):
        assert line in report
    for process in (
        "identity",
        "employee",
        "approval-request-2",
        "approval-processing",
        "notification-2",
        "nginx",
        "Kafka (java)",
        "MariaDB (mariadbd)",
        "PostgreSQL",
        "FerretDB",
        "Redis",
    ):
        assert f"  {process} " in report, process
