"""Where the approval service under test keeps its documents: SQL on SQLite or on MariaDB,
or MongoDB on the server.

The approval suites (tests/unit/approval, tests/api/approval) build the service through the
`approval_store` fixture, so every repository and use-case test runs on every store. The
server runs need the servers of `tests/servers.py`, are marked `integration`, and get a
database of their own that is dropped afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from pymongo import AsyncMongoClient

from tests.servers import server_url, unique_name
from tests.sql_backends import SqlBackend


def database_url(server: str, database: str) -> str:
    """The server's URL with `database` as its path."""
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{database}"))


@contextlib.asynccontextmanager
async def fresh_mongo_database(server: str) -> AsyncIterator[str]:
    """The URL of a database of its own on the MongoDB-wire `server`, dropped afterwards."""
    name = unique_name("dojang_approval")
    try:
        yield database_url(server, name)
    finally:
        client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(server)
        try:
            await client.drop_database(name)
        finally:
            await client.close()


@dataclass(frozen=True)
class ApprovalStore:
    """Which store, and the settings that select it."""

    kind: str
    overrides: dict[str, object] = field(default_factory=dict)

    @property
    def is_mongo(self) -> bool:
        return self.kind == "mongo"


APPROVAL_STORES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("mariadb", id="mariadb", marks=pytest.mark.integration),
    pytest.param("mongo", id="mongo", marks=pytest.mark.integration),
]


@pytest.fixture(params=APPROVAL_STORES)
async def approval_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[ApprovalStore]:
    """The SQL store on SQLite, then on a fresh MariaDB database, then a fresh MongoDB
    database (each server database dropped after the test)."""
    if request.param == "sqlite":
        yield ApprovalStore("sql")
        return
    if request.param == "mariadb":
        backend = SqlBackend("mariadb", tmp_path, server_url("DOJANG_TEST_MARIADB_URL"))
        try:
            yield ApprovalStore("sql", {"approval_database_url": await backend.url("approval")})
        finally:
            await backend.drop_all()
        return
    async with fresh_mongo_database(server_url("DOJANG_TEST_MONGODB_URL")) as url:
        yield ApprovalStore("mongo", {"approval_mongodb_url": url})


# for tests of what only a server database does (row locks racing on two connections)
approval_store_on_mariadb_only = pytest.mark.parametrize(
    "approval_store", [APPROVAL_STORES[1]], indirect=True
)

# for interleavings that the SQLite store rules out (one writer at a time): on the servers
approval_store_on_servers_only = pytest.mark.parametrize(
    "approval_store", APPROVAL_STORES[1:], indirect=True
)
