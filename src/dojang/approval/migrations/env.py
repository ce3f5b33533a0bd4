"""Alembic environment of the approval database."""

from dojang.approval.adapters.tables import metadata
from dojang.kernel.migrations import run_migrations

run_migrations(metadata)
