"""Use cases of the employee service, each run in one unit of work."""
