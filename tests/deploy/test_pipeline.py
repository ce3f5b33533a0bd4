"""The pipelines (.github/workflows, deploy/pipeline/buildspec.yml), linted offline:
actionlint, zizmor, every action pinned by its full commit SHA, least privilege."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.deploy.tools import ROOT, tool

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BUILDSPEC = ROOT / "deploy" / "pipeline" / "buildspec.yml"


def test_actionlint_finds_nothing() -> None:
    linted = subprocess.run(
        [tool("actionlint"), *map(str, WORKFLOWS)], capture_output=True, text=True, check=False
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_zizmor_finds_nothing_offline() -> None:
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent))
    assert zizmor is not None, "zizmor is a dev dependency: make .venv/.installed"
    audited = subprocess.run(
        [zizmor, "--offline", "--no-progress", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert audited.returncode == 0, audited.stdout + audited.stderr


def test_every_action_is_pinned_by_its_full_sha_with_its_version_beside_it() -> None:
    for workflow in WORKFLOWS:
        for line in workflow.read_text(encoding="utf-8").splitlines():
            if "uses:" not in line:
                continue
            assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v?\d", line), line


def test_every_job_asks_for_only_what_it_needs() -> None:
    for workflow in WORKFLOWS:
        parsed = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        assert parsed["permissions"] == {}, workflow.name
        for name, job in parsed["jobs"].items():
            assert "permissions" in job, name
            granted = {k for k, v in job["permissions"].items() if v == "write"}
            assert granted <= {"packages", "id-token", "attestations"}, name
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, name


def test_both_pipelines_detect_changes_with_the_same_script_and_build_the_same_image() -> None:
    buildspec = yaml.safe_load(BUILDSPEC.read_text(encoding="utf-8"))
    commands = "\n".join(
        command for phase in buildspec["phases"].values() for command in phase.get("commands", [])
    )
    assert "deploy/pipeline/changed.py" in commands
    assert "--file deploy/Dockerfile" in commands
    assert "--rollback-on-failure" in commands
    [workflow] = [w for w in WORKFLOWS if w.name == "ci.yml"]
    text = workflow.read_text(encoding="utf-8")
    assert "deploy/pipeline/changed.py" in text
    assert "file: deploy/Dockerfile" in text
    assert "--rollback-on-failure" in text
