"""Alembic, driven from code: each service has its own script folder and version table."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, pool

_SYNC_DRIVERS = {"sqlite+aiosqlite": "sqlite", "mysql+aiomysql": "mysql+pymysql"}


def sync_url(url: str) -> str:
    """The same database through a synchronous driver, for Alembic."""
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


def run_migrations(target_metadata: MetaData) -> None:
    """The body of every service's `env.py`: online migrations on a sync engine."""
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
    engine = create_engine(str(url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=version_table,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
