"""Where the real servers of the distributed mode are, for tests that need them.

Suites import these fixtures into their conftest (see tests/integration/conftest.py).

`scripts/services up` starts MariaDB, Redis, FerretDB (on PostgreSQL) and Kafka on loopback,
and `scripts/services env` names them in `DOJANG_TEST_*` variables (`make test` does both).
Each fixture here skips its test when its variable is unset; in CI the conftest turns such a
skip of an integration test into a failure, so none is silently left out.

Several suites share one server at a time, so every fixture hands out a name of its own: a
fresh database, key prefix or topic prefix per test.
"""

from __future__ import annotations

import os
import uuid

import pytest


def server_url(variable: str) -> str:
    """The value of `variable`, or a skip of the test that needs it."""
    value = os.environ.get(variable)
    if not value:
        pytest.skip(f"{variable} is not set: run `scripts/services up` and export its `env`")
    return value


def unique_name(prefix: str = "dojang_t") -> str:
    """A name no other test run uses: databases, key and topic prefixes."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def mariadb_server() -> str:
    """The MariaDB server's SQLAlchemy URL, without a database."""
    return server_url("DOJANG_TEST_MARIADB_URL")


@pytest.fixture
def redis_server() -> str:
    """The Redis server's URL."""
    return server_url("DOJANG_TEST_REDIS_URL")


@pytest.fixture
def mongodb_server() -> str:
    """The MongoDB-wire server's URL (FerretDB here, MongoDB 7 elsewhere)."""
    return server_url("DOJANG_TEST_MONGODB_URL")


@pytest.fixture
def kafka_server() -> str:
    """The Kafka bootstrap address."""
    return server_url("DOJANG_TEST_KAFKA_BOOTSTRAP")
