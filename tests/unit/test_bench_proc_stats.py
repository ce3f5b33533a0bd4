"""`bench/proc_stats.py` on this machine's /proc: a listener found by its port, and a child's
CPU time still counted in its parent's tree after the child has exited."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

PATH = Path(__file__).resolve().parents[2] / "bench" / "proc_stats.py"

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="Linux only")


def proc_stats() -> ModuleType:
    spec = importlib.util.spec_from_file_location("proc_stats", PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("proc_stats", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_listener_of_a_port_is_the_process_holding_its_socket() -> None:
    stats = proc_stats()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        assert stats.listener(port) is None  # bound, not listening
        sock.listen()
        assert stats.listener(port) == os.getpid()


def test_a_tree_keeps_the_cpu_time_of_children_that_exited() -> None:
    stats = proc_stats()
    spin = "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass"
    parent = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            f"import subprocess, sys, time\n"
            f"subprocess.run([sys.executable, '-c', {spin!r}])\ntime.sleep(30)",
        ],
    )
    try:
        for _ in range(200):
            usage = stats.usage(parent.pid)
            if usage is not None and usage.processes == 1 and usage.cpu_seconds >= 0.5:
                break
            subprocess.run(["sleep", "0.05"], check=True)  # noqa: S607
        assert usage is not None
        assert usage.processes == 1  # the child is gone
        assert usage.cpu_seconds >= 0.5  # and its half second is still the tree's
        assert usage.rss_mib > 0
    finally:
        parent.kill()
        parent.wait()
