"""Alembic scripts of the notification database."""
