"""docs/operations.md names every variable a process reads."""

from __future__ import annotations

from pathlib import Path

from dojang.approval.settings import ApprovalSettings
from dojang.composition.settings import ProcessSettings
from dojang.employee.settings import EmployeeSettings
from dojang.identity.settings import IdentitySettings
from dojang.notification.settings import NotificationSettings
from dojang.processing.settings import ProcessingSettings

DOC = Path(__file__).resolve().parents[3] / "docs" / "operations.md"


def test_every_setting_of_every_process_is_in_the_table() -> None:
    table = DOC.read_text(encoding="utf-8").split("## Environment variables per process")[1]
    kinds = (
        ProcessSettings,
        IdentitySettings,
        EmployeeSettings,
        ApprovalSettings,
        ProcessingSettings,
        NotificationSettings,
    )
    names = {f"DOJANG_{field.upper()}" for kind in kinds for field in kind.model_fields}
    missing = sorted(name for name in names if f"`{name}`" not in table)
    assert missing == []
