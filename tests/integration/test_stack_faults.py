"""The distributed stack under faults: processes killed with SIGKILL, and Kafka stopped.

A stream of submissions and decisions runs through nginx while approval-processing, then one
approval-request replica, is killed mid-stream and brought back by `scripts/stack up`.
Clients retry what failed with a 5xx or a broken connection: a decision with the same
`Idempotency-Key`, a submission only after looking for the document by its unique title.
Once quiet, every answer the clients got as 2xx must be exactly the state the documents,
inboxes, timelines and notifications show. A second stack, on a Kafka of its own, goes on
accepting submissions while that Kafka is stopped, and completes them once it is back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2
import pytest

from dojang.demo import DEMO_PASSWORD
from tests.e2e.conftest import free_port
from tests.integration.test_stack import Stack
from tests.servers import server_url

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "scripts" / "services"
REQUESTERS = (
    "haeun.jung@dojang.example",
    "jiho.kang@dojang.example",
    "yerin.cho@dojang.example",
    "sea.oh@dojang.example",
    "bora.hwang@dojang.example",
    "haneul.ryu@dojang.example",
)
FIRST_STAGE = ("seoyeon.park@dojang.example", "junho.lee@dojang.example")
SECOND_STAGE = ("gayoung.moon@dojang.example", "sungmin.yoon@dojang.example")
CLIENTS = 4
DOCUMENTS = 220  # about 2.4 operations each
RETRY_SECONDS = 120
QUIET_SECONDS = 150


def _stack_env(kafka_port: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    env["DOJANG_SERVICES_REDIS_PORT"] = str(urlsplit(server_url("DOJANG_TEST_REDIS_URL")).port)
    env["DOJANG_SERVICES_MARIADB_PORT"] = str(urlsplit(server_url("DOJANG_TEST_MARIADB_URL")).port)
    env["DOJANG_SERVICES_FERRETDB_PORT"] = str(urlsplit(server_url("DOJANG_TEST_MONGODB_URL")).port)
    env["DOJANG_SERVICES_KAFKA_PORT"] = kafka_port
    env["DOJANG_PYTHON"] = sys.executable
    return env


@dataclass
class Faulty(Stack):
    port: int = 0

    def up(self) -> None:
        started = self.run("up", "--port", str(self.port), "--data-dir", str(self.data_dir))
        assert started.returncode == 0, started.stderr

    def kill(self, process: str) -> None:
        """SIGKILL to the process (and its group: `scripts/stack` starts each in its own)."""
        pid = int((self.data_dir / "run" / f"{process}.pid").read_text())
        os.killpg(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)


def _bring_up(data_dir: Path, env: dict[str, str]) -> Faulty:
    port = free_port()
    running = Faulty(f"http://127.0.0.1:{port}", data_dir, env, port)
    running.up()
    demo = running.run("dojang", "--data-dir", str(data_dir), "demo")
    assert demo.returncode == 0, demo.stderr
    return running


TOPICS = ("approval-events", "approval-requests", "approval-results", "employee-events")


def _assert_no_dead_letters(running: Faulty) -> None:
    """Nothing was given up on: a state that is right only because a second delivery
    failed on a unique key shows up here."""
    for topic in TOPICS:
        listed = running.run("dojang", "--data-dir", str(running.data_dir), "dlq", "list", topic)
        assert listed.returncode == 0, listed.stderr
        dead = [line for line in listed.stdout.splitlines() if not line.startswith("no dead")]
        assert dead == [], f"{len(dead)} dead letters on {topic}.dlq, first: {dead[:3]}"


def _down(running: Faulty) -> None:
    stopped = running.run("down", "--data-dir", str(running.data_dir))
    assert stopped.returncode == 0, stopped.stderr


@pytest.fixture
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Faulty]:
    data_dir = tmp_path_factory.mktemp("faults")
    env = _stack_env(server_url("DOJANG_TEST_KAFKA_BOOTSTRAP").rsplit(":", 1)[1])
    try:
        yield _bring_up(data_dir, env)
    finally:
        _down(Faulty("", data_dir, env))


@dataclass
class Figures:
    ops: int = 0
    ok: int = 0
    retries: int = 0
    stale: int = 0  # 409 "changed by someone else meanwhile": reload and try again
    kills: list[str] = field(default_factory=list)


STALE = "The document was changed by someone else meanwhile"


def _stale(answer: httpx2.Response) -> bool:
    """A save that lost its race with other writers (the outbox relay's too) on every
    attempt the service makes: the answer tells the caller to load and try again."""
    return answer.status_code == 409 and STALE in answer.text


class Retrying:
    """A demo user's client that retries what failed with a 5xx or a broken connection."""

    def __init__(self, http: httpx2.AsyncClient, email: str, figures: Figures) -> None:
        self.http = http
        self.email = email
        self.figures = figures
        self.headers: dict[str, str] = {}
        self.id = ""

    async def log_in(self) -> Retrying:
        answer = await self.send(
            "POST", "/api/auth/login", json={"email": self.email, "password": DEMO_PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        self.headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        me = await self.send("GET", "/api/auth/me")
        assert me.status_code == 200, me.text
        self.id = me.json()["employee"]["id"]
        return self

    async def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        before_retry: Callable[[], Awaitable[httpx2.Response | None]] | None = None,
    ) -> httpx2.Response:
        """One operation: its answer below 500, after as many retries as it takes."""
        deadline = time.monotonic() + RETRY_SECONDS
        first = True
        while True:
            if not first:
                self.figures.retries += 1
                if before_retry is not None:
                    found = await before_retry()
                    if found is not None:
                        return found
            first = False
            try:
                answer = await self.http.request(
                    method, path, json=json, headers={**self.headers, **(headers or {})}
                )
            except httpx2.TransportError:
                answer = None
            if answer is not None and _stale(answer):
                self.figures.stale += 1
            elif answer is not None and answer.status_code < 500:
                return answer
            assert time.monotonic() < deadline, f"{method} {path} kept failing"
            await asyncio.sleep(0.3)

    async def pages(self, path: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            joiner = "&" if "?" in path else "?"
            url = f"{path}{joiner}limit=200" + (f"&cursor={cursor}" if cursor else "")
            answer = await self.send("GET", url)
            assert answer.status_code == 200, answer.text
            body = answer.json()
            items.extend(body["items"])
            cursor = body["next_cursor"]
            if cursor is None:
                return items


@dataclass
class Expected:
    """What the clients were told with a 2xx about one document."""

    id: str
    title: str
    requester: Retrying
    stages: list[Retrying]
    status: str = "in_progress"
    decisions: list[str] = field(default_factory=list)  # per stage decided, in order


# what each document goes through, by its index: decisions of its stages, in order
PLANS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (2, ("approve", "approve")),
    (2, ("approve", "reject")),
    (2, ("reject",)),
    (2, ("approve",)),  # left waiting for its second stage
    (1, ("approve",)),
)


class Stream:
    def __init__(self, users: dict[str, Retrying], figures: Figures, run: str) -> None:
        self.users = users
        self.figures = figures
        self.run = run
        self.documents: list[Expected] = []
        self.done = 0

    async def submit(self, index: int, stage_count: int) -> Expected:
        requester = self.users[REQUESTERS[index % len(REQUESTERS)]]
        stages = [self.users[FIRST_STAGE[index % 2]], self.users[SECOND_STAGE[(index // 2) % 2]]]
        stages = stages[:stage_count]
        title = f"Fault {self.run} #{index}"
        body: dict[str, Any] = {
            "form": "general",
            "title": title,
            "content": "Submitted while processes die.",
            "line": [
                {"kind": "approval", "approvers": [approver.id], "rule": "all"}
                for approver in stages
            ],
        }
        if index % 2:
            body["form"] = "expense"
            body["fields"] = {"amount": 1000 + index, "currency": "KRW", "category": "meals"}

        async def already_there() -> httpx2.Response | None:
            # the lost answer may have been a 201: the title says whether it was
            found = await requester.send("GET", f"/api/approvals?box=submitted&q={title}")
            assert found.status_code == 200, found.text
            items = found.json()["items"]
            return httpx2.Response(201, json=items[0]) if items else None

        answer = await requester.send(
            "POST", "/api/approvals", json=body, before_retry=already_there
        )
        self.figures.ops += 1
        assert answer.status_code == 201, answer.text
        self.figures.ok += 1
        expected = Expected(answer.json()["id"], title, requester, stages)
        self.documents.append(expected)
        return expected

    async def decide(self, expected: Expected, stage: int, verb: str) -> None:
        approver = expected.stages[stage]
        body = {"comment": "Fine"} if verb == "approve" else {"reason": "Not now"}
        answer = await approver.send(
            "POST",
            f"/api/approvals/{expected.id}/{verb}",
            json=body,
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        self.figures.ops += 1
        assert answer.status_code == 200, answer.text
        self.figures.ok += 1
        expected.decisions.append("approved" if verb == "approve" else "rejected")
        expected.status = answer.json()["status"]

    async def client(self, worker: int) -> None:
        for index in range(worker, DOCUMENTS, CLIENTS):
            stage_count, verbs = PLANS[index % len(PLANS)]
            expected = await self.submit(index, stage_count)
            for stage, verb in enumerate(verbs):
                await self.decide(expected, stage, verb)
            self.done += 1


async def _until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the stream did not get that far"
        await asyncio.sleep(0.1)


def expected_status(expected: Expected) -> str:
    if "rejected" in expected.decisions:
        return "rejected"
    return "approved" if len(expected.decisions) == len(expected.stages) else "in_progress"


def expected_timeline(expected: Expected) -> Counter[tuple[str, str | None]]:
    wanted: Counter[tuple[str, str | None]] = Counter(
        {("created", expected.requester.id): 1, ("submitted", expected.requester.id): 1}
    )
    for stage, decision in enumerate(expected.decisions):
        wanted[(decision, expected.stages[stage].id)] += 1
        wanted[("stage_approved" if decision == "approved" else "completed", None)] += 1
    if expected_status(expected) == "approved":
        wanted[("completed", None)] += 1
    return wanted


def expected_notices(documents: list[Expected]) -> dict[str, Counter[tuple[str, str]]]:
    """Per recipient id: (approval id, type) -> how many notifications."""
    wanted: dict[str, Counter[tuple[str, str]]] = {}
    for expected in documents:
        # a stage opens first, and after each approval of the one before it
        approvals = expected.decisions.count("approved")
        opened = expected.stages[: min(approvals + 1, len(expected.stages))]
        for approver in opened:
            wanted.setdefault(approver.id, Counter())[(expected.id, "approval.your_turn")] += 1
        status = expected_status(expected)
        if status != "in_progress":
            notices = wanted.setdefault(expected.requester.id, Counter())
            notices[(expected.id, f"approval.{status}")] += 1
    return wanted


def expected_pending(documents: list[Expected]) -> dict[str, Counter[str]]:
    wanted: dict[str, Counter[str]] = {}
    for expected in documents:
        if expected_status(expected) == "in_progress":
            holder = expected.stages[len(expected.decisions)]
            wanted.setdefault(holder.id, Counter())[expected.id] += 1
    return wanted


def expected_done(documents: list[Expected]) -> dict[str, Counter[tuple[str, int]]]:
    wanted: dict[str, Counter[tuple[str, int]]] = {}
    for expected in documents:
        for stage, _decision in enumerate(expected.decisions):
            holder = expected.stages[stage]
            wanted.setdefault(holder.id, Counter())[(expected.id, stage)] += 1
    return wanted


@dataclass
class Seen:
    notices: dict[str, Counter[tuple[str, str]]]
    pending: dict[str, Counter[str]]
    done: dict[str, Counter[tuple[str, int]]]


async def _seen(users: dict[str, Retrying], ids: set[str]) -> Seen:
    seen = Seen({}, {}, {})
    for user in users.values():
        notices = [n for n in await user.pages("/api/notifications") if n["approval_id"] in ids]
        if notices:
            seen.notices[user.id] = Counter((n["approval_id"], n["type"]) for n in notices)
        pending = await user.pages("/api/inbox?status=pending")
        pending = [t for t in pending if t["approval_id"] in ids]
        if pending:
            seen.pending[user.id] = Counter(t["approval_id"] for t in pending)
        done = [t for t in await user.pages("/api/inbox?status=done") if t["approval_id"] in ids]
        if done:
            seen.done[user.id] = Counter((t["approval_id"], t["stage_index"]) for t in done)
    return seen


async def _quiet(users: dict[str, Retrying], documents: list[Expected], timeout: float) -> Seen:
    """What the read sides show once they match, or at the deadline (then the test fails)."""
    ids = {expected.id for expected in documents}
    wanted = Seen(
        expected_notices(documents), expected_pending(documents), expected_done(documents)
    )
    deadline = time.monotonic() + timeout
    while True:
        seen = await _seen(users, ids)
        if seen == wanted or time.monotonic() > deadline:
            return seen
        await asyncio.sleep(2)


def _assert_documents(found: dict[str, dict[str, Any]], documents: list[Expected]) -> None:
    for expected in documents:
        document = found[expected.id]
        assert document["status"] == expected.status == expected_status(expected), expected.title
        decisions = [stage["approvers"][0]["decision"] for stage in document["line"]]
        wanted = expected.decisions + [None] * (len(expected.stages) - len(expected.decisions))
        assert decisions == wanted, expected.title
        timeline = Counter((entry["action"], entry["actor_id"]) for entry in document["timeline"])
        assert timeline == expected_timeline(expected), expected.title
        if expected.status == "approved":
            assert document["number"] is not None, expected.title


def _assert_seen(seen: Seen, documents: list[Expected]) -> None:
    assert seen.notices == expected_notices(documents)
    assert seen.pending == expected_pending(documents)
    assert seen.done == expected_done(documents)


async def _users(http: httpx2.AsyncClient, figures: Figures) -> dict[str, Retrying]:
    users = {}
    for email in (*REQUESTERS, *FIRST_STAGE, *SECOND_STAGE):
        users[email] = await Retrying(http, email, figures).log_in()
    return users


async def _documents(users: dict[str, Retrying], documents: list[Expected]) -> dict[str, Any]:
    found = {}
    for expected in documents:
        answer = await expected.requester.send("GET", f"/api/approvals/{expected.id}")
        assert answer.status_code == 200, answer.text
        found[expected.id] = answer.json()
    titles = Counter()
    for email in REQUESTERS:
        for document in await users[email].pages("/api/approvals?box=submitted"):
            titles[document["title"]] += 1
    mine = {expected.title for expected in documents}
    assert {title: n for title, n in titles.items() if title in mine} == dict.fromkeys(mine, 1)
    return found


async def test_kill_9_mid_stream_loses_and_doubles_nothing(stack: Faulty) -> None:
    figures = Figures()
    started = time.monotonic()
    limits = httpx2.Limits(max_connections=CLIENTS * 2)
    # in English: the retrying client knows a stale 409 by its English detail
    english = {"Accept-Language": "en"}
    async with httpx2.AsyncClient(
        base_url=stack.base_url, timeout=30, limits=limits, headers=english
    ) as http:
        users = await _users(http, figures)
        stream = Stream(users, figures, uuid.uuid4().hex[:8])
        clients = asyncio.gather(*(stream.client(worker) for worker in range(CLIENTS)))

        async def faults() -> None:
            for process, share in (("approval-processing", 0.25), ("approval-request-1", 0.6)):
                await _until(lambda s=share: stream.done >= DOCUMENTS * s, 240)  # type: ignore[misc]
                stack.kill(process)
                figures.kills.append(f"{process} at {time.monotonic() - started:.1f}s")
                await asyncio.sleep(3)
                await asyncio.to_thread(stack.up)
                figures.kills[-1] += f" (back at {time.monotonic() - started:.1f}s)"

        await asyncio.gather(clients, faults())
        elapsed = time.monotonic() - started
        seen = await _quiet(users, stream.documents, QUIET_SECONDS)
        found = await _documents(users, stream.documents)
        print(
            f"\nfaults: {figures.ops} operations, {figures.ok} answered 2xx, "
            f"{figures.retries} retries ({figures.stale} after a stale 409), "
            f"stream {elapsed:.1f}s, "
            f"quiet at {time.monotonic() - started:.1f}s; kills: {'; '.join(figures.kills)}"
        )
        assert figures.ops >= 500
        _assert_documents(found, stream.documents)
        _assert_seen(seen, stream.documents)
    await asyncio.to_thread(_assert_no_dead_letters, stack)


# --- Kafka stopped --------------------------------------------------------------------------


@dataclass
class OwnKafka:
    port: str
    services: Callable[[str], None]


@pytest.fixture
def own_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnKafka]:
    """A Kafka of this test's own (`scripts/services --data-dir X`), on free ports; the
    others answer already, so `up` and `down` start and stop this Kafka alone."""
    data_dir = tmp_path_factory.mktemp("kafka")
    port = str(free_port())
    env = _stack_env(port)
    env["DOJANG_SERVICES_KAFKA_CONTROLLER_PORT"] = str(free_port())

    def services(command: str) -> None:
        done = subprocess.run(  # noqa: S603
            [str(SERVICES), "--data-dir", str(data_dir), command],
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert done.returncode == 0, done.stderr

    services("up")
    try:
        yield OwnKafka(port, services)
    finally:
        services("down")


async def test_kafka_stopped_for_20_seconds_delays_and_loses_nothing(
    tmp_path_factory: pytest.TempPathFactory, own_kafka: OwnKafka
) -> None:
    data_dir = tmp_path_factory.mktemp("kafka-stack")
    running = _bring_up(data_dir, _stack_env(own_kafka.port))
    try:
        await _through_a_kafka_outage(running, own_kafka.services)
    finally:
        _down(running)


async def _through_a_kafka_outage(stack: Faulty, services: Callable[[str], None]) -> None:
    figures = Figures()
    async with httpx2.AsyncClient(base_url=stack.base_url, timeout=30) as http:
        users = await _users(http, figures)
        stream = Stream(users, figures, uuid.uuid4().hex[:8])
        before = [await stream.submit(index, 1) for index in range(0, 4)]
        await asyncio.to_thread(services, "down")
        stopped = time.monotonic()
        during: list[Expected] = []
        index = 4
        slowest = 0.0
        while time.monotonic() - stopped < 20:
            asked = time.monotonic()
            during.append(await stream.submit(index, 1))  # 201: it waits in the outbox
            slowest = max(slowest, time.monotonic() - asked)
            index += 1
            await asyncio.sleep(0.5)
        # answered at once, on the first try: nothing waits for Kafka on the way
        assert figures.retries == 0
        assert slowest < 5
        restarting = time.monotonic()
        await asyncio.to_thread(services, "up")
        print(
            f"\nkafka: stopped {restarting - stopped:.1f}s, back after "
            f"{time.monotonic() - stopped:.1f}s; {len(during)} submitted meanwhile, "
            f"all 201, slowest {slowest:.2f}s"
        )
        assert len(during) >= 10
        documents = before + during
        seen = await _quiet(users, documents, 120)
        _assert_seen(seen, documents)
        for expected in documents:
            await stream.decide(expected, 0, "approve")
        seen = await _quiet(users, documents, 120)
        _assert_seen(seen, documents)
        _assert_documents(await _documents(users, documents), documents)
    await asyncio.to_thread(_assert_no_dead_letters, stack)
