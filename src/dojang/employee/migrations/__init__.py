"""Alembic scripts of the employee database."""
