"""The shipped collector configuration: valid for the collector `deploy/otel/builder.yaml`
builds, its pipeline redacting before it batches, and its components all in the build."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.tools import ROOT, tool

OTEL = ROOT / "deploy" / "otel"


def _load(name: str) -> Any:
    return yaml.safe_load((OTEL / name).read_text(encoding="utf-8"))


def test_the_collector_validates_the_shipped_config() -> None:
    checked = subprocess.run(
        [tool("otelcol"), "validate", "--config", str(OTEL / "collector.yaml")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr


def test_the_collector_refuses_a_config_with_a_component_it_lacks(tmp_path: Path) -> None:
    shipped = (OTEL / "collector.yaml").read_text(encoding="utf-8")
    broken = shipped.replace("exporters: [otlp_grpc]", "exporters: [otlp_grpc, awsxray]")
    assert broken != shipped
    path = tmp_path / "collector.yaml"
    path.write_text(broken, encoding="utf-8")
    checked = subprocess.run(
        [tool("otelcol"), "validate", "--config", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert checked.returncode != 0


def test_secrets_are_removed_before_anything_is_batched_or_sent() -> None:
    config = _load("collector.yaml")
    service = config["service"]
    processors = service["pipelines"]["traces"]["processors"]
    assert processors[0] == "memory_limiter"
    assert processors[-1] == "batch"
    assert {"attributes/redaction", "redaction"} <= set(processors[:-1])
    actions = config["processors"]["attributes/redaction"]["actions"]
    deleted = {action["key"] for action in actions if action["action"] == "delete"}
    assert {"http.request.header.authorization", "password", "token", "db.statement"} <= deleted


def test_every_component_of_the_config_is_in_the_build() -> None:
    config, build = _load("collector.yaml"), _load("builder.yaml")
    built = {
        kind: {str(entry["gomod"]).split()[0].rsplit("/", 1)[1] for entry in build[kind]}
        for kind in ("receivers", "processors", "exporters")
    }
    modules = {
        "otlp": "otlpreceiver",
        "memory_limiter": "memorylimiterprocessor",
        "batch": "batchprocessor",
        "attributes": "attributesprocessor",
        "redaction": "redactionprocessor",
        "otlp_grpc": "otlpexporter",
    }
    for kind in ("receivers", "processors", "exporters"):
        for name in config[kind]:
            assert modules[str(name).split("/")[0]] in built[kind], name
