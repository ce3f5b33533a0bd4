"""Settings of the employee service (`DOJANG_*` environment variables)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from dojang.kernel.settings import KernelSettings


class EmployeeSettings(KernelSettings):
    """What the employee service reads on top of the kernel's settings."""

    timezone: str = Field(
        default="Asia/Seoul",
        description="IANA time zone of the company; attendance days are local days here",
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
