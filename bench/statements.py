"""How many SQL statements and transactions one submission costs, per database.

Runs the embedded Dojang (`create_app(demo=True)`) in this process under uvicorn on a free
loopback port, on a fresh data directory, counts every statement SQLAlchemy sends and every
commit on each SQLite file (identity, employee, approval, processing, notification, bus),
while `--users` concurrent requesters submit `--submissions` `general` documents and the
events they cause are carried through (tasks opened, holders reported back, the managers'
notifications stored), and prints the counts divided by the submissions, with the
statements that were run most often. One user shows the cost of a submission alone (every
consumer and relay cycle serves one submission); 32 users show it under load, where the
consumers and relays apply the events of many submissions in one transaction.

Run: `.venv/bin/python bench/statements.py [--submissions N] [--users U]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections import Counter
from typing import Any

import httpx2
import uvicorn
from approval_load import REQUESTERS, free_port, load_document, login, unread_total
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from dojang.app import create_app


class Tally:
    """Statements and commits per database file, while `counting` is set."""

    def __init__(self) -> None:
        self.counting = False
        self.statements: Counter[str] = Counter()
        self.commits: Counter[str] = Counter()
        self.kinds: Counter[tuple[str, str]] = Counter()

    def install(self) -> None:
        event.listen(Engine, "before_cursor_execute", self._statement)
        event.listen(Engine, "commit", self._commit)

    @staticmethod
    def _database(connection: Connection) -> str:
        return os.path.basename(str(connection.engine.url.database))

    def _statement(
        self,
        connection: Connection,
        _cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        if self.counting:
            database = self._database(connection)
            self.statements[database] += 1
            self.kinds[(database, " ".join(statement.split()[:3])[:60])] += 1

    def _commit(self, connection: Connection) -> None:
        if self.counting:
            self.commits[self._database(connection)] += 1


async def measure(submissions: int, users: int, tally: Tally) -> None:
    port = free_port()
    app = create_app(demo=True, data_dir=tempfile.mkdtemp(prefix="dojang-statements-"))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    try:
        async with httpx2.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            requesters = [await login(http, email) for email, _ in REQUESTERS]
            managers = [await login(http, email) for email in {m for _, m in REQUESTERS}]
            for index, requester in enumerate(requesters):  # warm: statements compiled once
                answer = await http.post(
                    "/api/approvals", json=load_document(f"warm-{index}"), headers=requester.headers
                )
                answer.raise_for_status()
            expected = len(requesters)
            while await unread_total(http, managers) < expected:
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.5)  # the relays' and consumers' last cycles of the warm-up
            todo = list(range(submissions))
            tally.counting = True

            async def user(index: int) -> None:
                requester = requesters[index % len(requesters)]
                while todo:
                    body = load_document(f"count-{todo.pop()}")
                    answer = await http.post("/api/approvals", json=body, headers=requester.headers)
                    answer.raise_for_status()

            await asyncio.gather(*(user(index) for index in range(users)))
            while await unread_total(http, managers) < expected + submissions:
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.5)  # the cycles that mark the last events relayed
            tally.counting = False
    finally:
        server.should_exit = True
        await serving


def report(tally: Tally, submissions: int, users: int, top: int) -> None:
    print(f"per submission ({submissions} submissions, {users} concurrent users):")
    for database in sorted(tally.statements.keys() | tally.commits.keys()):
        print(
            f"  {database:<18} statements {tally.statements[database] / submissions:6.2f}"
            f"   commits {tally.commits[database] / submissions:5.2f}"
        )
    print(
        f"  {'all':<18} statements {sum(tally.statements.values()) / submissions:6.2f}"
        f"   commits {sum(tally.commits.values()) / submissions:5.2f}"
    )
    print("most run:")
    for (database, kind), count in tally.kinds.most_common(top):
        print(f"  {count / submissions:6.2f}  {database:<18} {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--users", type=int, default=32, help="concurrent requesters")
    parser.add_argument("--top", type=int, default=25, help="statements listed")
    args = parser.parse_args()
    tally = Tally()
    tally.install()
    asyncio.run(measure(args.submissions, args.users, tally))
    report(tally, args.submissions, args.users, args.top)


if __name__ == "__main__":
    main()
