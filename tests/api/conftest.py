"""Every suite here may run on each SQL backend (`tests/sql_backends.py`)."""

from tests.sql_backends import sql_backend

__all__ = ["sql_backend"]
