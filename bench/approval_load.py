"""Load and latency benchmark of the approval workflow against a real `dojang serve`.

First measures the ceiling of the stack on this machine today: a minimal FastAPI endpoint
(`ceiling_app.py`) served with the settings of `dojang serve`, loaded by `wrk`; every rate
below is printed beside it as a ratio, since figures on a shared machine vary from day to
day. Then it starts `dojang serve --demo` on a free loopback port (or uses `--url`), and:

1. throughput: N simulated users submit `general` documents as fast as they can for a
   fixed time; prints submit latency percentiles and submissions per second;
2. decisions: the managers approve what they hold (`box=inbox`) back to back; prints decide
   latency percentiles, decisions per second and the server's CPU per decision (a 200
   answer is a decision on the line: nothing is left to wait for);
3. end to end: for a sample of documents, the time from a submit's response to the first
   approver's `approval.your_turn` on their WebSocket, and from an approve's response to the
   requester's `approval.approved` on theirs.

Run: `make bench` (or `.venv/bin/python bench/approval_load.py --help`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
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
from websockets.asyncio.client import ClientConnection, connect

from dojang.demo import DEMO_PASSWORD

REQUESTERS = [  # staff and seniors of the demo organisation, with their direct managers
    ("haeun.jung@dojang.example", "seoyeon.park@dojang.example"),
    ("jiho.kang@dojang.example", "seoyeon.park@dojang.example"),
    ("yerin.cho@dojang.example", "seoyeon.park@dojang.example"),
    ("minjun.choi@dojang.example", "seoyeon.park@dojang.example"),
    ("sea.oh@dojang.example", "subin.lim@dojang.example"),
    ("jian.seo@dojang.example", "subin.lim@dojang.example"),
    ("doyoon.han@dojang.example", "subin.lim@dojang.example"),
    ("bora.hwang@dojang.example", "yuna.shin@dojang.example"),
    ("taeo.kwon@dojang.example", "yuna.shin@dojang.example"),
    ("haneul.ryu@dojang.example", "jaeseok.ahn@dojang.example"),
]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary(name: str, millis: list[float]) -> str:
    """One line: count, median and tail percentiles in milliseconds."""
    if not millis:
        return f"{name:<34} no samples"
    return (
        f"{name:<34} n={len(millis):<6} p50={statistics.median(millis):7.2f} ms  "
        f"p95={percentile(millis, 95):7.2f} ms  p99={percentile(millis, 99):7.2f} ms  "
        f"max={max(millis):7.2f} ms"
    )


@dataclass
class Session:
    email: str
    user_id: str
    headers: dict[str, str]


@dataclass
class Inbox:
    """Notifications arriving on one user's WebSocket, with their arrival time."""

    socket: ClientConnection
    arrivals: dict[tuple[str, str], float] = field(default_factory=dict)
    waiters: dict[tuple[str, str], asyncio.Future[float]] = field(default_factory=dict)

    async def pump(self) -> None:
        async for raw in self.socket:
            now = time.perf_counter()
            message = json.loads(raw)
            if message.get("type") != "notification":
                continue
            data = message["data"]
            key = (data["type"], data["approval_id"])
            self.arrivals[key] = now
            waiter = self.waiters.pop(key, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(now)

    async def arrival_of(self, kind: str, approval_id: str, timeout: float) -> float:
        key = (kind, approval_id)
        if key in self.arrivals:
            return self.arrivals[key]
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters[key] = future
        async with asyncio.timeout(timeout):
            return await future


async def login(http: httpx2.AsyncClient, email: str) -> Session:
    answer = await http.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    answer.raise_for_status()
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    me = await http.get("/api/auth/me", headers=headers)
    me.raise_for_status()
    return Session(email, me.json()["employee"]["id"], headers)


@asynccontextmanager
async def inbox_of(
    http: httpx2.AsyncClient, base_url: str, session: Session
) -> AsyncIterator[Inbox]:
    ticket = (await http.post("/api/auth/ws-ticket", headers=session.headers)).json()["ticket"]
    ws_url = base_url.replace("http://", "ws://") + f"/ws/notifications?ticket={ticket}"
    async with connect(ws_url) as socket_:
        inbox = Inbox(socket_)
        pump = asyncio.create_task(inbox.pump())
        try:
            yield inbox
        finally:
            pump.cancel()


def load_document(label: str) -> dict[str, object]:
    """A `general` document on the requester's default line."""
    return {
        "form": "general",
        "title": f"Load test {label}",
        "content": "Benchmark document",
        "fields": {},
    }


async def fixed_rate(
    http: httpx2.AsyncClient, sessions: list[Session], rate: float, seconds: float
) -> tuple[list[float], int, float]:
    """Open loop: submissions arrive `rate` times a second, whether or not earlier ones
    have been answered; each latency runs from the moment its submission was due, so a
    server that falls behind is charged for the queue it builds (no coordinated omission)."""
    latencies: list[float] = []
    errors = 0

    async def submit(index: int, due: float) -> None:
        nonlocal errors
        session = sessions[index % len(sessions)]
        try:
            answer = await http.post(
                "/api/approvals", json=load_document(f"rate-{index}"), headers=session.headers
            )
        except httpx2.TimeoutException:
            # not answered within the client's 30 s, or no connection free for as long (an
            # offer far above what a loaded machine serves): counted, and the run goes on
            errors += 1
            return
        if answer.status_code == 201:
            latencies.append((time.perf_counter() - due) * 1000)
        else:
            errors += 1

    started = time.perf_counter()
    pending: list[asyncio.Task[None]] = []
    for index in range(round(rate * seconds)):
        due = started + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        pending.append(asyncio.create_task(submit(index, due)))
    await asyncio.gather(*pending)
    return latencies, errors, time.perf_counter() - started


async def throughput(
    http: httpx2.AsyncClient, sessions: list[Session], users: int, seconds: float
) -> tuple[list[float], int, float]:
    """Submit as fast as `users` concurrent users can for `seconds`."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def user(index: int) -> None:
        nonlocal errors
        session = sessions[index % len(sessions)]
        n = 0
        while time.perf_counter() < deadline:
            n += 1
            body = load_document(f"{index}-{n}")
            started = time.perf_counter()
            answer = await http.post("/api/approvals", json=body, headers=session.headers)
            elapsed = time.perf_counter() - started
            if answer.status_code == 201:
                latencies.append(elapsed * 1000)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(user(i) for i in range(users)))
    return latencies, errors, time.perf_counter() - started


async def end_to_end(
    http: httpx2.AsyncClient,
    base_url: str,
    samples: int,
    concurrency: int,
    missed: list[str] | None = None,
) -> tuple[list[float], list[float]]:
    """Submit → approver's your_turn, and approve → requester's approved, over WebSockets.

    A frame that does not arrive within 10 s ends the run, or, given `missed`, is listed
    there (with the document's id) and its sample left out."""
    to_approver: list[float] = []
    to_requester: list[float] = []
    pairs = REQUESTERS[:concurrency]
    gate = asyncio.Semaphore(concurrency)

    async def pair(requester_email: str, approver_email: str, count: int) -> None:
        requester = await login(http, requester_email)
        approver = await login(http, approver_email)
        async with (
            inbox_of(http, base_url, requester) as requester_inbox,
            inbox_of(http, base_url, approver) as approver_inbox,
        ):
            for n in range(count):
                async with gate:
                    body = {
                        "form": "general",
                        "title": f"Latency sample {n}",
                        "content": "",
                        "fields": {},
                        "line": [
                            {"kind": "approval", "approvers": [approver.user_id], "rule": "all"}
                        ],
                    }
                    answer = await http.post("/api/approvals", json=body, headers=requester.headers)
                    answered = time.perf_counter()
                    answer.raise_for_status()
                    approval_id = answer.json()["id"]
                    try:
                        arrived = await approver_inbox.arrival_of(
                            "approval.your_turn", approval_id, 10
                        )
                    except TimeoutError:
                        if missed is None:
                            raise
                        missed.append(f"your_turn {approval_id}")
                        continue
                    to_approver.append((arrived - answered) * 1000)
                    decided = await http.post(
                        f"/api/approvals/{approval_id}/approve", json={}, headers=approver.headers
                    )
                    decided_at = time.perf_counter()
                    decided.raise_for_status()
                    try:
                        arrived = await requester_inbox.arrival_of(
                            "approval.approved", approval_id, 10
                        )
                    except TimeoutError:
                        if missed is None:
                            raise
                        missed.append(f"approved {approval_id}")
                        continue
                    to_requester.append((arrived - decided_at) * 1000)

    per_pair = max(1, samples // len(pairs))
    await asyncio.gather(*(pair(r, a, per_pair) for r, a in pairs))
    return to_approver, to_requester


async def unread_total(http: httpx2.AsyncClient, people: list[Session]) -> int:
    """The sum of these people's unread notification counts."""
    total = 0
    for person in people:
        answer = await http.get("/api/notifications/unread-count", headers=person.headers)
        total += int(answer.json()["count"])
    return total


async def wait_for_delivery(
    http: httpx2.AsyncClient, approvers: list[Session], expected: int, timeout: float = 300
) -> float:
    """Wait until the first approvers hold `expected` unread notifications; seconds waited.

    Every accepted submission ends in exactly one `approval.your_turn` for the requester's
    manager, so this is the moment the whole backlog (tasks, notifications) has been applied.
    """
    started = time.perf_counter()
    while await unread_total(http, approvers) < expected:
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"the notifications of {expected} submissions did not all arrive")
        await asyncio.sleep(0.02)
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cpu_seconds(pid: int | None) -> float | None:
    """CPU time a process has used so far (user and system, all its threads); Linux only."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    url: str
    pid: int | None  # known when the benchmark started it


@asynccontextmanager
async def dojang_server(url: str | None) -> AsyncIterator[Server]:
    if url:
        yield Server(url, None)
        return
    port = free_port()
    data_dir = tempfile.mkdtemp(prefix="dojang-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    env["DOJANG_LOG_LEVEL"] = "WARNING"
    script = Path(sys.executable).with_name("dojang")
    log = Path(data_dir) / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            [str(script), "serve", "--demo", "--port", str(port), "--data-dir", data_dir],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx2.AsyncClient(base_url=base) as http:
            for _ in range(600):
                try:
                    if (await http.get("/readyz")).status_code == 200:
                        break
                except httpx2.TransportError:
                    pass
                if process.poll() is not None:
                    raise SystemExit(f"dojang serve exited:\n{log.read_text()}")
                await asyncio.sleep(0.1)
        yield Server(base, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


async def held_documents(
    http: httpx2.AsyncClient, manager: Session, wanted: int
) -> list[tuple[Session, str]]:
    """Up to `wanted` documents whose open slot the manager holds (box=inbox)."""
    found: list[tuple[Session, str]] = []
    cursor: str | None = None
    while len(found) < wanted:
        params: dict[str, str | int] = {"box": "inbox", "limit": 200}
        if cursor:
            params["cursor"] = cursor
        page = (await http.get("/api/approvals", params=params, headers=manager.headers)).json()
        found.extend((manager, item["id"]) for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    return found[:wanted]


async def decisions(
    http: httpx2.AsyncClient, work: list[tuple[Session, str]], users: int
) -> tuple[list[float], dict[int, int], float]:
    """`users` approvers deciding back to back: latencies (ms), status counts, elapsed s."""
    queue = list(reversed(work))
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def approver() -> None:
        while queue:
            manager, document_id = queue.pop()
            started = time.perf_counter()
            answer = await http.post(
                f"/api/approvals/{document_id}/approve", json={}, headers=manager.headers
            )
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            if answer.is_success:
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(approver() for _ in range(users)))
    return latencies, statuses, time.perf_counter() - started


async def ceiling(seconds: float, connections: int) -> tuple[float | None, str]:
    """Requests per second of a minimal FastAPI endpoint under `wrk`, served like Dojang."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None, "wrk not found (Debian: apt-get install wrk)"
    port = free_port()
    app = Path(__file__).with_name("ceiling_app.py")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, str(app), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        async with httpx2.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            for _ in range(100):
                try:
                    if (await http.get("/ping")).status_code == 200:
                        break
                except httpx2.TransportError:
                    await asyncio.sleep(0.1)
        run = await asyncio.create_subprocess_exec(
            wrk,
            "-t1",
            f"-c{connections}",
            f"-d{seconds:g}s",
            f"http://127.0.0.1:{port}/ping",
            stdout=subprocess.PIPE,
        )
        output, _ = await run.communicate()
    finally:
        server.terminate()
        server.wait(timeout=30)
    for line in output.decode().splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1]), f"wrk -t1 -c{connections} -d{seconds:g}s"
    return None, "wrk printed no rate"


