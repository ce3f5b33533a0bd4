"""`dojang doctor`: whether this machine's Dojang is fit to serve, one line per check.

It reads and connects; it changes nothing (it does not migrate, create or chmod). The exit
status is 1 when any check fails, so a deployment script or a timer can act on it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, make_url

from dojang.kernel.migrations import alembic_config, sync_url
from dojang.kernel.mysql import create_mysql_engine, is_mysql_url
from dojang.kernel.private_files import DIRECTORY_MODE, FILE_MODE
from dojang.kernel.settings import KernelSettings
from dojang.kernel.settings_warnings import settings_warnings

MIN_FREE_BYTES = 1024**3
"""Below 1 GiB free, SQLite's next checkpoint or a backup may not fit."""
CONNECT_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        """`ok` or `FAIL`, the check's name and what it found."""
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


@dataclass(frozen=True)
class ServiceDatabase:
    """A service's database and where its migrations live."""

    service: str
    url: str
    migrations: Path


async def run_checks(
    settings: KernelSettings, databases: list[ServiceDatabase], *, min_free_bytes: int
) -> list[Check]:
    """Every check, in the order they are printed."""
    checks = [
        *_data_dir_checks(settings.data_dir),
        _settings_check(settings),
        _disk_check(settings.data_dir, min_free_bytes),
    ]
    for database in databases:
        checks.append(await _migration_check(database))
    for name, address in _servers(settings, databases):
        checks.append(await _reachable(name, address))
    return checks


def _data_dir_checks(data_dir: Path) -> Iterator[Check]:
    where = str(data_dir.resolve())
    if not data_dir.is_dir():
        yield Check("data directory", False, f"{where} does not exist or is not a directory")
        return
    info = data_dir.stat()
    mode = stat.S_IMODE(info.st_mode)
    if info.st_uid != os.getuid():
        yield Check(
            "data directory", False, f"{where} belongs to uid {info.st_uid}, not to this user"
        )
    elif mode != DIRECTORY_MODE:
        yield Check("data directory", False, f"{where} is {mode:04o}, not {DIRECTORY_MODE:04o}")
    else:
        yield Check("data directory", True, f"{where} is {DIRECTORY_MODE:04o}")
    wide = [
        f"{path.name} {stat.S_IMODE(path.stat().st_mode):04o}"
        for path in sorted(data_dir.iterdir())
        if path.is_file() and stat.S_IMODE(path.stat().st_mode) & ~FILE_MODE
    ]
    if wide:
        yield Check("data files", False, f"readable by others: {', '.join(wide)}")
    else:
        yield Check("data files", True, f"every file is {FILE_MODE:04o} or narrower")


def _settings_check(settings: KernelSettings) -> Check:
    warnings = settings_warnings(settings)
    if warnings:
        return Check("settings", False, " / ".join(warnings))
    return Check("settings", True, f"{settings.environment}, public URL {settings.public_url}")


def _disk_check(data_dir: Path, min_free_bytes: int) -> Check:
    where = data_dir if data_dir.exists() else Path.cwd()
    usage = shutil.disk_usage(where)
    free = f"{usage.free / 1024**3:.1f} GiB free of {usage.total / 1024**3:.1f} GiB"
    return Check("disk space", usage.free >= min_free_bytes, free)


async def _migration_check(database: ServiceDatabase) -> Check:
    name = f"{database.service} schema"
    config = alembic_config(database.migrations, database.url, database.service)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    version_table = f"alembic_version_{database.service}"

    def current(connection: Connection) -> set[str]:
        context = MigrationContext.configure(connection, opts={"version_table": version_table})
        return set(context.get_current_heads())

    try:
        if is_mysql_url(database.url):
            engine = create_mysql_engine(database.url, pooled=False)
            try:
                async with asyncio.timeout(CONNECT_TIMEOUT_SECONDS), engine.connect() as conn:
                    found = await conn.run_sync(current)
            finally:
                await engine.dispose()
        else:
            path = Path(make_url(database.url).database or "")
            if not await asyncio.to_thread(path.is_file):
                return Check(name, False, f"{path} is missing: run `dojang migrate`")
            found = await asyncio.to_thread(_sqlite_heads, database.url, current)
    except Exception as exc:  # any failure to read is the finding
        return Check(name, False, f"cannot read its version: {exc!r}"[:300])
    if found == heads:
        return Check(name, True, f"at head {', '.join(sorted(heads))}")
    return Check(
        name,
        False,
        f"at {', '.join(sorted(found)) or 'nothing'}, head is {', '.join(sorted(heads))}: "
        "run `dojang migrate`",
    )


def _sqlite_heads(url: str, current: Callable[[Connection], set[str]]) -> set[str]:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            return current(connection)
    finally:
        engine.dispose()


def _servers(
    settings: KernelSettings, databases: list[ServiceDatabase]
) -> list[tuple[str, tuple[str, int]]]:
    """Every server the settings name: Kafka's bootstrap servers, the SQL servers, Redis
    and MongoDB (distributed mode); none in plain embedded mode."""
    found: dict[tuple[str, int], str] = {}
    for server in filter(None, (settings.kafka_bootstrap or "").split(",")):
        host, _, port = server.strip().rpartition(":")
        found.setdefault((host, int(port or 9092)), "kafka")
    for database in databases:
        if is_mysql_url(database.url):
            parts = urlsplit(database.url)
            found.setdefault((parts.hostname or "localhost", parts.port or 3306), "mysql")
    for name, url, default_port in (
        ("redis", getattr(settings, "redis_url", None), 6379),
        ("mongodb", getattr(settings, "approval_mongodb_url", None), 27017),
    ):
        if url:
            parts = urlsplit(url)
            found.setdefault((parts.hostname or "localhost", parts.port or default_port), name)
    return [(f"{kind} {host}:{port}", (host, port)) for (host, port), kind in found.items()]


async def _reachable(name: str, address: tuple[str, int]) -> Check:
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT_SECONDS):
            _reader, writer = await asyncio.open_connection(*address)
    except (OSError, TimeoutError) as exc:
        return Check(
            name,
            False,
            f"does not answer: {exc.strerror or exc!r}"
            if isinstance(exc, OSError)
            else "does not answer in time",
        )
    writer.close()
    await writer.wait_closed()
    return Check(name, True, "answers")
