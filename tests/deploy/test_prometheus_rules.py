"""The alert rules: valid, and firing when (and only when) `rules.test.yaml` says, `for:`
durations included (`promtool`, from the Debian package `prometheus`)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.deploy.tools import ROOT

# promtool comes with the servers' packages (scripts/services up): in CI its absence fails
pytestmark = pytest.mark.integration

RULES = ROOT / "deploy" / "prometheus"


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is missing: `scripts/services up` installs the prometheus package")
    return subprocess.run(
        [promtool, *args], capture_output=True, text=True, check=False, timeout=120, cwd=RULES
    )


def test_the_rules_are_valid() -> None:
    checked = _promtool("check", "rules", "rules.yaml")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_rules_fire_when_their_tests_say() -> None:
    tested = _promtool("test", "rules", "rules.test.yaml")
    assert tested.returncode == 0, tested.stdout + tested.stderr
