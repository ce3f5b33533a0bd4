"""A notification's read state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dojang.notification.domain.notifications import Notice, Notification, NotificationType

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def unread() -> Notification:
    notice = Notice(
        recipient_id="emp-lee",
        type=NotificationType.YOUR_TURN,
        approval_id="apr-1",
        title="Q3 travel expenses",
        message="Kim Dojang asked for your approval: Q3 travel expenses",
    )
    return Notification.of(notice, notification_id="n-1", sequence=1, event_id="e-1", created_at=AT)


def test_a_new_notification_is_unread() -> None:
    assert unread().unread
    assert unread().read_at is None


def test_reading_records_the_time() -> None:
    read = unread().read(AT + timedelta(minutes=5))
    assert not read.unread
    assert read.read_at == AT + timedelta(minutes=5)


def test_reading_again_keeps_the_first_read_time() -> None:
    read = unread().read(AT + timedelta(minutes=5))
    assert read.read(AT + timedelta(hours=1)) is read


def test_reminders_are_a_reserved_type() -> None:
    assert NotificationType.REMINDER.value == "approval.reminder"
    assert {t.value for t in NotificationType} >= {
        "approval.your_turn",
        "approval.approved",
        "approval.rejected",
        "approval.withdrawn",
        "approval.commented",
        "approval.cc",
        "approval.reminder",
    }
