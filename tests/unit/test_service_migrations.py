"""Every service's migrations build exactly the schema its tables declare, and can be undone."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect

from dojang.kernel.migrations import alembic_config, sync_url, upgrade_to_head

SERVICES = ["identity", "employee", "approval", "processing", "notification"]


def _service(name: str) -> tuple[Path, MetaData]:
    migrations: Path = importlib.import_module(f"dojang.{name}.bootstrap").MIGRATIONS
    metadata: MetaData = importlib.import_module(f"dojang.{name}.adapters.tables").metadata
    return migrations, metadata


def _tables(url: str) -> set[str]:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("service", SERVICES)
def test_the_migrated_schema_matches_the_declared_tables(tmp_path: Path, service: str) -> None:
    migrations, metadata = _service(service)
    url = f"sqlite:///{tmp_path / f'{service}.db'}"
    upgrade_to_head(migrations, url, service)
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "version_table": f"alembic_version_{service}"},
            )
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()
    expected = {*metadata.tables, "outbox", "processed_events", f"alembic_version_{service}"}
    assert _tables(url) == expected


@pytest.mark.parametrize("service", SERVICES)
def test_the_migrations_downgrade_to_an_empty_database(tmp_path: Path, service: str) -> None:
    migrations, _ = _service(service)
    url = f"sqlite:///{tmp_path / f'{service}.db'}"
    upgrade_to_head(migrations, url, service)
    command.downgrade(alembic_config(migrations, url, service), "base")
    assert _tables(url) == {f"alembic_version_{service}"}
