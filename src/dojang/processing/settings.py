"""Settings of the approval-processing service (`DOJANG_*` environment variables)."""

from __future__ import annotations

from pydantic import Field

from dojang.kernel.settings import KernelSettings


class ProcessingSettings(KernelSettings):
    """What the approval-processing service reads on top of the kernel's settings."""

    delegation_sweep_seconds: float = Field(
        default=60.0,
        gt=0,
        description="how often tasks follow delegations that started or ended (대결)",
    )
