"""Alembic environment of the employee database."""

from dojang.employee.adapters.tables import metadata
from dojang.kernel.migrations import run_migrations

run_migrations(metadata)
