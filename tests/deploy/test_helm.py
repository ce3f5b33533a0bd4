"""The Helm chart (deploy/helm/dojang), checked offline: lint, render, the Kubernetes schemas
of the objects, the vendored CRD schemas of the custom resources, and what every service
must have (probes, resources, a restricted security context, a PDB, zone spread, a
NetworkPolicy, an HPA or a ScaledObject but never both).
"""

from __future__ import annotations

import functools
import json
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from dojang.composition.ingress import PUBLIC_ROUTES
from dojang.composition.settings import ServiceName
from tests.deploy.golden import golden_of
from tests.deploy.tools import CHART, EXAMPLES, RELEASE, ROOT, helm, render, tool

KUBERNETES = "1.37.0"
CRDS = ROOT / "deploy" / "helm" / "crds"
EXAMPLE_IDS = [example.stem for example in EXAMPLES]


@functools.cache
def objects(example: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(render(example)) if doc]


def of_kind(example: Path, kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects(example) if o["kind"] == kind}


@functools.cache
def crd_schemas() -> dict[tuple[str, str, str], dict[str, Any]]:
    """(group, version, kind) -> the openAPIV3Schema of each vendored CRD."""
    schemas = {}
    for path in sorted(CRDS.glob("*.yaml")):
        for crd in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            spec = crd["spec"]
            for version in spec["versions"]:
                key = (spec["group"], version["name"], spec["names"]["kind"])
                schemas[key] = strict(version["schema"]["openAPIV3Schema"])
    return schemas


