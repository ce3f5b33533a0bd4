"""Alembic scripts of the identity database (version table `alembic_version_identity`)."""
