"""Revision 0003 numbers the notifications a database already holds, per recipient."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from dojang.kernel.migrations import alembic_config
from dojang.notification.bootstrap import MIGRATIONS

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_existing_notifications_are_numbered_by_time_and_counters_go_on(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'notification.db'}"
    config = alembic_config(MIGRATIONS, url, "notification")
    command.upgrade(config, "0002")
    engine = create_engine(url)
    stored = [("n-b", "emp-lee", 2), ("n-a", "emp-lee", 1), ("n-c", "emp-park", 1)]
    with engine.begin() as connection:
        for notification_id, recipient_id, minutes in stored:
            connection.execute(
                text(
                    "INSERT INTO notifications (id, recipient_id, type, approval_id, title,"
                    " message, event_id, created_at) VALUES (:id, :recipient, 'approval.cc',"
                    " 'apr-1', 'Title', 'Message', :event, :at)"
                ),
                {
                    "id": notification_id,
                    "recipient": recipient_id,
                    "event": f"e-{notification_id}",
                    "at": AT + timedelta(minutes=minutes),
                },
            )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        numbered = connection.execute(
            text("SELECT id, sequence FROM notifications ORDER BY id")
        ).all()
        counters = connection.execute(
            text("SELECT recipient_id, last_sequence FROM notification_sequences ORDER BY 1")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in numbered] == [("n-a", 1), ("n-b", 2), ("n-c", 1)]
    assert [tuple(row) for row in counters] == [("emp-lee", 2), ("emp-park", 1)]
