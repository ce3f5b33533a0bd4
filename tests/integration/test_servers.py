"""Every real server that `scripts/services` starts answers a real query from our drivers."""

from __future__ import annotations

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from pymongo import AsyncMongoClient
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.servers import unique_name

pytestmark = pytest.mark.integration


async def test_mariadb_answers_through_sqlalchemy(mariadb_server: str) -> None:
    engine = create_async_engine(mariadb_server)
    try:
        async with engine.connect() as connection:
            version = (await connection.execute(text("SELECT VERSION()"))).scalar_one()
    finally:
        await engine.dispose()
    assert "MariaDB" in version


async def test_redis_keeps_a_value(redis_server: str) -> None:
    client = Redis.from_url(redis_server)
    key = unique_name("dojang-test")
    try:
        await client.set(key, "도장", ex=60)
        assert (await client.get(key)).decode() == "도장"
    finally:
        await client.delete(key)
        await client.aclose()


async def test_the_mongodb_wire_server_stores_a_document(mongodb_server: str) -> None:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongodb_server)
    name = unique_name()
    try:
        collection = client[name]["documents"]
        await collection.insert_one({"_id": "doc-1", "title": "출장비 정산"})
        found = await collection.find_one({"_id": "doc-1"})
        assert found is not None
        assert found["title"] == "출장비 정산"
    finally:
        await client.drop_database(name)
        await client.close()


async def test_kafka_carries_a_message(kafka_server: str) -> None:
    topic = unique_name("dojang-test")
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_server)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
        producer = AIOKafkaProducer(bootstrap_servers=kafka_server, acks="all")
        await producer.start()
        try:
            await producer.send_and_wait(topic, b"submitted", key=b"doc-1")
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(
            topic, bootstrap_servers=kafka_server, auto_offset_reset="earliest"
        )
        await consumer.start()
        try:
            record = await consumer.getone()
        finally:
            await consumer.stop()
        assert (record.key, record.value) == (b"doc-1", b"submitted")
    finally:
        await admin.delete_topics([topic])
        await admin.close()
