"""Settings of the notification service."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from dojang.notification.settings import NotificationSettings


def test_defaults_ping_every_25_seconds_and_allow_ten_sockets() -> None:
    settings = NotificationSettings()
    assert settings.ws_ping_interval_seconds == 25
    assert settings.ws_max_sockets_per_user == 10


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJANG_WS_PING_INTERVAL_SECONDS", "5")
    monkeypatch.setenv("DOJANG_WS_MAX_SOCKETS_PER_USER", "3")
    settings = NotificationSettings()
    assert settings.ws_ping_interval_seconds == 5
    assert settings.ws_max_sockets_per_user == 3


@pytest.mark.parametrize("bad", [{"ws_ping_interval_seconds": 0}, {"ws_max_sockets_per_user": 0}])
def test_nonsense_limits_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        NotificationSettings(**bad)  # type: ignore[arg-type]
