"""Who holds a write token, and when that holder is provably gone.

A token names its writer's run: the machine's boot and the process id namespace it runs in
(`host`), its process id, and a random id drawn at start (`run`). Another writer takes a
token over before it is stale only when it is this very run's and no write of it is under
way here (the write ended, or failed and could not give its token back).

Any other holder waits for its staleness, even a process that has exited: a command it sent
before it died may still be running on the server (FerretDB applies a conditional update as
a read and a write back), so its exit proves nothing about its last write.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

in_flight: set[str] = set()
"""The tokens this process holds for a write that is under way."""


def _host() -> str | None:
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return None
    return f"{boot}/{namespace}"


@dataclass(frozen=True)
class Run:
    """One run of a process, as a token names it."""

    host: str | None
    pid: int
    run: str

    def record(self) -> dict[str, Any]:
        """The fields a token of this run carries."""
        return {"host": self.host, "pid": self.pid, "run": self.run}


def _new_run() -> Run:
    return Run(host=_host(), pid=os.getpid(), run=secrets.token_hex(8))


_this_run = _new_run()


def _after_fork() -> None:
    global _this_run
    _this_run = _new_run()
    in_flight.clear()


os.register_at_fork(after_in_child=_after_fork)


def this_run() -> Run:
    """This process's run (a forked child is a run of its own)."""
    return _this_run


def is_gone(token: dict[str, Any]) -> bool:
    """Whether the writer that holds this token is provably not writing any more."""
    me = this_run()
    if token.get("run") == me.run:
        return token["_id"] not in in_flight
    # Another process, even one that has exited, is never proof: a command it sent before
    # it died may still be running on the server (FerretDB applies an update as a read and
    # a write back), so its token is taken over only once it is stale.
    return False
