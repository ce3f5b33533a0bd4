"""Attendance rules: local days in Seoul, one check-in a day, one check-out, work minutes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dojang.employee.domain.attendance import (
    MAX_SHIFT,
    AttendanceRecord,
    check_in,
    check_out,
    local_day,
    work_minutes,
)
from dojang.employee.domain.errors import AlreadyCheckedIn, AlreadyCheckedOut, NotCheckedIn
from dojang.kernel.clock import FixedClock
from dojang.kernel.errors import Conflict

SEOUL = ZoneInfo("Asia/Seoul")


def seoul(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Seoul wall-clock time as the UTC instant a clock would report."""
    return datetime(year, month, day, hour, minute, tzinfo=SEOUL).astimezone(UTC)


class FakeAttendanceBook:
    """One employee's records, as the repository would return the latest."""

    def __init__(self, clock: FixedClock) -> None:
        self.clock = clock
        self.records: list[AttendanceRecord] = []

    @property
    def latest(self) -> AttendanceRecord | None:
        return max(self.records, key=lambda r: r.work_date, default=None)

    def check_in(self) -> AttendanceRecord:
        record = check_in(
            record_id=f"r{len(self.records)}",
            employee_id="e1",
            at=self.clock.now(),
            zone=SEOUL,
            todays_record=self.latest,
        )
        self.records.append(record)
        return record

    def check_out(self) -> AttendanceRecord:
        return check_out(self.latest, at=self.clock.now(), zone=SEOUL)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(seoul(2026, 3, 2, 9, 0))


@pytest.fixture
def book(clock: FixedClock) -> FakeAttendanceBook:
    return FakeAttendanceBook(clock)


def test_the_day_is_the_seoul_day_not_the_utc_day() -> None:
    morning = seoul(2026, 3, 2, 8, 30)
    assert morning.date() == date(2026, 3, 1)  # still yesterday in UTC
    assert local_day(morning, SEOUL) == date(2026, 3, 2)


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        local_day(datetime(2026, 3, 2, 9, 0), SEOUL)


def test_a_check_in_opens_the_local_day(book: FakeAttendanceBook) -> None:
    book.clock.at = seoul(2026, 3, 2, 8, 30)
    record = book.check_in()
    assert record.work_date == date(2026, 3, 2)
    assert record.check_in_at == seoul(2026, 3, 2, 8, 30)
    assert record.check_out_at is None
    assert record.work_minutes is None


def test_a_second_check_in_on_the_same_local_day_is_a_conflict(book: FakeAttendanceBook) -> None:
    book.clock.at = seoul(2026, 3, 2, 0, 5)
    book.check_in()
    book.clock.at = seoul(2026, 3, 2, 23, 55)
    with pytest.raises(AlreadyCheckedIn, match="2026-03-02 at 00:05"):
        book.check_in()


def test_a_check_in_just_after_midnight_opens_the_next_day(book: FakeAttendanceBook) -> None:
    book.clock.at = seoul(2026, 3, 2, 23, 59)
    first = book.check_in()
    book.clock.advance(minutes=2)
    second = book.check_in()
    assert (first.work_date, second.work_date) == (date(2026, 3, 2), date(2026, 3, 3))


def test_utc_midnight_does_not_split_a_seoul_day(book: FakeAttendanceBook) -> None:
    book.clock.at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 08:30 on the 2nd in Seoul
    book.check_in()
    book.clock.at = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # 09:30, same Seoul day
    with pytest.raises(AlreadyCheckedIn):
        book.check_in()


def test_a_check_out_closes_the_day_and_counts_whole_minutes(book: FakeAttendanceBook) -> None:
    book.check_in()
    book.clock.advance(hours=9, minutes=15, seconds=59)
    record = book.check_out()
    assert record.check_out_at == book.clock.now()
    assert record.work_minutes == 9 * 60 + 15


def test_a_check_out_without_a_check_in_is_a_conflict(book: FakeAttendanceBook) -> None:
    with pytest.raises(NotCheckedIn):
        book.check_out()


def test_a_second_check_out_is_a_conflict(book: FakeAttendanceBook) -> None:
    book.check_in()
    book.clock.advance(hours=8)
    book.check_out()
    book.clock.advance(minutes=30)
    with pytest.raises(AlreadyCheckedOut, match="17:00"):
        book.check_out()
    assert book.records[0].check_out_at == seoul(2026, 3, 2, 17, 0)


def test_a_check_out_the_day_after_a_closed_day_needs_a_new_check_in(
    book: FakeAttendanceBook,
) -> None:
    book.check_in()
    book.clock.advance(hours=8)
    book.check_out()
    book.clock.advance(days=1)
    with pytest.raises(NotCheckedIn, match="today"):
        book.check_out()


def test_a_night_shift_checks_out_after_midnight(book: FakeAttendanceBook) -> None:
    book.clock.at = seoul(2026, 3, 2, 22, 0)
    book.check_in()
    book.clock.at = seoul(2026, 3, 3, 6, 30)
    record = book.check_out()
    assert record.work_date == date(2026, 3, 2)
    assert record.work_minutes == 8 * 60 + 30


def test_a_check_in_forgotten_for_more_than_a_shift_is_not_closed(
    book: FakeAttendanceBook,
) -> None:
    book.check_in()
    book.clock.advance(seconds=MAX_SHIFT.total_seconds() + 60)
    with pytest.raises(NotCheckedIn, match="too long ago"):
        book.check_out()
    assert book.records[0].check_out_at is None


def test_after_a_forgotten_check_out_the_next_day_starts_normally(
    book: FakeAttendanceBook,
) -> None:
    book.check_in()
    book.clock.advance(days=1)
    today = book.check_in()
    book.clock.advance(hours=8)
    assert book.check_out() is today
    assert book.records[0].check_out_at is None


def test_a_check_out_before_the_check_in_is_refused() -> None:
    record = AttendanceRecord(
        id="r", employee_id="e1", work_date=date(2026, 3, 2), check_in_at=seoul(2026, 3, 2, 9)
    )
    with pytest.raises(Conflict):
        check_out(record, at=seoul(2026, 3, 2, 8), zone=SEOUL)


@given(st.integers(min_value=0, max_value=24 * 3600 * 1000))
def test_work_minutes_are_the_whole_minutes_between_in_and_out(millis: int) -> None:
    start = seoul(2026, 3, 2, 9)
    assert work_minutes(start, start + timedelta(milliseconds=millis)) == millis // 60_000
