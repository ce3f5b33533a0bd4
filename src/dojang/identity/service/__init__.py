"""Identity use cases, each run in one unit of work."""
