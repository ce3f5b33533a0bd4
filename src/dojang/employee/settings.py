"""Settings of the employee service (`DOJANG_*` environment variables)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from pydantic import Field, field_validator

from dojang.kernel.company_settings import CompanySettings


class EmployeeSettings(CompanySettings):
    """What the employee service reads on top of the kernel's settings."""

    employee_database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy async URL of the employee service's database "
            "(mysql+asyncmy://user:password@host:3306/employee); unset: DOJANG_DATABASE_URL, "
            "else employee.db in data_dir"
        ),
    )

    annual_leave_days: float = Field(
        default=15,
        ge=0,
        le=366,
        description="days of leave (연차) granted to every employee each year, in half days",
    )

    leave_hold_minutes: float = Field(
        default=15,
        gt=0,
        le=24 * 60,
        description=(
            "minutes a leave reservation holds its days until the submitted document "
            "confirms it; a submission that failed after reserving holds them no longer"
        ),
    )

    @field_validator("annual_leave_days")
    @classmethod
    def _whole_or_half_days(cls, value: float) -> float:
        if value * 2 != int(value * 2):
            raise ValueError("must be a whole or half number of days")
        return value

    @property
    def annual_leave(self) -> Decimal:
        """The yearly grant as exact days."""
        return Decimal(str(self.annual_leave_days))

    @property
    def leave_hold_ttl(self) -> timedelta:
        """How long an unconfirmed leave reservation holds its days."""
        return timedelta(minutes=self.leave_hold_minutes)
