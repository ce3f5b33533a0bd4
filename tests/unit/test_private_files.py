"""The data directory and its databases are private to Dojang's user."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from dojang.kernel.db import Database
from tests.conftest import test_overrides


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("open_umask")
async def test_a_started_app_keeps_every_file_private(tmp_path: Path) -> None:
    from dojang.app import create_app

    app: FastAPI = create_app(**test_overrides(tmp_path / "data"))
    async with app.router.lifespan_context(app):
        data = tmp_path / "data"
        files = sorted(data.glob("*.db*"))
        assert {f.name for f in files} >= {"identity.db", "identity.db-wal", "employee.db"}
        assert _mode(data) == 0o700
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}


@pytest.mark.usefixtures("open_umask")
async def test_files_left_readable_by_an_earlier_version_are_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    for name in ("old.db", "old.db-wal"):
        (tmp_path / name).touch(mode=0o644)
        (tmp_path / name).chmod(0o644)
    database = Database(f"sqlite:///{path}")
    try:
        assert _mode(path) == 0o600
        assert _mode(tmp_path / "old.db-wal") == 0o600
        await database.ping()
    finally:
        await database.dispose()
