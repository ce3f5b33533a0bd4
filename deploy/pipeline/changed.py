#!/usr/bin/env python3
"""Which Dojang artifacts a range of commits changes: the pipeline's change detection.

    python3 deploy/pipeline/changed.py BASE [HEAD]      one name per line
    python3 deploy/pipeline/changed.py BASE HEAD --github-output   name=true|false lines

Names: the five services (identity, employee, approval-request, approval-processing,
notification), `web` (the web app), `chart` (deploy/helm) and `tests` (anything the test
suite must run for). A change to what every service is built from (the kernel, the
composition, the packaging, the image) changes every service. Both GitHub Actions
(.github/workflows/ci.yml) and AWS CodeBuild (deploy/pipeline/buildspec.yml) call this file,
so both build the same things for the same commits. Standard library only.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from fnmatch import fnmatch

SERVICES = ("identity", "employee", "approval-request", "approval-processing", "notification")
NAMES = (*SERVICES, "web", "chart", "tests")

# (pattern, what it changes); "*" is every service. The first rule that matches wins.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("docs/*", ()),
    ("*.md", ()),
    ("src/dojang/identity/*", ("identity",)),
    ("src/dojang/employee/*", ("employee",)),
    ("src/dojang/approval/*", ("approval-request",)),
    ("src/dojang/processing/*", ("approval-processing",)),
    ("src/dojang/notification/*", ("notification",)),
    ("src/*", ("*",)),
    ("pyproject.toml", ("*",)),
    ("deploy/Dockerfile", ("*",)),
    (".dockerignore", ("*",)),
    ("web/*", ("web", "identity")),  # identity's image serves the web app in Kubernetes
    ("deploy/helm/*", ("chart",)),
)
TESTED = (
    "src/*",
    "tests/*",
    "web/*",
    "deploy/*",
    "scripts/*",
    ".github/*",
    "pyproject.toml",
    "Makefile",
)


def affected(paths: Iterable[str]) -> set[str]:
    """The names the changed `paths` (relative to the repository's root) affect."""
    found: set[str] = set()
    for path in paths:
        if any(fnmatch(path, pattern) for pattern in TESTED):
            found.add("tests")
        for pattern, names in RULES:
            if fnmatch(path, pattern):
                found.update(SERVICES if "*" in names else names)
                break
    return found


def changed_paths(base: str, head: str) -> list[str]:
    """The paths `git diff` names between the two commits (renames: both sides)."""
    listed = subprocess.run(  # noqa: S603 - git from PATH, as every pipeline runs it
        ["git", "diff", "--name-only", "--no-renames", f"{base}...{head}"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in listed.stdout.splitlines() if line]


def main(argv: list[str]) -> int:
    arguments = [a for a in argv if not a.startswith("--")]
    if not 1 <= len(arguments) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    base, head = arguments[0], arguments[1] if len(arguments) == 2 else "HEAD"
    names = affected(changed_paths(base, head))
    if "--github-output" in argv:
        for name in NAMES:
            print(f"{name}={'true' if name in names else 'false'}")
    else:
        for name in NAMES:
            if name in names:
                print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