def against(rate: float, top: float | None) -> str:
    """A rate beside the ceiling, as a ratio."""
    return "" if top is None else f" = {rate / top:.3f} of the ceiling"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an already running Dojang with the demo organisation")
    parser.add_argument("--users", type=int, default=32, help="concurrent simulated users")
    parser.add_argument("--seconds", type=float, default=10, help="throughput phase length")
    parser.add_argument(
        "--rates",
        type=lambda text: [float(rate) for rate in text.split(",") if rate],
        default=[250.0, 1000.0],
        help="offered rates (submissions per second) of the open-loop phases, comma-separated",
    )
    parser.add_argument("--rate-seconds", type=float, default=5, help="open-loop phase length")
    parser.add_argument("--samples", type=int, default=200, help="end-to-end samples")
    parser.add_argument("--pairs", type=int, default=4, help="concurrent requester/approver pairs")
    parser.add_argument("--decisions", type=int, default=2000, help="approvals to measure")
    parser.add_argument("--ceiling-seconds", type=float, default=10, help="wrk run length")
    args = parser.parse_args()
    top, how = await ceiling(args.ceiling_seconds, args.users)
    print(
        f"{'ceiling (minimal FastAPI endpoint)':<34} "
        + (f"{top:.0f} requests per second ({how})" if top is not None else how)
    )
    async with dojang_server(args.url) as server:
        base = server.url
        limits = httpx2.Limits(
            max_connections=args.users + 16, max_keepalive_connections=args.users + 16
        )
        async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
            sessions = [await login(http, email) for email, _ in REQUESTERS]
            managers = [await login(http, email) for email in sorted({m for _, m in REQUESTERS})]
            before = await unread_total(http, managers)
            print(f"Dojang at {base}; {args.users} users, {args.seconds:.0f} s of submissions")
            server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
            latencies, errors, elapsed = await throughput(http, sessions, args.users, args.seconds)
            print(summary("submit latency", latencies))
            print(
                f"{'submissions accepted per second':<34} {len(latencies) / elapsed:.1f} "
                f"({len(latencies)} in {elapsed:.1f} s, {errors} errors)"
            )
            drained = await wait_for_delivery(http, managers, before + len(latencies))
            print(f"{'backlog applied after the load':<34} {drained:.2f} s")
            print(
                f"{'submissions completed per second':<34} "
                f"{len(latencies) / (elapsed + drained):.1f} "
                "(accepted, tasks opened and approver notified)"
                + against(len(latencies) / (elapsed + drained), top)
            )
            server_used = cpu_seconds(server.pid)
            client_used = time.process_time() - client_cpu
            wall = elapsed + drained
            if server_cpu is not None and server_used is not None and latencies:
                used = server_used - server_cpu
                print(
                    f"{'server CPU per submission':<34} {used / len(latencies) * 1000:.2f} ms "
                    f"(server {used / wall:.0%} of a core, this client {client_used / wall:.0%})"
                )
            expected = before + len(latencies)
            for rate in args.rates:
                latencies, errors, elapsed = await fixed_rate(
                    http, sessions, rate, args.rate_seconds
                )
                print(summary(f"submit latency at {rate:g}/s offered", latencies))
                drained = await wait_for_delivery(http, managers, expected + len(latencies))
                expected += len(latencies)
                print(
                    f"{'':<34} {len(latencies)} accepted, {errors} errors; backlog applied "
                    f"{drained:.2f} s after the last answer"
                )
            work: list[tuple[Session, str]] = []
            for manager in managers:
                work += await held_documents(http, manager, args.decisions // len(managers) + 1)
            work = work[: args.decisions]
            server_cpu = cpu_seconds(server.pid)
            latencies, statuses, elapsed = await decisions(http, work, args.users)
            server_used = cpu_seconds(server.pid)
            print(summary("decide latency (approve)", latencies))
            rate = len(latencies) / elapsed if elapsed else 0.0
            print(
                f"{'decisions on the line per second':<34} {rate:.1f} "
                f"({len(latencies)} in {elapsed:.1f} s; answers {dict(sorted(statuses.items()))})"
                + against(rate, top)
            )
            if server_cpu is not None and server_used is not None and latencies:
                used = server_used - server_cpu
                print(
                    f"{'server CPU per decision':<34} {used / len(latencies) * 1000:.2f} ms "
                    f"(server {used / elapsed:.0%} of a core)"
                )
            to_approver, to_requester = await end_to_end(http, base, args.samples, args.pairs)
            print(summary("submit -> approver your_turn (WS)", to_approver))
            print(summary("approve -> requester approved (WS)", to_requester))


if __name__ == "__main__":
    asyncio.run(main())
