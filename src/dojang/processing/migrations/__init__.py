"""Alembic scripts of the processing database."""
