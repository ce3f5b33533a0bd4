"""Attendance (근태): one check-in per local day in the company's time zone, then a check-out.

Days are the company's local days, not UTC days: in Seoul a check-in at 08:30 is on the
same day as the check-out at 18:00, though UTC puts the first on the previous day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from dojang.employee.domain.errors import AlreadyCheckedIn, AlreadyCheckedOut, NotCheckedIn
from dojang.kernel.errors import Conflict

MAX_SHIFT = timedelta(hours=24)
"""How long after a check-in a check-out may still close it (night shifts cross midnight)."""


def local_day(at: datetime, zone: tzinfo) -> date:
    """The calendar day that instant `at` falls on in `zone`."""
    if at.tzinfo is None:
        raise ValueError("attendance needs timezone-aware instants")
    return at.astimezone(zone).date()


def work_minutes(check_in_at: datetime, check_out_at: datetime) -> int:
    """Whole minutes between check-in and check-out."""
    return max(0, int((check_out_at - check_in_at).total_seconds() // 60))


def _clock_time(at: datetime, zone: tzinfo) -> str:
    return at.astimezone(zone).strftime("%H:%M")


@dataclass
class AttendanceRecord:
    """One employee's attendance on one local day."""

    id: str
    employee_id: str
    work_date: date
    check_in_at: datetime
    check_out_at: datetime | None = None

    @property
    def work_minutes(self) -> int | None:
        """Minutes worked, once checked out."""
        if self.check_out_at is None:
            return None
        return work_minutes(self.check_in_at, self.check_out_at)


def check_in(
    *,
    record_id: str,
    employee_id: str,
    at: datetime,
    zone: tzinfo,
    todays_record: AttendanceRecord | None,
) -> AttendanceRecord:
    """Open the attendance of the local day `at` falls on; 409 if it was opened already."""
    day = local_day(at, zone)
    if todays_record is not None and todays_record.work_date == day:
        raise AlreadyCheckedIn(
            "You already checked in on {day} at {time}.",
            day=day.isoformat(),
            time=_clock_time(todays_record.check_in_at, zone),
        )
    return AttendanceRecord(id=record_id, employee_id=employee_id, work_date=day, check_in_at=at)


def check_out(latest: AttendanceRecord | None, *, at: datetime, zone: tzinfo) -> AttendanceRecord:
    """Close the employee's latest check-in at `at` and return it.

    The latest record is closed even when it began on the previous local day, so a shift
    that crosses midnight ends normally, but only within `MAX_SHIFT` of its check-in; a
    check-in forgotten for longer stays open for an administrator to correct.
    """
    today = local_day(at, zone)
    if latest is None:
        raise NotCheckedIn("You have not checked in.")
    if latest.check_out_at is not None:
        if latest.work_date == today:
            raise AlreadyCheckedOut(
                "You already checked out today at {time}.",
                time=_clock_time(latest.check_out_at, zone),
            )
        raise NotCheckedIn("You have not checked in today.")
    if at < latest.check_in_at:
        raise Conflict("A check-out cannot come before its check-in.")
    if at - latest.check_in_at > MAX_SHIFT:
        raise NotCheckedIn(
            "You have not checked in today; your check-in of {day} is too long ago to close.",
            day=latest.work_date.isoformat(),
        )
    latest.check_out_at = at
    return latest
