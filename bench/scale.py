"""Cost as history grows: list latency, start-up and disk of the embedded mode at N documents.

`.venv/bin/python bench/scale.py [--sizes 1000,10000,50000,100000] [--samples 200]
[--ceiling-seconds 5]` builds, for each size, a fresh embedded Dojang in this process,
loads N submitted `general` documents through the service layer (the busiest approver is in
the line of 40 % of them and approves half of those; one document in 500 carries a rare
word in its title), waits until every event is handled, then measures through the API
(in-process ASGI calls with real tokens):

- `box=submitted` first page of the busiest requester, `box=completed` of the busiest
  approver, `q=` the rare word (with a particle: "희귀단어를") for that approver, and
  `/api/inbox?status=pending` for an employee with no tasks: p50 and p99 in ms;
- start-up: the seconds from a fresh `Embedded` on the loaded data to ready, twice;
- disk: the data directory's size, and its growth per 1,000 documents from the last size.

Beside the table it prints the FastAPI ceiling of the same run (`ceiling_app.py` under
`wrk`, as `approval_load.py` measures it), since figures on a shared machine vary.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import structlog

sys.path.insert(0, str(Path(__file__).resolve().parent))

import itertools

from approval_load import ceiling

from dojang.app import Embedded, create_app
from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.line import Decision
from dojang.approval.service.commands import NewDocument
from dojang.approval.service.decisions import DecisionRequest
from dojang.kernel.auth.principal import Principal

PASSWORD = "scale-bench-password-2026"  # noqa: S105 (a throwaway organisation)
REQUESTERS = 8
OTHER_APPROVERS = 4
RARE_EVERY = 500
BUSY_SHARE = 0.4
CONCURRENCY = 16


@dataclass
class Org:
    """Who is who in the loaded organisation: employee ids by role."""

    busy: str
    approvers: list[str]
    requesters: list[str]
    idle: str


def percentile(values: list[float], p: float) -> float:
    """The `p`-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def directory_bytes(path: Path) -> int:
    """The bytes of every file under `path`."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def overrides(data_dir: Path) -> dict[str, Any]:
    """The settings of the benchmarked app: its own data directory, quiet logs."""
    return {"data_dir": data_dir, "log_level": "warning", "reminder_after_hours": 0}


async def build_org(embedded: Embedded) -> Org:
    """A small company: a head who approves much, a few approvers, requesters, an idle one."""
    employee = embedded.employee

    async def add(key: str, position: str, manager: str | None) -> str:
        created = await employee.add_user(
            email=f"{key}@scale.example",
            name=key,
            password=PASSWORD,
            department="확장성팀",
            position=position,
            manager_id=manager,
        )
        return created.id

    busy = await add("busy", "general_manager", None)
    approvers = [await add(f"approver{i}", "manager", busy) for i in range(OTHER_APPROVERS)]
    requesters = [
        await add(f"requester{i}", "staff", approvers[i % OTHER_APPROVERS])
        for i in range(REQUESTERS)
    ]
    idle = await add("idle", "staff", busy)
    await embedded.settle(timeout=30)
    return Org(busy=busy, approvers=approvers, requesters=requesters, idle=idle)


async def load_documents(embedded: Embedded, org: Org, first: int, count: int) -> None:
    """Submit documents `first`..`first + count` through the service layer; the busiest
    approver approves half of those in their line."""
    use_cases = embedded.approval.use_cases
    decisions = embedded.approval.decisions
    busy_principal = Principal(org.busy, frozenset({"employee", "manager"}))
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(first, first + count):
        queue.put_nowait(index)

    async def worker() -> None:
        while not queue.empty():
            index = queue.get_nowait()
            requester = org.requesters[index % REQUESTERS]
            busy = (index % 10) < BUSY_SHARE * 10
            approver = org.busy if busy else org.approvers[index % OTHER_APPROVERS]
            rare = "희귀단어 " if index % RARE_EVERY == 0 else ""
            document = await use_cases.create(
                Principal(requester, frozenset({"employee"})),
                NewDocument(
                    form=FormCode.GENERAL,
                    title=f"{rare}업무 보고 {index}",
                    content=f"{index}번째 보고서 본문: 출장비 정산과 주간 회의 내용",
                    line=[{"kind": "approval", "approvers": [approver], "rule": "all"}],
                ),
            )
            if busy and index % 2 == 0:
                to_approve.append(document.id)

    async def approver() -> None:
        while to_approve:
            await decisions.decide(
                busy_principal, to_approve.pop(), DecisionRequest(Decision.APPROVED)
            )

    to_approve: list[str] = []
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    await embedded.settle(timeout=600)
    await asyncio.gather(*(approver() for _ in range(CONCURRENCY)))
    await embedded.settle(timeout=600)


@contextlib.asynccontextmanager
async def running_app(data_dir: Path) -> AsyncIterator[tuple[Any, float]]:
    """The embedded app on `data_dir`, started; with the seconds its start took."""
    app = create_app(**overrides(data_dir))
    started = time.perf_counter()
    async with app.router.lifespan_context(app):
        yield app, time.perf_counter() - started


async def token(client: httpx2.AsyncClient, key: str) -> dict[str, str]:
    """The bearer header of a logged-in employee."""
    answer = await client.post(
        "/api/auth/login", json={"email": f"{key}@scale.example", "password": PASSWORD}
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def timed(
    client: httpx2.AsyncClient, path: str, headers: dict[str, str], params: dict[str, Any]
) -> float:
    """Milliseconds of one GET, which must answer 200."""
    started = time.perf_counter()
    answer = await client.get(path, headers=headers, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:
        raise RuntimeError(f"{path} {params}: {answer.status_code} {answer.text}")
    return elapsed


async def measure_lists(app: Any, samples: int) -> dict[str, tuple[float, float]]:
    """p50 and p99 of each list, in ms."""
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://scale") as client:
        requester, busy, idle = (
            await token(client, "requester0"),
            await token(client, "busy"),
            await token(client, "idle"),
        )
        lists = {
            "box=submitted": ("/api/approvals", requester, {"box": "submitted"}),
            "box=completed": ("/api/approvals", busy, {"box": "completed"}),
            "q= rare word": ("/api/approvals", busy, {"q": "희귀단어를"}),
            "inbox pending (none)": ("/api/inbox", idle, {"status": "pending"}),
        }
        found: dict[str, tuple[float, float]] = {}
        for name, (path, headers, params) in lists.items():
            for _ in range(5):  # warm-up
                await timed(client, path, headers, params)
            millis = [await timed(client, path, headers, params) for _ in range(samples)]
            found[name] = (statistics.median(millis), percentile(millis, 99))
        return found


async def measure_size(
    data_dir: Path, org: Org | None, loaded: int, size: int, samples: int
) -> tuple[Org, dict[str, Any]]:
    """Load up to `size` documents on `data_dir` and measure; the org, and the figures."""
    load_seconds = 0.0
    async with running_app(data_dir) as (app, _):
        embedded: Embedded = app.state.dojang
        if org is None:
            org = await build_org(embedded)
        started = time.perf_counter()
        await load_documents(embedded, org, loaded, size - loaded)
        load_seconds = time.perf_counter() - started
    startups = []
    for _ in range(2):
        async with running_app(data_dir) as (app, seconds):
            startups.append(seconds)
    async with running_app(data_dir) as (app, _):
        lists = await measure_lists(app, samples)
    figures = {
        "lists": lists,
        "startup": min(startups),
        "disk": directory_bytes(data_dir),
        "load_rate": (size - loaded) / load_seconds if load_seconds else 0.0,
    }
    return org, figures


def print_table(results: dict[int, dict[str, Any]], top: float | None, note: str) -> None:
    """The figures of every size, one column each."""
    sizes = sorted(results)
    width = 22
    print(f"\nFastAPI ceiling this run: {top:,.0f} req/s ({note})" if top else f"\nceiling: {note}")
    print("".ljust(width) + "".join(f"{size:>18,}" for size in sizes))
    names = list(results[sizes[0]]["lists"])
    for name in names:
        cells = "".join(
            "{:>18}".format("{:.1f} / {:.1f}".format(*results[size]["lists"][name]))
            for size in sizes
        )
        print(f"{name + ' p50/p99 ms':<{width}}{cells}")
    print(f"{'start-up s':<{width}}" + "".join(f"{results[s]['startup']:>18.2f}" for s in sizes))
    print(f"{'disk MiB':<{width}}" + "".join(f"{results[s]['disk'] / 2**20:>18.1f}" for s in sizes))
    growth = [
        (results[b]["disk"] - results[a]["disk"]) / (b - a) * 1000 / 2**20
        for a, b in itertools.pairwise(sizes)
    ]
    print(f"{'MiB per 1k docs':<{width}}" + "".ljust(18) + "".join(f"{g:>18.2f}" for g in growth))
    print(f"{'load docs/s':<{width}}" + "".join(f"{results[s]['load_rate']:>18.0f}" for s in sizes))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000,100000")
    parser.add_argument("--samples", type=int, default=200, help="requests per list")
    parser.add_argument("--ceiling-seconds", type=float, default=5, help="0: no ceiling")
    parser.add_argument("--data-dir", type=Path, default=None, help="kept afterwards")
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(30))
    sizes = sorted(int(size) for size in args.sizes.split(","))
    top, note = (None, "not measured")
    if args.ceiling_seconds > 0:
        top, note = await ceiling(args.ceiling_seconds, 32)
    own = args.data_dir is None
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="dojang-scale-"))
    results: dict[int, dict[str, Any]] = {}
    org: Org | None = None
    loaded = 0
    try:
        for size in sizes:
            org, results[size] = await measure_size(data_dir, org, loaded, size, args.samples)
            loaded = size
            print(f"{size:,} documents: {results[size]}", flush=True)
    finally:
        if own:
            shutil.rmtree(data_dir, ignore_errors=True)
    print_table(results, top, note)


if __name__ == "__main__":
    asyncio.run(main())
