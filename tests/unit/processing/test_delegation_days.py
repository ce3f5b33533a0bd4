"""Delegation windows given as dates are whole days of the company's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dojang.processing.domain.delegation_days import DayOutOfRange, window_end, window_start

SEOUL = ZoneInfo("Asia/Seoul")


def test_a_start_date_starts_at_local_midnight() -> None:
    assert window_start(date(2026, 12, 24), SEOUL) == datetime(2026, 12, 23, 15, tzinfo=UTC)


def test_an_end_date_ends_when_that_local_day_is_over() -> None:
    assert window_end(date(2026, 12, 24), SEOUL) == datetime(2026, 12, 24, 15, tzinfo=UTC)


def test_one_date_as_both_bounds_is_one_whole_day() -> None:
    day = date(2026, 3, 2)
    assert window_end(day, SEOUL) - window_start(day, SEOUL) == timedelta(days=1)


def test_the_days_follow_the_zone_given() -> None:
    new_york = ZoneInfo("America/New_York")
    assert window_start(date(2026, 7, 1), new_york) == datetime(2026, 7, 1, 4, tzinfo=UTC)


def test_instants_with_an_offset_are_kept_as_they_are() -> None:
    at = datetime(2026, 12, 24, 9, 30, tzinfo=timezone(timedelta(hours=9)))
    assert window_start(at, SEOUL) is at
    assert window_end(at, SEOUL) is at


def test_the_last_date_there_is_cannot_end_a_window() -> None:
    with pytest.raises(DayOutOfRange):
        window_end(date.max, SEOUL)
