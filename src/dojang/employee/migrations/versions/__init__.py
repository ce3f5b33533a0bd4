"""Revisions of the employee database, oldest first."""
