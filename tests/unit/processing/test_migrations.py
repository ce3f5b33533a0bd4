"""The migrations build exactly the schema the tables declare, and can be undone."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from dojang.kernel.migrations import alembic_config, sync_url, upgrade_to_head
from dojang.processing.adapters.tables import metadata
from dojang.processing.bootstrap import MIGRATIONS


def _database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'processing.db'}"


def test_the_migrated_schema_matches_the_declared_tables(tmp_path: Path) -> None:
    url = _database(tmp_path)
    upgrade_to_head(MIGRATIONS, url, "processing")
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "version_table": "alembic_version_processing"},
            )
            assert compare_metadata(context, metadata) == []
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert {"tasks", "delegations", "departures", "outbox", "processed_events"} <= tables
    assert "alembic_version_processing" in tables


def test_the_migrations_downgrade_to_an_empty_database(tmp_path: Path) -> None:
    url = _database(tmp_path)
    upgrade_to_head(MIGRATIONS, url, "processing")
    command.downgrade(alembic_config(MIGRATIONS, url, "processing"), "base")
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert tables == {"alembic_version_processing"}
