"""The login throttle: a fixed window of attempts per email and client, on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from dojang.identity.domain.throttle import AttemptWindow, LoginThrottle, throttle_key
from dojang.kernel.clock import FixedClock

throttle = LoginThrottle(max_failures=5, window=timedelta(minutes=5))
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def attempts(clock: FixedClock, count: int, window: AttemptWindow | None = None) -> AttemptWindow:
    assert count > 0
    for _ in range(count):
        window = throttle.after_attempt(window, clock.now())
    assert window is not None
    return window


def test_five_failures_are_allowed() -> None:
    clock = FixedClock(START)
    window = attempts(clock, 5)
    assert window.attempts == 5
    assert throttle.retry_after(window, clock.now()) is None


def test_the_sixth_attempt_in_the_window_is_refused_until_the_window_ends() -> None:
    clock = FixedClock(START)
    window = attempts(clock, 5)
    clock.advance(minutes=2)
    window = attempts(clock, 1, window)
    assert throttle.retry_after(window, clock.now()) == 180


def test_retry_after_is_rounded_up_and_at_least_one_second() -> None:
    clock = FixedClock(START)
    window = attempts(clock, 6)
    clock.advance(seconds=299.2)
    assert throttle.retry_after(window, clock.now()) == 1


def test_a_new_window_opens_once_the_old_one_has_passed() -> None:
    clock = FixedClock(START)
    window = attempts(clock, 9)
    clock.advance(minutes=5)
    window = attempts(clock, 1, window)
    assert window == AttemptWindow(started_at=clock.now(), attempts=1)
    assert throttle.retry_after(window, clock.now()) is None


def test_a_closed_window_refuses_nothing() -> None:
    clock = FixedClock(START)
    window = attempts(clock, 9)
    clock.advance(minutes=5)
    assert throttle.retry_after(window, clock.now()) is None


def test_keys_differ_by_email_and_client_and_hide_both() -> None:
    key = throttle_key("kim@dojang.example", "10.0.0.1")
    assert key != throttle_key("kim@dojang.example", "10.0.0.2")
    assert key != throttle_key("lee@dojang.example", "10.0.0.1")
    assert "kim" not in key
    assert len(key) == 64


@given(st.lists(st.floats(min_value=0, max_value=120), min_size=1, max_size=30))
def test_a_refusal_never_asks_to_wait_longer_than_the_window(gaps: list[float]) -> None:
    clock = FixedClock(START)
    window: AttemptWindow | None = None
    for gap in gaps:
        clock.advance(seconds=gap)
        window = throttle.after_attempt(window, clock.now())
        retry = throttle.retry_after(window, clock.now())
        assert retry is None or 1 <= retry <= 300
        assert (retry is not None) == (window.attempts > 5)
