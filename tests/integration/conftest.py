"""The real servers' fixtures (`tests/servers.py`) for every test in this folder, and
`any_bus`, which runs a test on the embedded bus and on Kafka."""

from tests.integration.buses import any_bus
from tests.servers import kafka_server, mariadb_server, mongodb_server, redis_server

__all__ = ["any_bus", "kafka_server", "mariadb_server", "mongodb_server", "redis_server"]
