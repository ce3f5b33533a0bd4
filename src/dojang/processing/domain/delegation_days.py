"""How a delegation window given as whole days becomes instants: in the company's time zone.

A date alone (`2026-12-24`) means that whole local day: a window starts at the first moment
of its start date and ends when its end date is over (the next day's midnight, local time).
A time with an offset is taken as it is.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

DayOrInstant = date | datetime
"""What a window bound is given as: a local date (a whole day) or an aware instant."""


class DayOutOfRange(ValueError):
    """A date whose day has no following day (9999-12-31 as an end)."""


def window_start(value: DayOrInstant, zone: tzinfo) -> datetime:
    """When a window starting on `value` starts: the first moment of that local day."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(), zone)


def window_end(value: DayOrInstant, zone: tzinfo) -> datetime:
    """When a window ending on `value` ends: the end of that local day (the next midnight)."""
    if isinstance(value, datetime):
        return value
    try:
        following = value + timedelta(days=1)
    except OverflowError:
        raise DayOutOfRange(value.isoformat()) from None
    return datetime.combine(following, time(), zone)
