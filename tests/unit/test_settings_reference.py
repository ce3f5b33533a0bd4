"""docs/settings.md is what `dojang settings-reference` renders from the settings classes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field

from dojang import settings_reference
from dojang.cli import main
from dojang.identity.settings import IdentitySettings
from dojang.kernel.settings import KernelSettings
from dojang.settings_reference import READERS, render_settings_reference, settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def test_the_committed_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render_settings_reference(), (
        "docs/settings.md is stale: run `dojang settings-reference docs/settings.md`"
    )


def test_every_field_of_every_settings_class_is_listed_once() -> None:
    listed = [setting.variable for setting in settings()]
    fields = {name for kind, _reader in READERS for name in kind.model_fields}
    assert sorted(listed) == sorted(f"DOJANG_{name.upper()}" for name in fields)


def test_a_setting_read_by_two_services_names_both() -> None:
    (timezone,) = [s for s in settings() if s.name == "timezone"]
    assert timezone.readers == ("employee", "approval-request", "approval-processing")


def test_a_setting_without_a_description_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    class Undescribed(IdentitySettings):
        undescribed_seconds: int = Field(default=1)

    monkeypatch.setattr(
        settings_reference, "READERS", ((KernelSettings, "every process"), (Undescribed, "x"))
    )
    with pytest.raises(ValueError, match="undescribed_seconds has no description"):
        settings_reference.settings()


def test_the_command_writes_the_reference(tmp_path: Path) -> None:
    target = tmp_path / "settings.md"
    assert main(["settings-reference", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_settings_reference()