def strict(schema: Any) -> Any:
    """The schema as the API server applies it with strict field validation: a field it
    does not know is an error (the server would otherwise prune it without a word)."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    found = {key: strict(value) for key, value in schema.items()}
    known = found.get("properties")
    if (
        isinstance(known, dict)
        and "additionalProperties" not in found
        and not found.get("x-kubernetes-preserve-unknown-fields")
    ):
        found["additionalProperties"] = False
    return found


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_the_chart_lints_strictly(example: Path) -> None:
    linted = helm("lint", "--strict", str(CHART), values=example)
    assert linted.returncode == 0, linted.stdout + linted.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_the_golden_manifests_are_current(example: Path) -> None:
    assert render(example) == golden_of(example.name), (
        "the chart renders differently: review and run `python -m tests.deploy.golden`"
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_every_object_matches_its_schema(example: Path) -> None:
    custom = crd_schemas()
    checked = Counter[str]()
    for document in objects(example):
        group, _, version = document["apiVersion"].rpartition("/")
        key = (group, version, document["kind"])
        if key in custom:
            jsonschema.validate(document, custom[key])
        else:
            kubernetes_validate.validate(document, KUBERNETES, strict=True)
        checked[document["kind"]] += 1
    assert checked["Deployment"] == len(ServiceName)


def test_a_custom_resource_with_an_unknown_field_is_refused() -> None:
    scaled = next(iter(of_kind(EXAMPLES[0], "ScaledObject").values()))
    schema = crd_schemas()[("keda.sh", "v1alpha1", "ScaledObject")]
    jsonschema.validate(scaled, schema)
    typo = {**scaled, "spec": {**scaled["spec"], "maxReplicas": 6}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(typo, schema)


def _deployments(example: Path) -> dict[str, dict[str, Any]]:
    return of_kind(example, "Deployment")


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_every_service_has_probes_resources_and_a_restricted_security_context(
    example: Path,
) -> None:
    for name, deployment in _deployments(example).items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        assert pod["automountServiceAccountToken"] is False, name
        [container] = pod["containers"]
        assert container["startupProbe"]["httpGet"]["path"] == "/healthz", name
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        resources = container["resources"]
        assert {"cpu", "memory"} <= set(resources["requests"]), name
        assert "memory" in resources["limits"], name
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True, name
        assert context["allowPrivilegeEscalation"] is False, name
        assert context["capabilities"]["drop"] == ["ALL"], name
        assert ":latest" not in container["image"], name
        assert ":" in container["image"] or "@sha256:" in container["image"], name
        # the drain (20 s of requests, then consumers) fits in the grace period
        assert pod["terminationGracePeriodSeconds"] >= 25, name


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_every_service_has_a_pdb_and_spreads_over_zones(example: Path) -> None:
    budgets = of_kind(example, "PodDisruptionBudget")
    for name, deployment in _deployments(example).items():
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert budgets[name]["spec"]["selector"]["matchLabels"] == selector
        spread = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]
        zones = [c for c in spread if c["topologyKey"] == "topology.kubernetes.io/zone"]
        assert zones, name
        assert zones[0]["labelSelector"]["matchLabels"] == selector, name
        # selectors are immutable: they carry nothing that changes with an upgrade
        assert not {"app.kubernetes.io/version", "helm.sh/chart"} & set(selector), name


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_a_service_scales_by_an_hpa_or_by_keda_never_both(example: Path) -> None:
    hpas = {
        o["spec"]["scaleTargetRef"]["name"]
        for o in of_kind(example, "HorizontalPodAutoscaler").values()
    }
    scaled = {
        o["spec"]["scaleTargetRef"]["name"] for o in of_kind(example, "ScaledObject").values()
    }
    assert not hpas & scaled
    for name in hpas | scaled:
        # the autoscaler owns the replica count: a fixed one would fight it on every upgrade
        assert "replicas" not in _deployments(example)[name]["spec"]


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_only_the_ingress_controller_callers_and_prometheus_reach_a_service(
    example: Path,
) -> None:
    policies = of_kind(example, "NetworkPolicy")
    if not policies:
        assert "networkPolicy:\n  enabled: false" in example.read_text(encoding="utf-8")
        return
    assert set(policies) == set(_deployments(example))
    for name, policy in policies.items():
        sources = [peer for rule in policy["spec"]["ingress"] for peer in rule["from"]]
        for peer in sources:
            assert set(peer) <= {"namespaceSelector", "podSelector"}, name
            assert "ipBlock" not in peer, name
    employee = policies[f"{RELEASE}-employee"]["spec"]["ingress"]
    callers = {
        peer["podSelector"]["matchLabels"]["app.kubernetes.io/component"]
        for rule in employee
        for peer in rule["from"]
        if "podSelector" in peer
    }
    assert callers == {"approval-request"}  # the leave ledger's one caller


def test_the_ingress_routes_are_the_local_nginx_routes() -> None:
    [ingress] = of_kind(EXAMPLES[0], "Ingress").values()
    paths = {
        path["path"]: path["backend"]["service"]["name"].removeprefix(f"{RELEASE}-")
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    wanted = {prefix: service.value for prefix, service in PUBLIC_ROUTES}
    assert {p: s for p, s in paths.items() if p != "/"} == wanted
    assert paths["/"] == "identity"
    assert not any(path.startswith("/internal") for path in paths)


def test_no_secret_value_is_rendered() -> None:
    for example in EXAMPLES:
        for document in objects(example):
            assert document["kind"] != "Secret", example.name
        text = render(example)
        assert "password" not in text.lower(), example.name


@pytest.mark.parametrize(
    "setting",
    [
        "services.identity.replica=3",  # a typo of `replicas`
        "services.billing.routes={/api/billing}",  # no such service
        "image.tag=latest",
        "services.notification.autoscaling.kind=both",
        "services.identity.routes={/internal/keys}",
    ],
)
def test_a_mistake_in_values_is_refused(setting: str) -> None:
    rendered = helm("template", RELEASE, str(CHART), "--set", setting)
    assert rendered.returncode != 0
    assert "values don't meet the specifications of the schema" in rendered.stderr or (
        "schema" in rendered.stderr.lower()
    ), rendered.stderr


def test_checkov_finds_nothing_unexplained(tmp_path: Path) -> None:
    for example in EXAMPLES:
        (tmp_path / example.name).write_text(render(example), encoding="utf-8")
    scanned = subprocess.run(
        [
            tool("checkov"),
            "--framework",
            "kubernetes",
            "--directory",
            str(tmp_path),
            "--config-file",
            str(ROOT / "deploy" / "checkov.yaml"),
            "--skip-download",
            "--output",
            "json",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    report = json.loads(scanned.stdout or "{}")
    reports = report if isinstance(report, list) else [report]
    failed = [
        f"{check['check_id']} {check['resource']} ({check['file_path']})"
        for part in reports
        for check in part.get("results", {}).get("failed_checks", [])
    ]
    assert failed == [], "\n".join(failed)
    assert scanned.returncode == 0, scanned.stderr[-2000:]
