"""What a process running one service reads from `DOJANG_*`, on top of the service's own
settings and the kernel's (the bus among them): its database, and where the services it
calls synchronously answer."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from dojang.kernel.settings import KernelSettings


class ServiceName(StrEnum):
    """The services `dojang run` starts, as their processes are named."""

    IDENTITY = "identity"
    EMPLOYEE = "employee"
    APPROVAL_REQUEST = "approval-request"
    APPROVAL_PROCESSING = "approval-processing"
    NOTIFICATION = "notification"


class ProcessSettings(KernelSettings):
    """The composition of one service in its own process."""

    identity_url: str | None = Field(
        default=None,
        description="base URL of the identity service: its JWKS for every other service, its "
        "ports for employee and notification (required there)",
    )
    employee_url: str | None = Field(
        default=None,
        description="base URL of the employee service: the leave ledger of approval-request "
        "(required there)",
    )
    identity_database_url: str | None = None
    employee_database_url: str | None = None
    approval_database_url: str | None = None
    processing_database_url: str | None = None
    notification_database_url: str | None = None

    def database_url_of(self, service: ServiceName) -> str | None:
        """The service's own `DOJANG_<SERVICE>_DATABASE_URL`, else `DOJANG_DATABASE_URL`;
        None leaves the service on its SQLite file in `data_dir`."""
        own = {
            ServiceName.IDENTITY: self.identity_database_url,
            ServiceName.EMPLOYEE: self.employee_database_url,
            ServiceName.APPROVAL_REQUEST: self.approval_database_url,
            ServiceName.APPROVAL_PROCESSING: self.processing_database_url,
            ServiceName.NOTIFICATION: self.notification_database_url,
        }[service]
        return own or self.database_url


class MissingSetting(Exception):
    """A setting the service needs in its own process is not set."""


def required_url(name: str, value: str | None) -> str:
    """`value`, or a clear refusal to start without `DOJANG_<NAME>_URL`."""
    if not value:
        raise MissingSetting(f"DOJANG_{name.upper()}_URL must be set to run this service alone")
    return value.rstrip("/")
