"""The company's own facts that several services read: its time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from dojang.kernel.settings import KernelSettings


class CompanySettings(KernelSettings):
    """Settings of a service that reads the company's local dates."""

    timezone: str = Field(
        default="Asia/Seoul",
        description="IANA time zone of the company: attendance days, leave years, document "
        "numbers and delegation days given as dates follow its local dates",
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
        """The company's time zone."""
        return ZoneInfo(self.timezone)
