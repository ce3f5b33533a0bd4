"""Alembic environment of the notification database."""

from dojang.kernel.migrations import run_migrations
from dojang.notification.adapters.tables import metadata

run_migrations(metadata)
