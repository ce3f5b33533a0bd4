"""The pipeline's change detection (deploy/pipeline/changed.py), run as the pipelines run
it, on a temporary git repository with commits that touch different parts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.tools import ROOT

SCRIPT = ROOT / "deploy" / "pipeline" / "changed.py"


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Dojang", "-c", "user.email=ci@dojang.example", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _commit(repo: Path, *paths: str) -> str:
    for path in paths:
        file = repo / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f"{file.read_text() if file.exists() else ''}change\n", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", f"change {' '.join(paths)}")
    return _git(repo, "rev-parse", "HEAD")


def _changed(repo: Path, base: str, head: str, *flags: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), base, head, *flags],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q", "-b", "main")
    _commit(tmp_path, "README.md", "src/dojang/kernel/db.py", "web/src/main.tsx")
    return tmp_path


ALL = ["identity", "employee", "approval-request", "approval-processing", "notification"]


@pytest.mark.parametrize(
    ("paths", "wanted"),
    [
        (["src/dojang/approval/domain/line.py"], ["approval-request", "tests"]),
        (["src/dojang/processing/inbox.py"], ["approval-processing", "tests"]),
        (["src/dojang/kernel/db.py"], [*ALL, "tests"]),
        (["deploy/Dockerfile"], [*ALL, "tests"]),
        (["web/src/main.tsx"], ["identity", "web", "tests"]),
        (["deploy/helm/dojang/values.yaml"], ["chart", "tests"]),
        (["docs/deploy.md", "README.md"], []),
        (
            ["src/dojang/employee/api/leave.py", "src/dojang/notification/fanout.py"],
            ["employee", "notification", "tests"],
        ),
    ],
)
def test_a_commit_changes_what_its_paths_belong_to(
    repo: Path, paths: list[str], wanted: list[str]
) -> None:
    base = _git(repo, "rev-parse", "HEAD")
    head = _commit(repo, *paths)
    assert _changed(repo, base, head) == wanted


def test_a_range_of_commits_adds_up_and_github_gets_every_name(repo: Path) -> None:
    base = _git(repo, "rev-parse", "HEAD")
    _commit(repo, "src/dojang/identity/api/auth.py")
    head = _commit(repo, "deploy/helm/dojang/templates/ingress.yaml")
    output = dict(line.split("=") for line in _changed(repo, base, head, "--github-output"))
    assert output == {
        "identity": "true",
        "employee": "false",
        "approval-request": "false",
        "approval-processing": "false",
        "notification": "false",
        "web": "false",
        "chart": "true",
        "tests": "true",
    }
