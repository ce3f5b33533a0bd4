"""Alembic environment of the processing database."""

from dojang.kernel.migrations import run_migrations
from dojang.processing.adapters.tables import metadata

run_migrations(metadata)
