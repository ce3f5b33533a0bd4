"""Latency, throughput and resources of the distributed stack, beside the embedded mode.

Brings up `scripts/stack` (every service its own process, two replicas of approval-request
and notification, on Kafka, MariaDB, FerretDB and Redis behind nginx) in a temporary
directory with the demo organisation, and, after a warm-up that is not counted:

1. the five services' resident memory at rest (one replica each);
2. open loop: submissions offered at a fixed rate (200/s) whatever the answers; submit
   latency from the moment each was due, achieved throughput, and the wait until every
   accepted one reached its approver (an unread `approval.your_turn`);
3. CPU seconds and RSS of every process over that load: each Dojang process, nginx, Kafka,
   MariaDB, PostgreSQL with FerretDB, Redis (the servers found by their listening ports);
4. decisions: the managers approve what they hold, back to back;
5. end to end: submit → the approver's `approval.your_turn` on a WebSocket opened through
   nginx with a ticket from `POST /api/auth/ws-ticket`, and approve → the requester's
   `approval.approved`.

With `--embedded` the same phases run first against `dojang serve --demo`, and the figures
are printed side by side. Run: `make bench-stack` (or `--help`).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import proc_stats
from approval_load import (
    REQUESTERS,
    Session,
    decisions,
    dojang_server,
    end_to_end,
    fixed_rate,
    free_port,
    held_documents,
    login,
    percentile,
    unread_total,
    wait_for_delivery,
)

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "scripts" / "stack"
MARIADB_CLIENT = os.environ.get("DOJANG_STACK_MARIADB_CLIENT", "/usr/bin/mariadb")
# one replica of each service: what a minimal deployment holds in memory
AT_REST = ("identity", "employee", "approval-request-1", "approval-processing", "notification-1")
REST_TARGET_MIB = 350.0
SUBMIT_P99_TARGET_MS = 30.0
E2E_P99_TARGET_MS = 300.0
# the servers, by the port `scripts/services` gives them (DOJANG_SERVICES_<NAME>_PORT)
SERVERS = (
    ("Kafka (java)", "KAFKA", 19092),
    ("MariaDB (mariadbd)", "MARIADB", 13306),
    ("PostgreSQL", "POSTGRES", 15432),
    ("FerretDB", "FERRETDB", 27018),
    ("Redis", "REDIS", 16379),
)


def server_port(name: str, default: int) -> int:
    return int(os.environ.get(f"DOJANG_SERVICES_{name}_PORT", default))


@dataclass
class Target:
    """Where a benchmarked deployment is, and which processes are its own."""

    url: str
    processes: dict[str, int]  # name → pid of each process (tree) to account for
    # the /metrics of the processes that talk to MongoDB (the approval-request replicas)
    mongo_metrics: list[str] = field(default_factory=list)


@dataclass
class Figures:
    submit: list[float] = field(default_factory=list)
    submit_errors: int = 0
    submit_seconds: float = 0.0
    drained: float = 0.0
    undelivered: int = 0  # accepted submissions not yet at their approver after the limit
    decide: list[float] = field(default_factory=list)
    decide_statuses: dict[int, int] = field(default_factory=dict)
    decide_seconds: float = 0.0
    decide_failed: str = ""  # why the decisions were not measured, if they were not
    # MongoDB commands (round trips) by name over the submissions and their drain, and
    # over the decisions (with the work they cause downstream meanwhile)
    submit_commands: dict[str, float] = field(default_factory=dict)
    decide_commands: dict[str, float] = field(default_factory=dict)
    to_approver: list[float] = field(default_factory=list)
    to_requester: list[float] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # frames not arrived within 10 s
    at_rest: dict[str, proc_stats.Usage] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds over load and drain
    after_load: dict[str, proc_stats.Usage] = field(default_factory=dict)


async def mongo_commands(http: httpx2.AsyncClient, urls: list[str]) -> dict[str, float]:
    """`dojang_mongodb_commands_total` by command, summed over the processes."""
    found: dict[str, float] = {}
    for url in urls:
        text = (await http.get(url)).text
        for line in text.splitlines():
            if line.startswith("dojang_mongodb_commands_total{"):
                labels, value = line.rsplit(" ", 1)
                name = labels.split('command="', 1)[1].split('"', 1)[0]
                found[name] = found.get(name, 0.0) + float(value)
    return found


def difference(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {name: count - before.get(name, 0.0) for name, count in after.items()}


def snapshot(processes: dict[str, int]) -> dict[str, proc_stats.Usage]:
    found = {}
    for name, pid in processes.items():
        measured = proc_stats.usage(pid)
        if measured is not None:
            found[name] = measured
    return found


def stack_processes(root: Path) -> dict[str, int]:
    """The stack's own processes from its pid files, nginx, and the servers by their ports."""
    processes = {
        pid_file.stem: int(pid_file.read_text())
        for pid_file in sorted((root / "run").glob("*.pid"))
    }
    processes["nginx"] = int((root / "nginx" / "nginx.pid").read_text())
    processes.update(server_processes())
    return processes


