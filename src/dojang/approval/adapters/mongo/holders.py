"""Who holds a write token, and when that holder is provably gone.

A token names its writer's run: the machine's boot and the process id namespace it runs in
(`host`), its process id, and a random id drawn at start (`run`). Another writer may take a
token over before it is stale only when the holder cannot be writing any more:

- it is this very run, and no write of this token is under way here (the write ended, or
  failed and could not give its token back);
- it ran on this boot, in this process id namespace, and no process has its id now
  (`kill(pid, 0)`: process ids are unique among living processes of a namespace);
- it ran on this boot, in this namespace, with this run's process id, but is another run: a
  process id belongs to one living process, and that is this one.

A process id in use by another process proves nothing (ids are reused), so that token waits
for its staleness. Without `/proc` (not Linux) nothing is ever proven and tokens go stale.
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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def is_gone(token: dict[str, Any]) -> bool:
    """Whether the writer that holds this token is provably not writing any more."""
    me = this_run()
    if token.get("run") == me.run:
        return token["_id"] not in in_flight
    # Another process, even one that has exited, is never proof: a command it sent before
    # it died may still be running on the server (FerretDB applies an update as a read and
    # a write back), so its token is taken over only once it is stale.
    return False
