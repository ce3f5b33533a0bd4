"""The identity migration creates exactly the schema the code's metadata describes."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from dojang.identity.adapters.tables import metadata
from dojang.identity.bootstrap import MIGRATIONS
from dojang.kernel.migrations import alembic_config, upgrade_to_head

VERSION_TABLE = "alembic_version_identity"


def _schema(path: Path) -> dict[str, str]:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'alembic%'"
        ).all()
    engine.dispose()
    return dict(rows)


def test_migrated_database_matches_the_metadata(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.db"
    upgrade_to_head(MIGRATIONS, f"sqlite:///{migrated}", "identity")
    engine = create_engine(f"sqlite:///{migrated}")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        assert compare_metadata(context, metadata) == []
    engine.dispose()

    created = tmp_path / "created.db"
    engine = create_engine(f"sqlite:///{created}")
    metadata.create_all(engine)
    engine.dispose()
    assert _schema(migrated) == _schema(created)


def test_kernel_tables_are_part_of_the_identity_database(tmp_path: Path) -> None:
    path = tmp_path / "identity.db"
    upgrade_to_head(MIGRATIONS, f"sqlite:///{path}", "identity")
    engine = create_engine(f"sqlite:///{path}")
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"outbox", "processed_events", VERSION_TABLE} <= tables


def test_downgrade_removes_every_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'identity.db'}"
    upgrade_to_head(MIGRATIONS, url, "identity")
    command.downgrade(alembic_config(MIGRATIONS, url, "identity"), "base")
    engine = create_engine(f"sqlite:///{tmp_path / 'identity.db'}")
    assert set(inspect(engine).get_table_names()) == {VERSION_TABLE}
    engine.dispose()
