"""Settings of the identity service, read from `DOJANG_*` like every other."""

from __future__ import annotations

from pydantic import Field

from dojang.kernel.auth.factory import BUILTIN_AUDIENCE
from dojang.kernel.auth.ws_tickets import MAX_WS_TICKET_TTL_SECONDS
from dojang.kernel.settings import KernelSettings


class IdentitySettings(KernelSettings):
    """Token lifetimes, login throttling and the password policy."""

    identity_database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy async URL of the identity service's database "
            "(mysql+asyncmy://user:password@host:3306/identity); unset: DOJANG_DATABASE_URL, "
            "else identity.db in data_dir"
        ),
    )

    access_token_ttl_seconds: int = Field(
        default=15 * 60, gt=0, le=24 * 3600, description="an access token's lifetime"
    )
    refresh_token_ttl_seconds: int = Field(
        default=14 * 24 * 3600, gt=0, description="a session idle this long ends"
    )
    ws_ticket_ttl_seconds: int = Field(
        default=30,
        gt=0,
        le=MAX_WS_TICKET_TTL_SECONDS,
        description="how long a WebSocket ticket may wait to be used (once)",
    )
    login_max_failures: int = Field(
        default=5, gt=0, description="failed logins per email and client within the window"
    )
    login_failure_window_seconds: int = Field(
        default=5 * 60, gt=0, description="the window failed logins are counted in"
    )
    token_audience: str = Field(
        default=BUILTIN_AUDIENCE,
        min_length=1,
        description="`aud` of the built-in issuer's tokens; the same in every process",
    )
    password_min_length: int = Field(
        default=10,
        ge=8,
        le=128,
        description="the shortest password accepted; a common or easily guessed one is "
        "refused whatever its length",
    )
