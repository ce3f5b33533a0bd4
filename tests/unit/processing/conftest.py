"""A running processing service for the consumer tests, on each SQL backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.sql_backends import SqlBackend

from .harness import Harness, running_processing


@pytest.fixture
async def harness(tmp_path: Path, sql_backend: SqlBackend) -> AsyncIterator[Harness]:
    async with running_processing(tmp_path, await sql_backend.url("processing")) as running:
        yield running
