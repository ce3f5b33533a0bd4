"""Alembic, driven from code: each service has its own script folder and version table.

SQLite migrates through its synchronous driver; MySQL/MariaDB through the service's own
asyncio driver (asyncmy) and `kernel.mysql`'s session setup, on a loop of the migration's
thread, so that no second driver is needed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import structlog
from alembic import command, context, op
from alembic.config import Config
from alembic.runtime.migration import MigrationContext, MigrationInfo
from sqlalchemy import Connection, MetaData, create_engine, pool

from dojang.kernel.mysql import CHARSET, COLLATION, create_mysql_engine, is_mysql_url

log = structlog.get_logger(__name__)

_SYNC_DRIVERS = {"sqlite+aiosqlite": "sqlite"}


def sync_url(url: str) -> str:
    """The URL Alembic is given: SQLite through its synchronous driver, a MySQL/MariaDB URL
    as it is (migrated through its asyncio driver, see `run_migrations`)."""
    scheme, rest = url.split("://", 1)
    return f"{_SYNC_DRIVERS.get(scheme, scheme)}://{rest}"


def alembic_config(script_location: Path, database_url: str, service: str) -> Config:
    """An Alembic config for one service's migrations."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", sync_url(database_url))
    config.attributes["version_table"] = f"alembic_version_{service}"
    return config


def upgrade_to_head(script_location: Path, database_url: str, service: str) -> None:
    """Bring one service's database to its newest schema."""
    command.upgrade(alembic_config(script_location, database_url, service), "head")


async def upgrade_to_head_async(script_location: Path, database_url: str, service: str) -> None:
    """`upgrade_to_head` off the event loop."""
    await asyncio.to_thread(upgrade_to_head, script_location, database_url, service)


def _log_applied(
    ctx: MigrationContext,
    step: MigrationInfo,
    heads: Collection[Any],
    run_args: Mapping[str, Any],
) -> None:
    log.info(
        "migration_applied",
        table=ctx.version_table,
        revision=step.up_revision_id if step.is_upgrade else step.down_revision_ids,
        direction="upgrade" if step.is_upgrade else "downgrade",
    )


def run_migrations(target_metadata: MetaData) -> None:
    """The body of every service's `env.py`: online migrations, on SQLite's synchronous
    driver or through asyncmy on MySQL/MariaDB (on a loop of this thread of its own)."""
    config = context.config
    version_table = config.attributes.get("version_table", "alembic_version")
    url = config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(
            url=url,
            target_metadata=target_metadata,
            version_table=version_table,
            literal_binds=True,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return

    def migrate(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=version_table,
            render_as_batch=True,
            on_version_apply=_log_applied,
        )
        with context.begin_transaction():
            context.run_migrations()

    if is_mysql_url(str(url)):
        asyncio.run(_migrate_mysql(str(url), migrate))
        return
    engine = create_engine(str(url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        migrate(connection)
    engine.dispose()


class UnsuitableDatabase(RuntimeError):
    """A MySQL/MariaDB database whose defaults would give tables other text semantics."""


async def _migrate_mysql(url: str, migrate: Callable[[Connection], None]) -> None:
    engine = create_mysql_engine(url, pooled=False)
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    sa.text("SELECT DATABASE(), @@character_set_database, @@collation_database")
                )
            ).one()
            if (row[1], row[2]) != (CHARSET, COLLATION):
                raise UnsuitableDatabase(
                    f"database {row[0]} has {row[1]}/{row[2]}; tables are created with the "
                    f"database's defaults, so first run: ALTER DATABASE `{row[0]}` "
                    f"CHARACTER SET {CHARSET} COLLATE {COLLATION}"
                )
            await connection.rollback()  # Alembic begins and commits its own transaction
            await connection.run_sync(migrate)
    finally:
        await engine.dispose()


# Migration scripts are history: what they call must not change behind them. So these are
# versioned; a later change to the kernel's tables gets a `_v2` and a new revision of its own.
def create_kernel_tables_v1(*, named_constraints: bool = False) -> None:
    """In a service's first revision: create `outbox` and `processed_events`."""
    auto_increment_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    instant = sa.DateTime(timezone=True)
    outbox_keys: list[sa.Constraint] = (
        [
            sa.PrimaryKeyConstraint("seq", name="pk_outbox"),
            sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
        ]
        if named_constraints
        else [sa.PrimaryKeyConstraint("seq"), sa.UniqueConstraint("event_id")]
    )
    op.create_table(
        "outbox",
        sa.Column("seq", auto_increment_id, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("message_key", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", instant, nullable=False),
        sa.Column("sent_at", instant, nullable=True),
        *outbox_keys,
    )
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"])
    op.create_table(
        "processed_events",
        sa.Column("consumer_group", sa.String(200), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("processed_at", instant, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint(
            "consumer_group",
            "event_id",
            name="pk_processed_events" if named_constraints else None,
        ),
    )


def drop_kernel_tables_v1() -> None:
    """In a service's first revision: drop what `create_kernel_tables_v1` created."""
    op.drop_table("processed_events")
    op.drop_index("ix_outbox_sent_at", table_name="outbox")
    op.drop_table("outbox")


def create_processed_age_index() -> None:
    """Index `processed_events` by age, for retention (`kernel/retention.py`)."""
    op.create_index("ix_processed_events_processed_at", "processed_events", ["processed_at"])


def drop_processed_age_index() -> None:
    """Undo `create_processed_age_index`."""
    op.drop_index("ix_processed_events_processed_at", table_name="processed_events")


def create_org_tables_v1() -> None:
    """Create a service's copy of the organisation (`kernel/org/tables.py`), generation 0."""
    instant = sa.DateTime(timezone=True)
    op.create_table(
        "org_employees",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("view", sa.JSON(), nullable=False),
        sa.Column("updated_at", instant, nullable=False),
    )
    op.create_table(
        "org_departments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        sa.Column("head_id", sa.String(36), nullable=True),
        sa.Column("updated_at", instant, nullable=False),
    )
    state = op.create_table(
        "org_state",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(state, [{"id": 1, "generation": 0}])


def drop_org_tables_v1() -> None:
    """Drop what `create_org_tables_v1` created."""
    op.drop_table("org_state")
    op.drop_table("org_departments")
    op.drop_table("org_employees")


def create_outbox_locks_v1(*, named_constraints: bool = False) -> None:
    """In a later revision of every service: create `outbox_locks`."""
    op.create_table(
        "outbox_locks",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("holder", sa.String(64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_outbox_locks" if named_constraints else None),
    )


def drop_outbox_locks_v1() -> None:
    """Undo `create_outbox_locks_v1`."""
    op.drop_table("outbox_locks")
