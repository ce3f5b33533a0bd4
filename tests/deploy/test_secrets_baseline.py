"""The secret scanner's baseline (`scripts/scan-secrets`) forgives nothing in shipped code
but the few reviewed non-secrets: example URLs in setting descriptions, the demo password
and the development secret that production refuses."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REVIEWED_IN_SOURCE = {
    "src/dojang/demo.py": {"Secret Keyword"},  # the demo password, refused in production
    "src/dojang/kernel/settings.py": {"Secret Keyword"},  # the development secret, ditto
}


def baseline() -> dict[str, list[dict[str, object]]]:
    loaded: dict[str, list[dict[str, object]]] = json.loads(
        (ROOT / ".secrets.baseline").read_text(encoding="utf-8")
    )["results"]
    return loaded


def test_shipped_code_has_only_the_reviewed_findings() -> None:
    unexpected = [
        (path, finding["type"], finding["line_number"])
        for path, findings in baseline().items()
        if path.startswith("src/")
        for finding in findings
        if finding["type"] not in REVIEWED_IN_SOURCE.get(path, set())
        and not (path.endswith("/settings.py") and finding["type"] == "Basic Auth Credentials")
    ]
    assert unexpected == []


def test_the_baseline_names_only_files_that_exist() -> None:
    tracked = set(
        subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.splitlines()
    )
    assert set(baseline()) - tracked == set()
