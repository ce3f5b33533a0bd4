"""Settings of the approval-processing service (`DOJANG_*` environment variables)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from dojang.kernel.settings import KernelSettings


class ProcessingSettings(KernelSettings):
    """What the approval-processing service reads on top of the kernel's settings."""

    processing_database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy async URL of the approval-processing service's database "
            "(mysql+asyncmy://user:password@host:3306/processing); unset: DOJANG_DATABASE_URL, "
            "else processing.db in data_dir"
        ),
    )

    timezone: str = Field(
        default="Asia/Seoul",
        description="IANA time zone of the company: attendance days, leave years and document "
        "numbers follow its local dates",
    )
    delegation_sweep_seconds: float = Field(
        default=60.0,
        gt=0,
        description=(
            "the longest wait between two runs of the sweeper that moves tasks as delegations"
            " start and end (대결); it also runs when a window starts or ends"
        ),
    )
    reminder_after_hours: float = Field(
        default=24.0,
        ge=0,
        description=(
            "hours a pending task waits before its holder is first reminded (each later "
            "reminder waits twice as long); 0 sends no reminders"
        ),
    )
    reminder_max_count: int = Field(
        default=3,
        ge=0,
        description="reminders of one task at most; each waits twice as long as the one before",
    )
    reminder_scan_seconds: float = Field(
        default=300.0, gt=0, description="how often to look for tasks to remind of"
    )

    @field_validator("timezone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{value!r} is not an IANA time zone name") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The company's time zone: delegation windows given as dates are its days."""
        return ZoneInfo(self.timezone)
