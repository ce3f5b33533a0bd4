"""The deployment checks' tools, installed once per version by `scripts/tools`."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "dojang"
EXAMPLES = sorted((CHART / "examples").glob("*.yaml"))
RELEASE, NAMESPACE = "dojang", "dojang"


@functools.cache
def tool(name: str) -> str:
    """The executable of `name` (helm, checkov), built or installed first if missing."""
    found = subprocess.run(
        [str(ROOT / "scripts" / "tools"), "path", name],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    assert found.returncode == 0, found.stderr
    return found.stdout.strip()


def helm(*args: str, values: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [tool("helm"), *args]
    if values is not None:
        command += ["--values", str(values)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


def render(values: Path) -> str:
    """`helm template` of the chart with one example values file."""
    rendered = helm("template", RELEASE, str(CHART), "--namespace", NAMESPACE, values=values)
    assert rendered.returncode == 0, rendered.stderr
    return rendered.stdout
