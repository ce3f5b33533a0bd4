"""The employee service's settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from dojang.employee.settings import EmployeeSettings


def test_the_company_time_zone_defaults_to_seoul() -> None:
    settings = EmployeeSettings()
    assert settings.timezone == "Asia/Seoul"
    assert str(settings.zone) == "Asia/Seoul"


def test_another_iana_time_zone_is_accepted() -> None:
    assert str(EmployeeSettings(timezone="Europe/Berlin").zone) == "Europe/Berlin"


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../etc/passwd", "KST+9"])
def test_an_unknown_time_zone_is_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="time zone"):
        EmployeeSettings(timezone=name)
