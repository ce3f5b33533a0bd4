"""The Terraform for AWS (deploy/terraform/aws), checked offline: its structure with
python-hcl2, and checkov. The AWS provider and the registry's modules cannot be fetched
here, so `plan` is not run (docs/deploy.md says what that leaves unproven)."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import hcl2

from dojang.composition.ingress import PUBLIC_ROUTES
from dojang.composition.settings import ServiceName
from tests.deploy.tools import ROOT, tool

AWS = ROOT / "deploy" / "terraform" / "aws"
MODULE = AWS / "modules" / "dojang"
FILES = sorted(AWS.rglob("*.tf"))


def _plain(value: Any) -> Any:
    """python-hcl2 keeps string literals' quotes: drop them, recursively."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items() if key != "__comments__"}
    return value


@cache
def parsed(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as file:
        result: dict[str, Any] = _plain(hcl2.load(file))
        return result


def blocks(kind: str, directory: Path = MODULE) -> dict[str, Any]:
    """Every `kind` block (module, resource type, locals) of a directory, by name."""
    found: dict[str, Any] = {}
    for path in sorted(directory.glob("*.tf")):
        for block in parsed(path).get(kind, []):
            found.update(block)
    return found


def resources(kind: str) -> dict[str, Any]:
    """Every resource of one type in the module, by name."""
    found: dict[str, Any] = {}
    for path in sorted(MODULE.glob("*.tf")):
        for block in parsed(path).get("resource", []):
            found.update(block.get(kind, {}))
    return found


def _locals() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in sorted(MODULE.glob("*.tf")):
        for block in parsed(path).get("locals", []):
            merged.update(block)
    return merged


def test_every_registry_module_is_pinned_to_an_exact_version() -> None:
    for path in FILES:
        for block in parsed(path).get("module", []):
            for name, module in block.items():
                source = module["source"]
                if source.startswith("../") or source.startswith("./"):
                    continue
                assert source.startswith("terraform-aws-modules/"), (path.name, name)
                assert re.fullmatch(r"\d+\.\d+\.\d+", module["version"]), (path.name, name)


def test_the_api_trusts_the_user_pool_and_its_web_client_only() -> None:
    api = blocks("module")["api"]
    [authorizer] = api["authorizers"].values()
    assert authorizer["authorizer_type"] == "JWT"
    assert authorizer["identity_sources"] == ["$request.header.Authorization"]
    assert authorizer["jwt_configuration"]["issuer"] == "${local.cognito_issuer}"
    assert authorizer["jwt_configuration"]["audience"] == ["${aws_cognito_user_pool_client.web.id}"]
    issuer = _locals()["cognito_issuer"]
    assert issuer == (
        "https://cognito-idp.${var.region}.amazonaws.com/${aws_cognito_user_pool.users.id}"
    )
    # the services accept the same issuer and client, and read the employee id as caller
    lambda_env = blocks("module")["employee_lambda"]["environment_variables"]
    assert lambda_env["DOJANG_OIDC_ISSUER"] == "${local.cognito_issuer}"
    assert lambda_env["DOJANG_OIDC_CLIENT_ID"] == "${aws_cognito_user_pool_client.web.id}"
    assert lambda_env["DOJANG_OIDC_SUBJECT_CLAIM"] == "employee_id"


def test_employee_routes_go_to_lambda_and_the_rest_through_the_vpc_link() -> None:
    names = _locals()
    employee = {r.removeprefix("/api/") for r, s in PUBLIC_ROUTES if s is ServiceName.EMPLOYEE}
    routes = blocks("module")["api"]["routes"]
    assert (
        "concat(local.employee_routes, local.employee_roots) : route => "
        "merge(local.authorized, {integration = local.lambda_integration})"
    ) in routes
    routed = re.findall(r"\[for r in \[([^\]]*)\]", names["employee_routes"])
    assert {name.strip().strip('"') for name in routed[0].split(",")} == employee
    others = {
        r.removeprefix("/api/")
        for r, s in PUBLIC_ROUTES
        if r.startswith("/api/") and s not in (ServiceName.EMPLOYEE, ServiceName.IDENTITY)
    }
    routed = re.findall(r"\[for r in \[([^\]]*)\]", names["service_routes"])
    assert {name.strip().strip('"') for name in routed[0].split(",")} == others
    assert names["lambda_integration"]["payload_format_version"] == "2.0"
    assert names["service_integration"]["connection_type"] == "VPC_LINK"
    assert "internal" not in routes


def test_no_secret_is_written_in_the_code() -> None:
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?i)\b(password|secret|token)\s*=\s*\"[^\"]+\"", text), path.name
        assert not re.search(r"AKIA[0-9A-Z]{16}", text), path.name
    database = blocks("module")["database"]
    assert database["manage_master_user_password"] is True


def test_kafka_is_msk_or_self_hosted_on_tainted_nodes_by_one_variable() -> None:
    variables = blocks("variable")
    assert "msk" in variables["kafka_mode"]["validation"][0]["condition"]
    assert blocks("module")["msk"]["count"] == '${var.kafka_mode == "msk" ? 1 : 0}'
    taint = _locals()["kafka_node_groups"]
    assert "NO_SCHEDULE" in str(taint)
    assert 'var.kafka_mode == "self-hosted"' in str(taint)


def test_each_environment_keeps_its_state_remotely_with_a_lock() -> None:
    for environment in ("dev", "prod"):
        [backend] = parsed(AWS / "envs" / environment / "backend.tf")["terraform"][0]["backend"]
        s3 = backend["s3"]
        assert s3["key"] == f"{environment}/dojang.tfstate"
        assert s3["use_lockfile"] is True
        assert s3["encrypt"] is True
        [module] = parsed(AWS / "envs" / environment / "main.tf")["module"]
        assert module["dojang"]["source"] == "../../modules/dojang"


def test_the_alarms_cover_5xx_restarts_lambda_errors_and_consumer_lag() -> None:
    alarms = resources("aws_cloudwatch_metric_alarm")
    assert {"api_5xx_rate", "container_restarts", "employee_lambda_errors", "consumer_lag"} <= set(
        alarms
    )


def test_checkov_finds_nothing_unexplained() -> None:
    scanned = subprocess.run(
        [
            *(tool("checkov"), "--framework", "terraform", "--directory", str(AWS)),
            *("--config-file", str(ROOT / "deploy" / "checkov.yaml"), "--skip-download"),
            *("--quiet", "--compact"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert scanned.returncode == 0, scanned.stdout[-4000:] + scanned.stderr[-2000:]
