"""deploy/systemd/dojang.service: a valid unit, hardened, and stopping after the drain."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from dojang.kernel.web.server import GRACEFUL_SHUTDOWN_SECONDS

UNIT = Path(__file__).resolve().parents[3] / "deploy" / "systemd" / "dojang.service"
CONSUMER_STOP_SECONDS = 10
"""What docs/operations.md allows the consumers once uvicorn has drained."""


def directives() -> dict[str, list[str]]:
    """Every `Key=value` of the [Service] section, repeated keys kept in order."""
    found: dict[str, list[str]] = defaultdict(list)
    section = None
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]":
            key, _, value = line.partition("=")
            found[key].append(value)
    return found


def test_the_service_is_hardened() -> None:
    service = directives()
    assert service["ProtectSystem"] == ["strict"]
    assert service["ReadWritePaths"] == ["/var/lib/dojang"]
    assert "--data-dir /var/lib/dojang" in service["ExecStart"][0]
    assert service["User"] == ["dojang"]
    for flag in ("NoNewPrivileges", "PrivateTmp", "ProtectHome", "PrivateDevices"):
        assert service[flag] == ["yes"], flag
    assert service["RestrictAddressFamilies"] == ["AF_INET AF_INET6 AF_UNIX"]
    assert service["CapabilityBoundingSet"] == [""]
    assert service["UMask"] == ["0077"]


def test_systemd_waits_longer_than_the_graceful_drain() -> None:
    (timeout,) = directives()["TimeoutStopSec"]
    assert int(timeout) > GRACEFUL_SHUTDOWN_SECONDS + CONSUMER_STOP_SECONDS
    assert int(timeout) <= 2 * (GRACEFUL_SHUTDOWN_SECONDS + CONSUMER_STOP_SECONDS)


def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if os.environ.get("CI"):
            pytest.fail("systemd-analyze is missing (apt-get install systemd)")
        pytest.skip("systemd-analyze is not installed")
    # verify checks that ExecStart exists: point it at this checkout's `dojang`
    dojang = Path(sys.executable).parent / "dojang"
    unit = tmp_path / "dojang.service"
    unit.write_text(
        UNIT.read_text(encoding="utf-8").replace("/opt/dojang/bin/dojang", str(dojang)),
        encoding="utf-8",
    )
    verified = subprocess.run(  # noqa: S603 (a fixed program on a file of this test)
        [analyze, "verify", str(unit)], capture_output=True, text=True, check=False, timeout=60
    )
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr == ""
