"""The `dojang user add`, `dojang dlq` and `dojang reconcile` command-line contracts, run as
operators and scripts run them."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import httpx2
import pytest

from dojang.app import Embedded
from dojang.approval.domain.forms import FormCode
from dojang.approval.service.commands import NewDocument
from dojang.demo import DEMO_PASSWORD
from dojang.kernel.auth.principal import Principal
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.port import Message
from dojang.kernel.db import Database

from .conftest import dojang_command, start_dojang

pytestmark = pytest.mark.e2e


def _dojang(
    *args: str, data_dir: Path, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs `dojang ARGS`; a `password` is piped on standard input, as an operator would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    env["DOJANG_DATA_DIR"] = str(data_dir)
    env["DOJANG_LOG_LEVEL"] = "WARNING"
    return subprocess.run(  # noqa: S603
        [*dojang_command(), *args],
        input=None if password is None else password + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_user_add_creates_a_login_and_refuses_duplicates_and_weak_passwords(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    added = _dojang(
        "user",
        "add",
        "--email",
        "Ops@Example.com",
        "--name",
        "Operator",
        "--role",
        "admin",
        "--department",
        "Operations",
        "--position",
        "manager",
        data_dir=data_dir,
        password="a-long-enough-passphrase",
    )
    assert added.returncode == 0, added.stderr
    assert "ops@example.com" in added.stdout
    assert "admin" in added.stdout

    duplicate = _dojang(
        "user",
        "add",
        "--email",
        "ops@example.com",
        "--name",
        "Again",
        data_dir=data_dir,
        password="another-long-passphrase",
    )
    assert duplicate.returncode != 0
    assert "ops@example.com" in duplicate.stderr or "already" in duplicate.stderr

    weak = _dojang(
        "user",
        "add",
        "--email",
        "new@example.com",
        "--name",
        "New",
        data_dir=data_dir,
        password="123",
    )
    assert weak.returncode != 0
    assert "password" in weak.stderr


def test_a_password_on_the_command_line_is_refused_and_adds_nobody(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    refused = _dojang(
        "user", "add", "--email", "argv@example.com", "--name", "Argv",
        "--password", "a-long-enough-passphrase", data_dir=data_dir,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "never taken on the command line" in refused.stderr
    assert not (data_dir / "employee.db").exists()


def test_a_prompted_password_must_be_given_on_standard_input(tmp_path: Path) -> None:
    empty = _dojang(
        "user", "add", "--email", "none@example.com", "--name", "None",
        data_dir=tmp_path / "data", password="",
    )  # fmt: skip
    assert empty.returncode != 0
    assert "password" in empty.stderr


def test_the_data_dir_flag_works_like_the_environment_variable(tmp_path: Path) -> None:
    flagged = _dojang(
        "user",
        "add",
        "--email",
        "a@example.com",
        "--name",
        "A",
        "--data-dir",
        str(tmp_path / "flagged"),
        data_dir=tmp_path / "ignored",
        password="a-long-enough-passphrase",
    )
    assert flagged.returncode == 0, flagged.stderr
    assert (tmp_path / "flagged" / "employee.db").exists()
    assert not (tmp_path / "ignored" / "employee.db").exists()


def _user_id(added: subprocess.CompletedProcess[str]) -> str:
    assert added.returncode == 0, added.stderr
    return added.stdout.rsplit("id ", 1)[1].strip()


def _add_user(email: str, data_dir: Path) -> str:
    return _user_id(
        _dojang(
            "user",
            "add",
            "--email",
            email,
            "--name",
            email.split("@")[0],
            data_dir=data_dir,
            password="a-long-enough-passphrase",
        )
    )


def _email_changed(employee_id: str, email: str) -> Message:
    """`employee.updated` as the employee service sends it when an email changes."""
    view = {
        "id": employee_id,
        "name": email.split("@")[0],
        "email": email,
        "department": None,
        "position": "staff",
        "manager_id": None,
        "roles": ["employee"],
        "active": True,
        "created_at": "2026-12-01T00:00:00+00:00",
    }
    event = Event(
        type="employee.updated",
        aggregate_id=employee_id,
        data={"employee": view, "changed": ["email"]},
        occurred_at=datetime.now(UTC),
    )
    return Message(key=employee_id, value=event.to_json())


async def _publish(data_dir: Path, topic: str, messages: list[Message]) -> None:
    database = Database(f"sqlite:///{data_dir / 'bus.db'}")
    try:
        await LocalBus(database).publish(topic, messages)
    finally:
        await database.dispose()


async def _login_as(data_dir: Path, email: str) -> str:
    """The employee id the token of a login with `email` names."""
    # the development settings the command-line runs above used
    embedded = Embedded({"environment": "development", "data_dir": data_dir, "log_json": False})
    await embedded.start()
    try:
        pair = await embedded.identity.sessions.login(
            email, "a-long-enough-passphrase", client="test"
        )
        return (await embedded.identity.verifier.verify(pair.access_token)).user_id
    finally:
        await embedded.stop()


def test_a_dead_letter_is_listed_replayed_once_and_applied(tmp_path: Path) -> None:
    """Two employees swap an email; a broker delivers their updates (different keys) the
    other way round, so identity dead-letters the first. Replayed, it applies."""
    data_dir = tmp_path / "data"
    alice = _add_user("alice@example.com", data_dir)
    bob = _add_user("bob@example.com", data_dir)
    asyncio.run(
        _publish(
            data_dir,
            "employee-events",
            [
                _email_changed(alice, "bob@example.com"),
                _email_changed(bob, "robert@example.com"),
            ],
        )
    )
    _add_user("carol@example.com", data_dir)  # runs the consumers until they caught up

    listed = _dojang("dlq", "list", "employee-events", data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    [line] = listed.stdout.splitlines()
    offset, _failed_at, group, event_type, event_id, state, error = line.split("\t")
    assert (group, event_type, state) == ("identity", "employee.updated", "dead")
    assert "bob@example.com already belongs to account" in error

    replayed = _dojang("dlq", "replay", "employee-events", "--offset", offset, data_dir=data_dir)
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout.strip() == f"replayed {offset} to employee-events for identity"
    again = _dojang("dlq", "replay", "employee-events", "--all", data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"skipped {offset}: replayed before"
    unknown = _dojang("dlq", "replay", "employee-events", "--offset", "99999", data_dir=data_dir)
    assert unknown.returncode == 2
    assert "no dead letter at offset 99999" in unknown.stderr

    _add_user("dave@example.com", data_dir)
    assert asyncio.run(_login_as(data_dir, "bob@example.com")) == alice
    assert asyncio.run(_login_as(data_dir, "robert@example.com")) == bob
    with closing(sqlite3.connect(data_dir / "identity.db")) as db:
        applied = db.execute(
            "SELECT count(*) FROM processed_events WHERE event_id = ? AND consumer_group = ?",
            (event_id, "identity"),
        ).fetchone()
    assert applied == (1,)
    [after] = _dojang("dlq", "list", "employee-events", data_dir=data_dir).stdout.splitlines()
    assert after.split("\t")[0] == offset  # applied once: no new dead letter
    assert after.split("\t")[5] == "replayed"


async def _two_documents(data_dir: Path) -> tuple[str, str]:
    """A document waiting for its approver, and one its requester withdrew."""
    embedded = Embedded({"environment": "development", "data_dir": data_dir, "log_json": False})
    await embedded.start()
    try:
        requester = await embedded.employee.add_user(
            email="req@example.com", name="Requester", password="a-long-enough-passphrase"
        )
        approver = await embedded.employee.add_user(
            email="appr@example.com", name="Approver", password="a-long-enough-passphrase"
        )
        await embedded.settle()  # approval-request's copy of the organisation knows them
        caller = Principal(user_id=requester.id, roles=frozenset({"employee"}))
        line = [{"kind": "approval", "approvers": [approver.id], "rule": "all"}]
        ids = []
        for title in ("waiting", "withdrawn"):
            document = await embedded.approval.use_cases.create(
                caller,
                NewDocument(form=FormCode.GENERAL, title=title, content="-", line=line),
            )
            ids.append(document.id)
        await embedded.approval.use_cases.withdraw(caller, ids[1])
        await embedded.settle()
    finally:
        await embedded.stop()
    return ids[0], ids[1]


def _task_states(data_dir: Path) -> dict[str, list[str]]:
    with closing(sqlite3.connect(data_dir / "processing.db")) as db:
        rows = db.execute("SELECT approval_id, status FROM tasks ORDER BY created_at").fetchall()
    states: dict[str, list[str]] = {}
    for approval_id, status in rows:
        states.setdefault(approval_id, []).append(status)
    return states


def test_reconcile_repairs_tasks_broken_by_hand_in_the_processing_database(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    waiting, withdrawn = asyncio.run(_two_documents(data_dir))
    assert _task_states(data_dir) == {waiting: ["pending"], withdrawn: ["cancelled"]}
    with closing(sqlite3.connect(data_dir / "processing.db")) as db, db:
        db.execute("DELETE FROM tasks WHERE approval_id = ?", (waiting,))
        db.execute("UPDATE tasks SET status = 'pending' WHERE approval_id = ?", (withdrawn,))

    repaired = _dojang("reconcile", data_dir=data_dir)
    assert repaired.returncode == 0, repaired.stderr
    assert "open slots of 1 documents in progress" in repaired.stdout
    assert "pending tasks of 1 document versions" in repaired.stdout
    assert _task_states(data_dir) == {waiting: ["pending"], withdrawn: ["cancelled"]}

    again = _dojang("reconcile", data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert _task_states(data_dir) == {waiting: ["pending"], withdrawn: ["cancelled"]}


def test_a_user_added_while_the_server_runs_works_at_once_without_a_restart(
    tmp_path: Path,
) -> None:
    with start_dojang(tmp_path) as server, httpx2.Client(base_url=server.base_url) as http:
        ceo = _logged_in(http, "ceo@dojang.example", DEMO_PASSWORD)
        ceo_id = http.get("/api/auth/me", headers=ceo).json()["employee"]["id"]
        added = _dojang(
            "user",
            "add",
            "--email",
            "late@dojang.example",
            "--name",
            "늦은 입사자",
            "--department",
            "개발팀",
            data_dir=tmp_path / "data",
            password="a-long-enough-passphrase",
        )
        assert added.returncode == 0, added.stderr

        newcomer = _logged_in(http, "late@dojang.example", "a-long-enough-passphrase")
        me = http.get("/api/auth/me", headers=newcomer)
        assert me.status_code == 200, me.text
        assert me.json()["employee"]["name"] == "늦은 입사자"
        draft = {
            "form": "general",
            "title": "입사 인사",
            "content": "잘 부탁드립니다.",
            "line": [{"kind": "approval", "approvers": [ceo_id], "rule": "all"}],
            "submit": True,
        }
        submitted = http.post("/api/approvals", json=draft, headers=newcomer)
        assert submitted.status_code == 201, submitted.text
        assert submitted.json()["status"] == "in_progress"


def _logged_in(http: httpx2.Client, email: str, password: str) -> dict[str, str]:
    """The Authorization header of a login, waiting the event latency for a new one."""
    deadline = time.monotonic() + 10
    while True:
        answer = http.post("/api/auth/login", json={"email": email, "password": password})
        if answer.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_org_republish_announces_the_organisation_again(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    added = _dojang(
        "user",
        "add",
        "--email",
        "ops@example.com",
        "--name",
        "Operator",
        "--department",
        "Operations",
        data_dir=data_dir,
        password="a-long-enough-passphrase",
    )
    assert added.returncode == 0, added.stderr
    republished = _dojang("org", "republish", data_dir=data_dir)
    assert republished.returncode == 0, republished.stderr
    assert "announced 1 departments and 1 employees" in republished.stdout


@pytest.mark.parametrize("command", [["demo"], ["serve", "--demo", "--port", "9"]])
def test_demo_data_is_refused_in_production(tmp_path: Path, command: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    env |= {
        "DOJANG_DATA_DIR": str(tmp_path / "data"),
        "DOJANG_ENVIRONMENT": "production",
        "DOJANG_SECRET_KEY": "f3a9c1d07b6e42a8b5c9d2e1f0a7b3c4d5e6f708192a3b4c",
    }
    done = subprocess.run(  # noqa: S603
        [*dojang_command(), *command], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 2
    assert "Demo data is refused in production" in done.stderr
    assert not (tmp_path / "data" / "employee.db").exists()
