"""The in-process fan-out: every socket of the one user, nobody else, never blocking."""

from __future__ import annotations

import asyncio

import pytest

from dojang.notification.adapters.fanout import InProcessFanout
from dojang.notification.service.ports import EndReason, SubscriptionEnded, TooManySockets


def fanout(max_sockets: int = 10, max_pending: int = 100) -> InProcessFanout:
    return InProcessFanout(max_sockets_per_user=max_sockets, max_pending_messages=max_pending)


async def test_a_message_reaches_every_subscription_of_its_user() -> None:
    hub = fanout()
    first, second = await hub.subscribe("kim"), await hub.subscribe("kim")
    await hub.publish("kim", {"n": 1})
    assert await first.next_message() == {"n": 1}
    assert await second.next_message() == {"n": 1}


async def test_a_message_reaches_nobody_but_its_user() -> None:
    hub = fanout()
    other = await hub.subscribe("lee")
    await hub.publish("kim", {"for": "kim"})
    await hub.publish("lee", {"for": "lee"})
    assert await other.next_message() == {"for": "lee"}


async def test_publishing_to_a_user_without_sockets_is_a_no_op() -> None:
    hub = fanout()
    await hub.publish("kim", {"n": 1})
    assert hub.subscription_count("kim") == 0


async def test_messages_arrive_in_publishing_order() -> None:
    hub = fanout()
    subscription = await hub.subscribe("kim")
    for n in range(5):
        await hub.publish("kim", {"n": n})
    assert [await subscription.next_message() for _ in range(5)] == [{"n": n} for n in range(5)]


async def test_a_closed_subscription_is_forgotten_and_gets_nothing() -> None:
    hub = fanout()
    subscription = await hub.subscribe("kim")
    await subscription.close()
    await subscription.close()
    await hub.publish("kim", {"n": 1})
    assert hub.subscription_count("kim") == 0
    with pytest.raises(SubscriptionEnded) as ended:
        await subscription.next_message()
    assert ended.value.reason is EndReason.CLOSED


async def test_a_user_may_hold_only_so_many_subscriptions() -> None:
    hub = fanout(max_sockets=2)
    first = await hub.subscribe("kim")
    await hub.subscribe("kim")
    with pytest.raises(TooManySockets):
        await hub.subscribe("kim")
    await hub.subscribe("lee")
    await first.close()
    await hub.subscribe("kim")
    assert hub.subscription_count("kim") == 2


async def test_a_subscriber_too_far_behind_is_ended_instead_of_buffered() -> None:
    hub = fanout(max_pending=2)
    slow, keeping_up = await hub.subscribe("kim"), await hub.subscribe("kim")
    for n in range(3):
        await hub.publish("kim", {"n": n})
        assert await keeping_up.next_message() == {"n": n}
    with pytest.raises(SubscriptionEnded) as ended:
        await slow.next_message()
    assert ended.value.reason is EndReason.TOO_SLOW
    assert hub.subscription_count("kim") == 1


async def test_closing_the_fanout_wakes_waiting_readers_and_refuses_new_subscribers() -> None:
    hub = fanout()
    subscription = await hub.subscribe("kim")
    waiting = asyncio.create_task(subscription.next_message())
    await asyncio.sleep(0)
    await hub.close()
    with pytest.raises(SubscriptionEnded) as ended:
        await waiting
    assert ended.value.reason is EndReason.SHUTDOWN
    with pytest.raises(SubscriptionEnded):
        await hub.subscribe("kim")
    assert hub.subscription_count("kim") == 0
