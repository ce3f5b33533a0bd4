"""The SQL databases a suite runs on: an SQLite file, and a database of its own on MariaDB.

A suite's conftest imports `sql_backend`; every test that uses it runs once per backend, the
MariaDB run marked `integration` (so in CI it fails, never skips, without the server). A
test asks the backend for one URL per service database, `await sql_backend.url("identity")`:
a file under the test's temporary folder, or a fresh MariaDB database, dropped afterwards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from dojang.kernel.mysql import create_database_statement, create_mysql_engine
from tests.servers import server_url, unique_name

SQL_BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("mariadb", id="mariadb", marks=pytest.mark.integration),
]


class SqlBackend:
    """Hands out database URLs on one backend and removes what it made."""

    def __init__(self, name: str, folder: Path, server: str | None) -> None:
        self.name = name
        self._folder = folder
        self._server = server
        self._created: list[str] = []

    @property
    def is_sqlite(self) -> bool:
        """Whether the databases are SQLite files."""
        return self._server is None

    async def url(self, service: str) -> str:
        """The URL of a new, empty database for `service`."""
        if self._server is None:
            return f"sqlite:///{self._folder / f'{service}.db'}"
        database = unique_name(f"dojang_t_{service}")
        await run_on_server(self._server, create_database_statement(database))
        self._created.append(database)
        return make_url(self._server).set(database=database).render_as_string(False)

    async def service_urls(self) -> dict[str, str]:
        """Settings overrides that put every SQL service of the embedded app on this backend."""
        services = ("identity", "employee", "approval", "processing", "notification")
        return {f"{service}_database_url": await self.url(service) for service in services}

    async def drop_all(self) -> None:
        """Drop every database this backend created."""
        while self._created:
            await run_on_server(
                self._server or "", f"DROP DATABASE IF EXISTS `{self._created.pop()}`"
            )


async def run_on_server(server: str, statement: str) -> None:
    """Run one statement on the server, outside any database."""
    engine = create_mysql_engine(server, pooled=False)
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(params=SQL_BACKENDS)
async def sql_backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlBackend]:
    """Each backend in turn: SQLite files, then databases on the MariaDB server."""
    server = None if request.param == "sqlite" else server_url("DOJANG_TEST_MARIADB_URL")
    backend = SqlBackend(request.param, tmp_path, server)
    try:
        yield backend
    finally:
        await backend.drop_all()


@pytest.fixture
async def mariadb_backend(tmp_path: Path) -> AsyncIterator[SqlBackend]:
    """Databases on the MariaDB server only (tests of what only a server database does)."""
    backend = SqlBackend("mariadb", tmp_path, server_url("DOJANG_TEST_MARIADB_URL"))
    try:
        yield backend
    finally:
        await backend.drop_all()


on_mariadb_only = pytest.mark.parametrize("sql_backend", [SQL_BACKENDS[1]], indirect=True)
"""Runs a test that takes `sql_backend` on MariaDB alone (row locks that SQLite never needs)."""
