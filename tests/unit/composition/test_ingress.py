"""The ingress routes every public path to the service whose routers answer it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute

from dojang.app import Embedded
from dojang.composition.ingress import PUBLIC_ROUTES, nginx_config, owner_of
from dojang.composition.settings import ServiceName

MODULE_SERVICE = {
    "identity": ServiceName.IDENTITY,
    "employee": ServiceName.EMPLOYEE,
    "approval": ServiceName.APPROVAL_REQUEST,
    "processing": ServiceName.APPROVAL_PROCESSING,
    "notification": ServiceName.NOTIFICATION,
}


def test_every_public_route_of_every_service_goes_to_that_service(tmp_path: Path) -> None:
    embedded = Embedded({"data_dir": tmp_path})
    routed = 0
    for module in embedded.modules:
        for router in module.routers:
            for route in router.routes:
                assert isinstance(route, APIRoute | APIWebSocketRoute)
                assert owner_of(route.path) is MODULE_SERVICE[module.name], route.path
                routed += 1
    assert routed > 40


def test_internal_and_unknown_paths_have_no_owner() -> None:
    assert owner_of("/internal/identity/pending-logins") is None
    assert owner_of("/api/approvalsx") is None
    assert owner_of("/api/approvals") is ServiceName.APPROVAL_REQUEST
    assert owner_of("/ws/notifications") is ServiceName.NOTIFICATION


def _config(tmp_path: Path, web_root: Path | None = None) -> str:
    upstreams = {service: ["127.0.0.1:1"] for service in ServiceName}
    upstreams[ServiceName.NOTIFICATION] = ["127.0.0.1:2", "127.0.0.1:3"]
    return nginx_config(
        listen="127.0.0.1:8080",
        upstreams=upstreams,
        state_dir=tmp_path,
        log_dir=tmp_path,
        web_root=web_root,
    )


def test_a_replicated_service_gets_every_replica_as_an_upstream_server(tmp_path: Path) -> None:
    config = _config(tmp_path)
    block = config[config.index("upstream notification {") :]
    block = block[: block.index("}")]
    assert "server 127.0.0.1:2;" in block
    assert "server 127.0.0.1:3;" in block
    assert "location ^~ /internal/ {\n            return 404;" in config
    for prefix, _service in PUBLIC_ROUTES:
        assert f"location = {prefix} {{" in config


def test_a_service_without_an_address_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="identity"):
        nginx_config(
            listen="127.0.0.1:8080",
            upstreams={s: ["127.0.0.1:1"] for s in ServiceName if s is not ServiceName.IDENTITY},
            state_dir=tmp_path,
            log_dir=tmp_path,
        )


# nginx comes with the servers (scripts/services installs it): its absence is a failure
def test_nginx_accepts_the_generated_config(tmp_path: Path) -> None:
    (tmp_path / "tmp").mkdir()
    web = tmp_path / "dist"
    web.mkdir()
    path = tmp_path / "nginx.conf"
    path.write_text(_config(tmp_path, web))
    nginx = shutil.which("nginx", path="/usr/sbin:/usr/bin")
    assert nginx is not None
    checked = subprocess.run(  # noqa: S603
        [nginx, "-t", "-p", str(tmp_path), "-c", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
