"""Where the approval service under test keeps its documents: SQL, or MongoDB on the server.

The approval suites (tests/unit/approval, tests/api/approval) build the service through the
`approval_store` fixture, so every repository and use-case test runs on both stores. The
MongoDB run needs the server of `tests/servers.py`, is marked `integration`, and gets a
database of its own that is dropped afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import pytest
from pymongo import AsyncMongoClient

from tests.servers import server_url, unique_name


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


@pytest.fixture(params=["sql", pytest.param("mongo", marks=pytest.mark.integration)])
async def approval_store(request: pytest.FixtureRequest) -> AsyncIterator[ApprovalStore]:
    """The SQL store, then a fresh MongoDB database (dropped after the test)."""
    if request.param == "sql":
        yield ApprovalStore("sql")
        return
    async with fresh_mongo_database(server_url("DOJANG_TEST_MONGODB_URL")) as url:
        yield ApprovalStore("mongo", {"approval_mongodb_url": url})
