"""Alembic environment of the identity database."""

from dojang.identity.adapters.tables import metadata
from dojang.kernel.migrations import run_migrations

run_migrations(metadata)
