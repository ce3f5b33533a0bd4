"""Every dependency is pinned with its files' hashes, and what is tested is what ships.

`scripts/lock` writes the two Python locks from pyproject.toml; web/package-lock.json is npm's.
These checks fail when a requirement is added or tightened without re-locking, when a pin
loses its hashes, or when an install path stops checking them (docs/supply-chain.md).
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)")


def pinned(lock: Path) -> dict[str, tuple[str, int]]:
    """Each pin of `lock`: its version and how many hashes follow it."""
    found: dict[str, tuple[str, int]] = {}
    name = ""
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            name = canonicalize_name(match["name"])
            found[name] = (match["version"], 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
        elif line and not line.startswith((" ", "#")):
            raise AssertionError(f"{lock.name}: {line!r} is not an exact pin")
    return found


def requirements(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = list(project["dependencies"])
    for extra in extras:
        listed += project["optional-dependencies"][extra]
    return [Requirement(text) for text in listed]


@pytest.mark.parametrize(
    ("lock", "extras"), [(RUNTIME_LOCK, ("lambda",)), (DEV_LOCK, ("lambda", "dev"))]
)
def test_every_requirement_is_met_by_a_hashed_pin(lock: Path, extras: tuple[str, ...]) -> None:
    pins = pinned(lock)
    assert pins, f"{lock.name} pins nothing"
    unhashed = sorted(name for name, (_, hashes) in pins.items() if hashes == 0)
    assert unhashed == [], f"{lock.name}: pins without hashes: {unhashed}"
    unmet = [
        str(requirement)
        for requirement in requirements(*extras)
        if canonicalize_name(requirement.name) not in pins
        or not requirement.specifier.contains(
            pins[canonicalize_name(requirement.name)][0], prereleases=True
        )
    ]
    assert unmet == [], f"{lock.name} is behind pyproject.toml for {unmet}: run scripts/lock"


def test_the_tests_run_on_the_versions_that_ship() -> None:
    runtime = {name: version for name, (version, _) in pinned(RUNTIME_LOCK).items()}
    development = {name: version for name, (version, _) in pinned(DEV_LOCK).items()}
    differing = {
        name: (version, development.get(name))
        for name, version in runtime.items()
        if development.get(name) != version
    }
    assert differing == {}


def test_installs_check_the_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes -r requirements-dev.lock" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "--require-hashes --wheel-dir /wheels -r requirements.lock" in dockerfile
    assert "--no-index --no-deps /wheels/*.whl" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "!requirements.lock" in ignored


def test_every_npm_package_is_pinned_with_its_integrity() -> None:
    lock = json.loads((ROOT / "web" / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["lockfileVersion"] >= 3
    packages = {path: entry for path, entry in lock["packages"].items() if path}
    assert packages
    unpinned = sorted(
        path
        for path, entry in packages.items()
        if not entry.get("link") and not str(entry.get("integrity", "")).startswith("sha512-")
    )
    assert unpinned == []
