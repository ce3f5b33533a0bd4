"""Settings of the notification service (`DOJANG_*` environment variables)."""

from __future__ import annotations

from pydantic import Field

from dojang.kernel.settings import KernelSettings


class NotificationSettings(KernelSettings):
    """What the notification service reads on top of the kernel's settings."""

    notification_database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy async URL of the notification service's database "
            "(mysql+asyncmy://user:password@host:3306/notification); unset: DOJANG_DATABASE_URL, "
            "else notification.db in data_dir"
        ),
    )

    notification_read_retention_days: float = Field(
        default=90, gt=0, description="read notifications older than this are deleted"
    )
    ws_ping_interval_seconds: float = Field(
        default=25.0, gt=0, le=300, description="how often an idle socket gets a `ping`"
    )
    ws_max_sockets_per_user: int = Field(
        default=10, ge=1, le=1000, description="open notification sockets one user may hold"
    )
    ws_max_pending_messages: int = Field(
        default=100,
        ge=1,
        description="messages a socket may fall behind before it is closed as too slow",
    )
    ws_client_messages_per_second: float = Field(
        default=2.0,
        gt=0,
        description="messages a second a client may send on a socket once its burst is spent; "
        "faster, it is closed with 1008",
    )
    ws_client_message_burst: int = Field(
        default=20, ge=1, description="messages a client may send on a socket at once"
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis URL; when set the fan-out, socket limit and spent tickets are shared",
    )
    redis_key_prefix: str = Field(
        default="dojang:",
        min_length=1,
        max_length=64,
        description="prefix of every Redis key and channel, for deployments sharing one Redis",
    )
