"""FastAPI plumbing every service shares: problems, dependencies, pagination, operations."""
