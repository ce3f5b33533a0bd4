"""Settings of the approval-processing service (`DOJANG_*` environment variables)."""

from __future__ import annotations

from pydantic import Field

from dojang.kernel.company_settings import CompanySettings


class ProcessingSettings(CompanySettings):
    """What the approval-processing service reads on top of the kernel's settings."""

    processing_database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy async URL of the approval-processing service's database "
            "(mysql+asyncmy://user:password@host:3306/processing); unset: DOJANG_DATABASE_URL, "
            "else processing.db in data_dir"
        ),
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
