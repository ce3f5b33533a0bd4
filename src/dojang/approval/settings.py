"""Settings of the approval-request service (`DOJANG_*` environment variables)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from dojang.kernel.company_settings import CompanySettings


class ApprovalSettings(CompanySettings):
    """What the approval-request service reads on top of the kernel's settings."""

    approval_database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy async URL of the approval-request service (its SQL store)'s database "
            "(mysql+asyncmy://user:password@host:3306/approval); unset: DOJANG_DATABASE_URL, "
            "else approval.db in data_dir"
        ),
    )

    expense_director_threshold: Decimal = Field(
        default=Decimal(1_000_000),
        ge=0,
        description=(
            "an expense above this amount also needs a director; compared with the amount as "
            "is, whatever its currency"
        ),
    )

    leave_ledger_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        le=60,
        description=(
            "seconds a leave submission waits for the employee service to hold its days "
            "before it is answered 503"
        ),
    )

    approval_mongodb_url: str | None = Field(
        default=None,
        description=(
            "MongoDB URL naming its database in the path (mongodb://host/dojang_approval): "
            "approval documents live there instead of the SQL database, which then keeps "
            "only the copy of the organisation"
        ),
    )
    approval_mongodb_write_guard: Literal["token", "none"] = Field(
        default="token",
        description=(
            "token: every conditional update first inserts a unique write token, because "
            "FerretDB 1.x does not match and write a conditional update as one step; none: "
            "the update alone, for MongoDB itself (see docs/approval-mongo.md)"
        ),
    )
    approval_mongodb_answer_keep_hours: float = Field(
        default=24.0,
        gt=0,
        description=(
            "on MongoDB, hours a decision's first answer stays remembered for retries with "
            "its Idempotency-Key (forgotten at the document's next save after that)"
        ),
    )
    approval_mongodb_applied_keep_days: float = Field(
        default=14.0,
        gt=0,
        description=(
            "on MongoDB, days a document keeps the ids of events applied to it; at least the "
            "retention of approval-results plus that of approval-results.dlq"
        ),
    )
    number_claim_grace_seconds: float = Field(
        default=30.0,
        gt=0,
        description=(
            "on MongoDB, seconds after which another approval may take over a document "
            "number whose approval never finished (see docs/approval-mongo.md)"
        ),
    )
