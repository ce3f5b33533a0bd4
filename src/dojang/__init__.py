"""Dojang (도장): electronic approval as event-driven services."""

__version__ = "0.1.0"
