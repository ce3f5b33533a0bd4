"""The bus port's contract, held by the embedded log and by Kafka alike."""

from __future__ import annotations

from collections.abc import Sequence

from dojang.kernel.bus.port import EventBus, Message, Record, Subscription


def _messages(*pairs: tuple[str, str]) -> list[Message]:
    return [Message(key=k, value=v.encode()) for k, v in pairs]


async def _drain(subscription: Subscription, batch: int = 7) -> list[Record]:
    seen: list[Record] = []
    while records := await subscription.fetch(batch, timeout=0):
        seen.extend(records)
        await subscription.commit(records)
    return seen


def _by_key(records: Sequence[Record]) -> dict[str, list[int]]:
    values: dict[str, list[int]] = {}
    for record in records:
        values.setdefault(record.key, []).append(int(record.value))
    return values


async def test_each_group_sees_every_message_once_and_each_key_in_order(
    any_bus: EventBus,
) -> None:
    for start in range(0, 40, 10):  # several publishes, several keys
        await any_bus.publish(
            "orders", _messages(*((f"k{i % 5}", str(i)) for i in range(start, start + 10)))
        )
    billing = await any_bus.subscribe("billing", ["orders"])
    shipping = await any_bus.subscribe("shipping", ["orders"])
    try:
        for group in (billing, shipping):
            seen = await _drain(group)
            assert sorted(int(r.value) for r in seen) == list(range(40))
            expected = {f"k{k}": list(range(k, 40, 5)) for k in range(5)}
            assert _by_key(seen) == expected
            assert await group.fetch(10, timeout=0) == []
    finally:
        await billing.close()
        await shipping.close()
    again = await any_bus.subscribe("billing", ["orders"])
    try:
        assert await again.fetch(10, timeout=0) == []
    finally:
        await again.close()


async def test_what_was_fetched_but_not_committed_is_delivered_again_after_close(
    any_bus: EventBus,
) -> None:
    await any_bus.publish("orders", _messages(*(("doc-1", str(i)) for i in range(5))))
    first = await any_bus.subscribe("billing", ["orders"])
    records = await first.fetch(10, timeout=0)
    assert [r.value for r in records] == [b"0", b"1", b"2", b"3", b"4"]
    await first.commit(records[:2])
    await first.close()  # the rest was fetched, never committed: the process "crashed"
    resumed = await any_bus.subscribe("billing", ["orders"])
    try:
        assert [r.value for r in await _drain(resumed)] == [b"2", b"3", b"4"]
    finally:
        await resumed.close()


async def test_offsets_count_from_one_and_read_resumes_behind_an_offset(
    any_bus: EventBus,
) -> None:
    await any_bus.publish("orders.dlq", _messages(*(("k", str(i)) for i in range(5))))
    first = await any_bus.read(["orders.dlq"], after=0, limit=2)
    assert [(r.offset, r.value) for r in first] == [(1, b"0"), (2, b"1")]
    rest = await any_bus.read(["orders.dlq"], after=first[-1].offset, limit=10)
    assert [(r.offset, r.value) for r in rest] == [(3, b"2"), (4, b"3"), (5, b"4")]
    assert await any_bus.read(["orders.dlq"], after=5, limit=10) == []


async def test_a_group_committing_a_record_commits_its_offset(any_bus: EventBus) -> None:
    await any_bus.publish("orders", _messages(("doc-1", "0"), ("doc-1", "1")))
    subscription = await any_bus.subscribe("billing", ["orders"])
    try:
        [first, second] = await subscription.fetch(10, timeout=0)
        assert second.offset == first.offset + 1
        await subscription.commit([first])
    finally:
        await subscription.close()
    # committing the first leaves exactly the second to do
    assert await any_bus.lag("billing", "orders") == 1


async def test_lag_counts_what_a_group_has_not_committed(any_bus: EventBus) -> None:
    assert await any_bus.lag("billing", "orders") == 0
    await any_bus.publish("orders", _messages(*((f"k{i}", str(i)) for i in range(6))))
    assert await any_bus.lag("billing", "orders") == 6
    subscription = await any_bus.subscribe("billing", ["orders"])
    try:
        records = await _drain(subscription)
        assert len(records) == 6
        assert await any_bus.lag("billing", "orders") == 0
        assert await any_bus.lag("shipping", "orders") == 6
    finally:
        await subscription.close()


async def test_headers_travel_with_the_message(any_bus: EventBus) -> None:
    await any_bus.publish(
        "orders",
        [
            Message("doc-1", b"with", headers=(("origin", "결재"), ("try", "2"))),
            Message("doc-1", b"without"),
        ],
    )
    subscription = await any_bus.subscribe("billing", ["orders"])
    try:
        records = await _drain(subscription)
    finally:
        await subscription.close()
    assert [(r.value, r.headers) for r in records] == [
        (b"with", (("origin", "결재"), ("try", "2"))),
        (b"without", ()),
    ]


async def test_a_started_bus_answers_a_ping(any_bus: EventBus) -> None:
    await any_bus.ping()
