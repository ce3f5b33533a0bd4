"""CPU time and memory of process trees, read from Linux's /proc.

A tree is a process and everything below it (nginx's workers, PostgreSQL's backends). Its
CPU time is each live member's own time plus what it collected from children that have
exited (`cutime`, `cstime`), so a backend that came and went within a measurement is still
counted once; its RSS is the sum of the members' resident sets (pages shared between
members, such as PostgreSQL's shared buffers, are counted in each).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
LISTEN = "0A"  # the TCP state of a listening socket in /proc/net/tcp


@dataclass(frozen=True)
class Usage:
    cpu_seconds: float
    rss_mib: float
    peak_rss_mib: float  # the largest the members' resident sets have been (VmHWM)
    pss_mib: float  # shared pages divided among the processes sharing them
    processes: int


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    return children


def tree(pid: int) -> list[int]:
    """`pid` and its descendants that are alive now."""
    children = _children()
    members, stack = [], [pid]
    while stack:
        member = stack.pop()
        members.append(member)
        stack.extend(children.get(member, []))
    return members


def _cpu(pid: int) -> float:
    fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    # after the command: state is field 3 of stat(5), utime..cstime are 14..17
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _memory_kib(pid: int) -> tuple[int, int]:
    rss = peak = 0
    for line in (PROC / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        elif line.startswith("VmHWM:"):
            peak = int(line.split()[1])
    return rss, peak


def _pss_kib(pid: int) -> int:
    for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def usage(pid: int) -> Usage | None:
    """The tree of `pid` now, or None when `pid` is gone."""
    cpu, rss, peak, pss, alive = 0.0, 0, 0, 0, 0
    for member in tree(pid):
        try:
            member_cpu = _cpu(member)
            member_rss, member_peak = _memory_kib(member)
            member_pss = _pss_kib(member)
        except (OSError, IndexError, ValueError):
            continue  # exited meanwhile: its parent's cutime counts it from now on
        cpu += member_cpu
        rss += member_rss
        peak += member_peak
        pss += member_pss
        alive += 1
    if alive == 0:
        return None
    return Usage(cpu, rss / 1024, peak / 1024, pss / 1024, alive)


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == LISTEN and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def listener(port: int) -> int | None:
    """The process listening on TCP `port` (the parent, when workers share the socket)."""
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    if not wanted:
        return None
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            descriptors = list((entry / "fd").iterdir())
        except OSError:
            continue
        for descriptor in descriptors:
            try:
                if os.readlink(descriptor) in wanted:
                    found.append(int(entry.name))
                    break
            except OSError:
                continue
    for pid in found:  # the one whose parent does not share the socket
        try:
            parent = int((PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent not in found:
            return pid
    return None
