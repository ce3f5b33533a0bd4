"""The settings choose the bus: Kafka when a bootstrap address is set, else the embedded log."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from dojang.kernel.bus.configured import TOPICS, configured_bus
from dojang.kernel.bus.kafka import KafkaBus, has_one_partition
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.settings import KernelSettings


async def test_without_a_bootstrap_address_events_stay_in_the_data_dir(tmp_path: Path) -> None:
    settings = KernelSettings(data_dir=tmp_path)
    bus, database = configured_bus(settings)
    assert isinstance(bus, LocalBus)
    assert database is not None
    assert database.url == settings.sqlite_url("bus")
    await database.dispose()


def test_a_bootstrap_address_puts_the_events_on_kafka(tmp_path: Path) -> None:
    settings = KernelSettings(
        data_dir=tmp_path, kafka_bootstrap="127.0.0.1:9092", kafka_namespace="staging."
    )
    bus, database = configured_bus(settings)
    assert isinstance(bus, KafkaBus)
    assert database is None
    assert bus.physical("approval-events") == "staging.approval-events"
    assert not (tmp_path / "bus.db").exists()


def test_kafka_settings_refuse_what_kafka_would() -> None:
    with pytest.raises(ValidationError):
        KernelSettings(kafka_partitions=0)
    with pytest.raises(ValidationError):
        KernelSettings(kafka_namespace="two words")


def test_only_dead_letters_and_replay_markers_have_one_partition() -> None:
    assert all(not has_one_partition(topic) for topic in TOPICS)
    assert has_one_partition("approval-events.dlq")
    assert has_one_partition("approval-events.dlq.replayed")
    assert not has_one_partition("dlq-audit")
