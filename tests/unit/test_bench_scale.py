"""`bench/scale.py` runs end to end at a tiny size and prints its table (a smoke test: the
figures themselves are for bench/README.md, not for CI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "scale.py"


def test_the_scale_benchmark_prints_its_table(tmp_path: Path) -> None:
    command = [sys.executable, str(SCRIPT), "--sizes", "12,24", "--samples", "3"]
    command += ["--ceiling-seconds", "0", "--data-dir", str(tmp_path / "data")]
    finished = subprocess.run(  # noqa: S603 - this interpreter on the repository's script
        command,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    table = finished.stdout
    for row in ("box=submitted", "box=completed", "q= rare word", "inbox pending", "start-up s"):
        assert row in table, table
    assert "MiB per 1k docs" in table
