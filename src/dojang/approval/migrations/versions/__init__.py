"""Revisions of the approval database, oldest first."""
