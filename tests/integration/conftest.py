"""The real servers' fixtures (`tests/servers.py`) for every test in this folder."""

from tests.servers import kafka_server, mariadb_server, mongodb_server, redis_server

__all__ = ["kafka_server", "mariadb_server", "mongodb_server", "redis_server"]