def server_processes() -> dict[str, int]:
    found = {}
    for label, name, default in SERVERS:
        pid = proc_stats.listener(server_port(name, default))
        if pid is None:
            print(f"{label}: nothing listens on its port; left out", file=sys.stderr)
        else:
            found[label] = pid
    return found


def stack_command(*args: str) -> None:
    subprocess.run([str(STACK), *args], check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def drop_databases(root: Path) -> None:
    """The MariaDB databases `scripts/stack up` created for this directory, named by the
    stack's own rule."""
    sys.path.insert(0, str(ROOT / "scripts"))
    stack = importlib.import_module("stack")
    layout = stack.Layout(root)
    statements = "".join(
        f"DROP DATABASE IF EXISTS `{stack.database_name(layout, service)}`;"
        for service in stack.SQL_SERVICES
    )
    client = [MARIADB_CLIENT, "--no-defaults", "-h", "127.0.0.1", "-u", "root"]
    port = str(server_port("MARIADB", 13306))
    subprocess.run([*client, "-P", port, "-e", statements], check=False)  # noqa: S603


async def logins_work(url: str) -> bool:
    async with httpx2.AsyncClient(base_url=url, timeout=10) as http:
        try:
            for email, manager in REQUESTERS:
                await login(http, email)
                await login(http, manager)
        except httpx2.HTTPError:
            return False
    return True


def stack_root(data_dir: str | None) -> Path:
    return Path(data_dir or tempfile.mkdtemp(prefix="dojang-bench-stack-")).resolve()


@asynccontextmanager
async def distributed(data_dir: str | None) -> AsyncIterator[Target]:
    """`scripts/stack up` with the demo organisation; a given DIR is reused and left up."""
    keep = data_dir is not None
    root = stack_root(data_dir)
    port = free_port()
    state = root / "run" / "stack.json"
    if keep and state.exists():
        port = int(json.loads(state.read_text())["port"])
    url = f"http://127.0.0.1:{port}"
    try:
        print(f"bringing the stack up in {root} ...", file=sys.stderr, flush=True)
        await asyncio.to_thread(stack_command, "up", "--port", str(port), "--data-dir", str(root))
        if not await logins_work(url):
            await asyncio.to_thread(stack_command, "dojang", "--data-dir", str(root), "demo")
        for _ in range(300):
            if await logins_work(url):
                break
            await asyncio.sleep(0.2)
        ports = json.loads(state.read_text())["ports"]
        metrics = [
            f"http://127.0.0.1:{port}/metrics"
            for name, port in sorted(ports.items())
            if name.startswith("approval-request")
        ]
        yield Target(url, stack_processes(root), metrics)
    finally:
        if not keep:
            await asyncio.to_thread(stack_command, "down", "--data-dir", str(root))
            await asyncio.to_thread(drop_databases, root)


@asynccontextmanager
async def embedded() -> AsyncIterator[Target]:
    async with dojang_server(None) as server:
        assert server.pid is not None
        yield Target(server.url, {"dojang serve": server.pid})


async def warm_up(
    http: httpx2.AsyncClient, sessions: list[Session], managers: list[Session]
) -> None:
    """Submissions until every requester's is accepted (the services' copies of the
    organisation have caught up) and delivered; statements and connections are warm after."""
    for _ in range(60):
        before = await unread_total(http, managers)
        accepted, errors, _ = await fixed_rate(http, sessions, 20, 3)
        await wait_for_delivery(http, managers, before + len(accepted))
        if errors == 0:
            return
        await asyncio.sleep(1)
    raise SystemExit("the warm-up's submissions kept failing")


async def measure(target: Target, args: argparse.Namespace) -> Figures:
    figures = Figures()
    limits = httpx2.Limits(
        max_connections=args.users + 16, max_keepalive_connections=args.users + 16
    )
    async with httpx2.AsyncClient(base_url=target.url, limits=limits, timeout=30) as http:
        sessions = [await login(http, email) for email, _ in REQUESTERS]
        managers = [await login(http, email) for email in sorted({m for _, m in REQUESTERS})]
        await warm_up(http, sessions, managers)
        await asyncio.sleep(args.rest_seconds)
        figures.at_rest = snapshot(target.processes)
        before = await unread_total(http, managers)
        started = snapshot(target.processes)
        commands = await mongo_commands(http, target.mongo_metrics)
        figures.submit, figures.submit_errors, figures.submit_seconds = await fixed_rate(
            http, sessions, args.rate, args.rate_seconds
        )
        expected = before + len(figures.submit)
        try:
            figures.drained = await wait_for_delivery(http, managers, expected, args.drain_limit)
        except SystemExit:  # reported as such: the figures of the other phases still count
            figures.drained = args.drain_limit
            figures.undelivered = expected - await unread_total(http, managers)
        figures.after_load = snapshot(target.processes)
        counted = await mongo_commands(http, target.mongo_metrics)
        figures.submit_commands = difference(counted, commands)
        commands = counted
        figures.cpu = {
            name: figures.after_load[name].cpu_seconds - started[name].cpu_seconds
            for name in started
            if name in figures.after_load
        }
        try:
            work: list[tuple[Session, str]] = []
            for manager in managers:
                work += await held_documents(http, manager, args.decisions // len(managers) + 1)
            figures.decide, figures.decide_statuses, figures.decide_seconds = await decisions(
                http, work[: args.decisions], args.users
            )
        except httpx2.TimeoutException as exc:  # reported as such, the other phases still run
            figures.decide_failed = f"{type(exc).__name__} while listing or deciding"
            print(f"decisions not measured: {figures.decide_failed}", file=sys.stderr)
        figures.decide_commands = difference(
            await mongo_commands(http, target.mongo_metrics), commands
        )
        figures.to_approver, figures.to_requester = await end_to_end(
            http, target.url, args.samples, args.pairs, figures.missed
        )
    return figures


def millis(values: list[float], p: float) -> str:
    if not values:
        return "-"
    value = statistics.median(values) if p == 50 else percentile(values, p)
    return f"{value:.1f} ms"


def delivered(figures: Figures) -> str:
    if figures.undelivered:
        return f"{figures.undelivered} not in {figures.drained:.0f} s"
    return f"{figures.drained:.2f} s"


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def report(runs: dict[str, Figures], args: argparse.Namespace) -> None:
    modes = list(runs)
    width = 40

    def row(name: str, cells: list[str]) -> None:
        print(f"{name:<{width}}" + "".join(f"{cell:>22}" for cell in cells))

    print()
    row("figure", modes)
    for p in (50, 95, 99):
        row(f"submit p{p} at {args.rate:g}/s offered", [millis(runs[m].submit, p) for m in modes])
    row(
        "submissions accepted per second",
        [f"{len(runs[m].submit) / runs[m].submit_seconds:.1f}/s" for m in modes],
    )
    row("WebSocket frames not arrived in 10 s", [str(len(runs[m].missed)) for m in modes])
    row("submit errors", [str(runs[m].submit_errors) for m in modes])
    row("backlog delivered after the last answer", [delivered(runs[m]) for m in modes])
    row(
        "submissions completed per second",
        [
            f"{len(runs[m].submit) / (runs[m].submit_seconds + runs[m].drained):.1f}/s"
            for m in modes
        ],
    )
    for p in (50, 99):
        row(
            f"decide (approve) p{p}, {args.users} back to back",
            [millis(runs[m].decide, p) for m in modes],
        )
    row(
        "decisions per second",
        [
            f"{len(runs[m].decide) / runs[m].decide_seconds:.1f}/s"
            if runs[m].decide_seconds
            else runs[m].decide_failed or "-"
            for m in modes
        ],
    )
    for p in (50, 95, 99):
        row(f"submit -> approver's WS p{p}", [millis(runs[m].to_approver, p) for m in modes])
    for p in (50, 99):
        row(f"approve -> requester's WS p{p}", [millis(runs[m].to_requester, p) for m in modes])
    for mode, figures in runs.items():
        print()
        wall = figures.submit_seconds + figures.drained
        print(
            f"{mode}: processes over the {args.rate:g}/s load and its drain ({wall:.1f} s); "
            "RSS and PSS after it"
        )
        heads = ("CPU s", 8), ("of a core", 11), ("RSS MiB", 10), ("PSS MiB", 10), ("peak RSS", 10)
        print(f"  {'process':<24}" + "".join(f"{head:>{cells}}" for head, cells in heads))
        for name, used in figures.after_load.items():
            cpu = figures.cpu.get(name, 0.0)
            print(
                f"  {name:<24}{cpu:>8.2f}{cpu / wall:>11.0%}{used.rss_mib:>10.1f}"
                f"{used.pss_mib:>10.1f}{used.peak_rss_mib:>10.1f}"
            )
        total = sum(figures.cpu.values())
        print(f"  {'all of these':<24}{total:>8.2f}{total / wall:>11.0%}")
        if figures.submit:
            print(
                f"  CPU per submission, all of these: {total / len(figures.submit) * 1000:.1f} ms"
            )
    for mode, figures in runs.items():
        for phase, counts, done in (
            ("submission", figures.submit_commands, len(figures.submit)),
            ("decision", figures.decide_commands, len(figures.decide)),
        ):
            if counts and done:
                per = ", ".join(f"{name} {n / done:.2f}" for name, n in sorted(counts.items()))
                print(
                    f"{mode}: MongoDB commands per {phase} (with its downstream work): "
                    f"{sum(counts.values()) / done:.2f} ({per})"
                )
    if "distributed" in runs:
        targets(runs["distributed"], args)
    print(f"load average at the end: {load_average()} ({os.cpu_count()} cores)")


def targets(stack: Figures, args: argparse.Namespace) -> None:
    print()
    rest = {name: stack.at_rest[name].rss_mib for name in AT_REST if name in stack.at_rest}
    rest_mib = sum(rest.values())
    parts = ", ".join(f"{name} {mib:.0f}" for name, mib in rest.items())
    met = len(rest) == len(AT_REST) and rest_mib < REST_TARGET_MIB
    print(
        f"five services at rest, one replica each, after the warm-up: {rest_mib:.1f} MiB RSS "
        f"({parts}); target < {REST_TARGET_MIB:.0f} MiB: {verdict(met)}"
    )
    if stack.submit:
        p99 = percentile(stack.submit, 99)
        print(
            f"submit p99 at {args.rate:g}/s offered: {p99:.1f} ms; "
            f"target <= {SUBMIT_P99_TARGET_MS:.0f} ms: {verdict(p99 <= SUBMIT_P99_TARGET_MS)}"
        )
    if stack.to_approver:
        p99 = percentile(stack.to_approver, 99)
        print(
            f"submit -> approver's WebSocket p99: {p99:.1f} ms; "
            f"target <= {E2E_P99_TARGET_MS:.0f} ms: {verdict(p99 <= E2E_P99_TARGET_MS)}"
        )


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200, help="offered submissions per second")
    parser.add_argument("--rate-seconds", type=float, default=10, help="open-loop phase length")
    parser.add_argument("--users", type=int, default=32, help="concurrent approvers deciding")
    parser.add_argument("--decisions", type=int, default=1000, help="approvals to measure")
    parser.add_argument("--samples", type=int, default=200, help="end-to-end samples")
    parser.add_argument("--pairs", type=int, default=4, help="concurrent requester/approver pairs")
    parser.add_argument("--rest-seconds", type=float, default=5, help="quiet before 'at rest'")
    parser.add_argument(
        "--drain-limit", type=float, default=120, help="seconds to wait for the backlog"
    )
    parser.add_argument("--embedded", action="store_true", help="run the embedded mode first")
    parser.add_argument("--data-dir", help="a stack directory to reuse (and leave up)")
    args = parser.parse_args()
    print(f"load average at the start: {load_average()}")
    runs: dict[str, Figures] = {}
    if args.embedded:
        async with embedded() as target:
            runs["embedded"] = await measure(target, args)
    async with distributed(args.data_dir) as target:
        runs["distributed"] = await measure(target, args)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"\n{started}; open loop {args.rate:g}/s for {args.rate_seconds:g} s")
    report(runs, args)


if __name__ == "__main__":
    asyncio.run(main())
