"""Every service's migrations build exactly the schema its tables declare, and can be undone,
on SQLite and on MariaDB."""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Connection, MetaData, String, inspect, text

from dojang.approval.adapters.full_text import is_index_table
from dojang.kernel.db import Database
from dojang.kernel.migrations import alembic_config, upgrade_to_head_async
from tests.sql_backends import SqlBackend, on_mariadb_only

SERVICES = ["identity", "employee", "approval", "processing", "notification"]


def _service(name: str) -> tuple[Path, MetaData]:
    migrations: Path = importlib.import_module(f"dojang.{name}.bootstrap").MIGRATIONS
    metadata: MetaData = importlib.import_module(f"dojang.{name}.adapters.tables").metadata
    return migrations, metadata


async def _inspect(url: str, look: Any) -> Any:
    database = Database(url)
    try:
        async with database.engine.connect() as connection:
            return await connection.run_sync(look)
    finally:
        await database.dispose()


def _table_names(connection: Connection) -> set[str]:
    """The tables, less the embedded full-text index (a virtual table with its own)."""
    return {name for name in inspect(connection).get_table_names() if not is_index_table(name)}


def _declared(name: Any, type_: str, *_: Any) -> bool:
    return not (type_ == "table" and is_index_table(str(name)))


@pytest.mark.parametrize("service", SERVICES)
async def test_the_migrated_schema_matches_the_declared_tables(
    sql_backend: SqlBackend, service: str
) -> None:
    migrations, metadata = _service(service)
    url = await sql_backend.url(service)
    await upgrade_to_head_async(migrations, url, service)

    def differences(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "version_table": f"alembic_version_{service}",
                "include_name": _declared,
            },
        )
        return list(compare_metadata(context, metadata))

    assert await _inspect(url, differences) == []
    expected = {*metadata.tables, "outbox", "processed_events", f"alembic_version_{service}"}
    assert await _inspect(url, _table_names) == expected


@pytest.mark.parametrize("service", SERVICES)
async def test_the_migrations_downgrade_to_an_empty_database(
    sql_backend: SqlBackend, service: str
) -> None:
    migrations, _ = _service(service)
    url = await sql_backend.url(service)
    await upgrade_to_head_async(migrations, url, service)
    await asyncio.to_thread(command.downgrade, alembic_config(migrations, url, service), "base")
    assert await _inspect(url, _table_names) == {f"alembic_version_{service}"}


async def test_the_comparison_sees_a_schema_that_drifted(sql_backend: SqlBackend) -> None:
    """The check above can fail: a column the migrations did not make is reported."""
    migrations, metadata = _service("notification")
    url = await sql_backend.url("notification")
    await upgrade_to_head_async(migrations, url, "notification")
    drifted = MetaData()
    for table in metadata.tables.values():
        table.to_metadata(drifted)
    drifted.tables["notifications"].append_column(Column("colour", String(20), nullable=True))

    def differences(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "version_table": "alembic_version_notification"},
        )
        return list(compare_metadata(context, drifted))

    found = await _inspect(url, differences)
    assert [(d[0], d[3].name) for d in found] == [("add_column", "colour")]


@on_mariadb_only
@pytest.mark.parametrize("service", SERVICES)
async def test_on_mariadb_the_migrated_columns_keep_microseconds_and_long_payloads(
    sql_backend: SqlBackend, service: str
) -> None:
    """Alembic's type comparison does not look at a DATETIME's precision, so this does."""
    migrations, _ = _service(service)
    url = await sql_backend.url(service)
    await upgrade_to_head_async(migrations, url, service)

    def column_types(connection: Connection) -> set[tuple[str, int | None]]:
        rows = connection.execute(
            text(
                "SELECT DATA_TYPE, DATETIME_PRECISION FROM information_schema.columns"
                " WHERE table_schema = DATABASE()"
                " AND DATA_TYPE IN ('datetime', 'timestamp', 'blob', 'longblob')"
            )
        )
        return {(row[0], row[1]) for row in rows}

    found = await _inspect(url, column_types)
    assert ("datetime", 6) in found
    assert found <= {("datetime", 6), ("longblob", None)}
