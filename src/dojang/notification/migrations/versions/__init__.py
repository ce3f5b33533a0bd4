"""Revisions of the notification database, oldest first."""
