"""Alembic scripts of the approval database."""
